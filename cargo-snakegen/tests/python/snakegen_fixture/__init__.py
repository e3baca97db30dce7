# Signatures of every shape, for the introspector's tests.
import sys

print("snakegen_fixture: this import prints to stdout, which snakegen never reads")

__version__ = "1.2.3"
__all__ = ["kinds", "overloaded", "keywords", "café", "Huge", "lazy_value", "match", "gen", "PI"]

PI = 3.14


def kinds(a, b=2, /, c=3, *args, d, e=None, **kw):
    """All five parameter kinds."""


def overloaded(x, y=None):
    """Typed only in the stub, which has two overloads."""
    return x


def keywords(type, match=1, gen=None, self=None):
    """Parameters named like Rust keywords."""


def match(pattern):
    """A function named like a Rust keyword."""


def gen():
    """A function named like an edition-2024 keyword."""


def café(crème):
    """Non-ASCII names."""


def _make_base():
    namespace = {f"method_{index:03}": (lambda self, index=index: index) for index in range(300)}
    return type("HugeBase", (), namespace)


class Huge(_make_base()):
    """A class with a huge inherited surface."""

    def own(self, value, *, scale=1.0):
        """A method of its own."""


def __getattr__(name):
    # A lazy export, reached only through `__all__`.
    if name == "lazy_value":
        return kinds
    raise AttributeError(name)
