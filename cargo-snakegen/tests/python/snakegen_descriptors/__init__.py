# Class members that Python reads rather than calls (`obj.name`), next to
# ones it calls: the introspector must tell them apart, since calling a
# value raises (`'str' object is not callable`).
import functools
import types

__version__ = "1.0.0"
__all__ = ["Gadget", "Part", "Shouter"]


class Shouter:
    """What the accessor hands out (pandas' `StringMethods`)."""

    def __init__(self, gadget):
        self._gadget = gadget

    def loud(self):
        return self._gadget.label.upper() + "!"


class Accessor:
    """A descriptor that is not callable and does not set: pandas'
    `CachedAccessor` (`Series.str`)."""

    def __init__(self, kind):
        self._kind = kind

    def __get__(self, instance, owner):
        return self._kind if instance is None else self._kind(instance)


class Lazy:
    """A callable descriptor that does not set: it looks like a function,
    but reading it gives a number; the stub says it is a property."""

    def __init__(self, compute):
        self._compute = compute

    def __call__(self, *args):
        return self._compute(*args)

    def __get__(self, instance, owner):
        return self if instance is None else self._compute(instance)


class Either:
    """A descriptor of methods that is no function itself (sqlalchemy's
    `hybrid_method`): it hands out a method, bound to the instance or the
    class."""

    def __init__(self, function):
        self._function = function

    def __get__(self, instance, owner):
        return types.MethodType(self._function, owner if instance is None else instance)


def _repeat(self, times, separator=" "):
    return separator.join([self.label] * times)


class Base:
    """Members a subclass inherits."""

    @property
    def origin(self):
        """Where the gadget comes from: inherited."""
        return "base"

    @functools.cached_property
    def serial(self):
        return 1000 + len(self.label)

    def greet(self, name):
        return f"hello {name}, from {self.label}"


class Gadget(Base):
    """Every kind of member a crate calls as `gadget.name()`."""

    __slots__ = ("label",)
    kind = "gadget"
    LIMIT = 10
    flavour = "plain"
    shout = Accessor(Shouter)
    weight = Lazy(lambda self: len(self.label) * 3)

    def __init__(self, label):
        self.label = label
        self.created = "today"

    @property
    def size(self) -> int:
        """The label's length (typed by the runtime annotation alone)."""
        return len(self.label)

    @functools.cached_property
    def digest(self):
        """A cached value: computed once."""
        return "#" + self.label[::-1]

    @property
    def scaler(self):
        """A property whose value is callable (networkx's `G.degree`)."""
        return lambda factor: len(self.label) * factor

    def describe(self, times=1):
        """A normal method."""
        return " ".join([self.label] * times)

    # Methods that are descriptors of functions, not functions.
    triple = functools.partialmethod(_repeat, 3)

    @Either
    def echo(self, word):
        return f"{word} {word}"


class Part:
    """Only data, in `__slots__`, and no stub: nothing types its getters."""

    __slots__ = ("name", "count")

    def __init__(self, name, count):
        self.name = name
        self.count = count
