# snakegen's introspector. Runs inside the user's interpreter.
#
# Protocol: a JSON request on stdin, a JSON answer written to the file named
# by argv[1]. stdout is never read, because libraries print on import. The
# library being imported is written to the file named by argv[2], if given,
# so that the caller can name the library that hung when its time limit
# kills us. With `parent` in the request (the caller's pid), we run in a
# process group of our own and end it when the caller is gone.
#
# Only the requested paths are walked: never the whole library. Nothing a
# library says is run as code: docstring signatures are parsed with `ast`.

import ast
import copy
import functools
import importlib
import importlib.util
import inspect
import json
import os
import platform
import re
import signal
import sys
import sysconfig
import threading
import time
import types
import traceback

ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
DOC_SIGNATURE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_.]*)\((.*)\)\s*(?:->\s*(.+?))?\s*$")


def stable_repr(value):
    # Default values like `<object object at 0x7f..>` would make the
    # manifest differ between runs.
    return ADDRESS.sub("", repr(value))


def annotation_text(annotation):
    if annotation is inspect.Parameter.empty:
        return None
    if isinstance(annotation, str):
        return annotation
    if isinstance(annotation, type):
        return annotation.__qualname__ if annotation.__module__ == "builtins" else f"{annotation.__module__}.{annotation.__qualname__}"
    return ADDRESS.sub("", str(annotation)).replace("typing.", "")


def describe_signature(signature, source, fallbacks, drop_first):
    parameters = list(signature.parameters.values())
    if drop_first and parameters and parameters[0].kind in (
        inspect.Parameter.POSITIONAL_ONLY,
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
    ):
        parameters = parameters[1:]
    return {
        "source": source,
        "fallbacks": fallbacks,
        "parameters": [
            {
                "name": p.name,
                "kind": p.kind.name,
                "default": None if p.default is inspect.Parameter.empty else stable_repr(p.default),
                "annotation": annotation_text(p.annotation),
            }
            for p in parameters
        ],
        "returns": annotation_text(signature.return_annotation),
    }


def signature_from_doc(obj, drop_first):
    """The `name(params) -> returns` line a docstring may start with, read as
    a `def`'s parameters by `ast`: parsed, never run, because a default is an
    expression in the library's text. Defaults are their source text."""
    doc = inspect.getdoc(obj) or ""
    first = doc.strip().splitlines()[0] if doc.strip() else ""
    match = DOC_SIGNATURE.match(first)
    if not match:
        raise ValueError("the docstring does not start with a signature line")
    params, returns = match.group(2), match.group(3)
    tree = ast.parse(f"def _f({params}): pass")
    # A `)` in the line could close the parameters early and parse as more.
    if len(tree.body) != 1 or [type(node) for node in tree.body[0].body] != [ast.Pass]:
        raise ValueError("the docstring's signature line is not one parameter list")
    described = describe_stub_function(tree.body[0], drop_first)
    described["returns"] = returns.strip() if returns else None
    return described


# --- The `.pyi` tier -------------------------------------------------------
#
# Stubs come first: they carry types and overloads. But a stub's defaults are
# `...`, so when Python has its own signature, names, kinds and defaults come
# from Python and the stub adds annotations and overloads.

STUB_CACHE = {}


def typeshed_stdlib_dirs():
    dirs = []
    for package, relative in (("typeshed_client", "typeshed"), ("mypy", os.path.join("typeshed", "stdlib"))):
        try:
            spec = importlib.util.find_spec(package)
        except (ImportError, ValueError):
            continue
        if spec is not None and spec.origin:
            dirs.append(os.path.join(os.path.dirname(spec.origin), relative))
    return dirs


def stub_candidates(module_name):
    parts = module_name.split(".")
    module = sys.modules.get(module_name)
    file = getattr(module, "__file__", None)
    if isinstance(file, str):
        yield os.path.splitext(file)[0] + ".pyi"
    for entry in sys.path:
        if isinstance(entry, str) and entry:
            root = os.path.join(entry, parts[0] + "-stubs", *parts[1:])
            yield root + ".pyi"
            yield os.path.join(root, "__init__.pyi")
    for typeshed in typeshed_stdlib_dirs():
        root = os.path.join(typeshed, *parts)
        yield root + ".pyi"
        yield os.path.join(root, "__init__.pyi")


def stub_tree(module_name):
    if module_name not in STUB_CACHE:
        STUB_CACHE[module_name] = None
        for candidate in stub_candidates(module_name):
            if os.path.isfile(candidate):
                try:
                    with open(candidate, encoding="utf-8") as file:
                        STUB_CACHE[module_name] = ast.parse(file.read())
                except (OSError, SyntaxError, ValueError):
                    continue
                break
    return STUB_CACHE[module_name]


def stub_definitions(body, name):
    """The defs (all overloads) or the class named `name` in a stub body."""
    found = []
    for node in stub_statements(body):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
            found.append(node)
        elif isinstance(node, ast.ClassDef) and node.name == name:
            return node
    return found


def stub_statements(body):
    """The statements of a stub body in the branches of its `if
    sys.version_info`/`sys.platform` tests that this interpreter takes: a
    `(3, 15)` overload must not give 3.11 a keyword it refuses. A test
    that cannot be read keeps both branches."""
    for node in body:
        if isinstance(node, ast.If):
            taken = stub_condition(node.test)
            if taken is not False:
                yield from stub_statements(node.body)
            if taken is not True:
                yield from stub_statements(node.orelse)
        else:
            yield node


def stub_condition(test):
    """The value of a stub's `if` test, as type checkers read them:
    comparisons of `sys.version_info` (or its slice) with a tuple, and of
    `sys.platform` with a string, joined by `and`/`or`/`not`. `None` for
    anything else. Never evaluates the stub's text."""
    if isinstance(test, ast.BoolOp):
        values = [stub_condition(value) for value in test.values]
        if None in values:
            return None
        return all(values) if isinstance(test.op, ast.And) else any(values)
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        value = stub_condition(test.operand)
        return None if value is None else not value
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and len(test.comparators) == 1):
        return None
    left, right, op = test.left, test.comparators[0], test.ops[0]
    if isinstance(left, ast.Subscript):
        left = left.value
    if not (isinstance(left, ast.Attribute) and isinstance(left.value, ast.Name) and left.value.id == "sys"):
        return None
    try:
        expected = ast.literal_eval(right)
    except ValueError:
        return None
    if left.attr == "version_info" and isinstance(expected, tuple):
        actual = tuple(sys.version_info[: len(expected)])
    elif left.attr == "platform" and isinstance(expected, str):
        actual = sys.platform
    else:
        return None
    comparisons = {
        ast.Lt: lambda a, b: a < b, ast.LtE: lambda a, b: a <= b,
        ast.Gt: lambda a, b: a > b, ast.GtE: lambda a, b: a >= b,
        ast.Eq: lambda a, b: a == b, ast.NotEq: lambda a, b: a != b,
    }
    compare = comparisons.get(type(op))
    return None if compare is None else compare(actual, expected)


def stub_lookup(module_name, name, depth=0):
    """Follows re-exports (`from ._impl import f as f`) to the definition."""
    tree = stub_tree(module_name)
    if tree is None or depth > 5:
        return None
    found = stub_definitions(tree.body, name)
    if isinstance(found, ast.ClassDef):
        # Where its bases are looked up (`stub_class_bases`).
        found.snakegen_module = module_name
    if found:
        return found
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if (alias.asname or alias.name) == name:
                    source = node.module or ""
                    if node.level:
                        base = module_name.split(".")
                        package = base if hasattr(sys.modules.get(module_name), "__path__") else base[:-1]
                        package = package[: len(package) - (node.level - 1)] if node.level > 1 else package
                        source = ".".join(package + ([source] if source else []))
                    return stub_lookup(source, alias.name, depth + 1)
    return None


def stub_for(obj, public_module, name):
    for module_name, attribute in ((public_module, name), (getattr(obj, "__module__", None), getattr(obj, "__name__", None))):
        if isinstance(module_name, str) and isinstance(attribute, str):
            found = stub_lookup(module_name, attribute)
            if found:
                return found
    return None


def stub_class_bases(class_stub):
    """The stub classes a stub class derives from, by the names its module
    sees (`class PurePosixPath(PurePath)`, `Base[AnyStr]`)."""
    module_name = getattr(class_stub, "snakegen_module", None)
    for base in class_stub.bases:
        if isinstance(base, ast.Subscript):
            base = base.value
        if isinstance(base, ast.Name) and module_name:
            found = stub_lookup(module_name, base.id)
            if isinstance(found, ast.ClassDef) and found is not class_stub:
                yield found


def stub_class_mro(class_stub, depth=0):
    """A stub class, then its stub bases, depth first (as the stub says;
    members a base defines are the class's unless it redefines them)."""
    if not isinstance(class_stub, ast.ClassDef) or depth > 8:
        return
    yield class_stub
    for base in stub_class_bases(class_stub):
        yield from stub_class_mro(base, depth + 1)


def stub_methods(class_stub, name):
    for klass in stub_class_mro(class_stub):
        found = stub_definitions(klass.body, name)
        if isinstance(found, list) and found:
            return found
        if found:
            return None
    return None


def stub_attribute(class_stub, name):
    """How the stub declares a data member: `(annotation, class_level)`.
    The annotation is a property's return annotation, or a class-level
    `name: T` (NamedTuple fields, dataclass fields), with `ClassVar[T]`/
    `Final[T]` as `T`. `class_level` is True for `ClassVar`/`Final` (a
    class constant: `timezone.utc`), False for a property or a plain
    `name: T` (an instance variable, PEP 526, perhaps with a class
    default), None when the stub does not declare it."""
    for klass in stub_class_mro(class_stub):
        for node in stub_statements(klass.body):
            if isinstance(node, ast.FunctionDef) and node.name == name:
                if is_stub_property(node):
                    return (None if node.returns is None else ast.unparse(node.returns)), False
                return None, False
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == name:
                annotation = node.annotation
                if isinstance(annotation, ast.Subscript) and ast.unparse(annotation.value).rsplit(".", 1)[-1] in ("ClassVar", "Final"):
                    return ast.unparse(annotation.slice), True
                if ast.unparse(annotation).rsplit(".", 1)[-1] in ("ClassVar", "Final"):
                    return None, True
                return ast.unparse(annotation), False
    return None, None


def is_stub_property(node):
    """A stub `def` decorated `@property` or `@cached_property` (however
    spelled: `functools.cached_property`, `builtins.property`)."""
    return any(ast.unparse(d).rsplit(".", 1)[-1] in ("property", "cached_property") for d in node.decorator_list)


def stub_declares_property(class_stub, name):
    """Whether the first `def` of `name` the stub's classes have (the one
    Python would find) is a property."""
    for klass in stub_class_mro(class_stub):
        for node in stub_statements(klass.body):
            if isinstance(node, ast.FunctionDef) and node.name == name:
                return is_stub_property(node)
    return False


def stub_data_names(class_stub):
    """The instance data a stub declares on a class and its stub bases:
    properties and plain `name: T` fields, of the branches of `if
    sys.version_info`/`sys.platform` tests this interpreter takes (a test
    it cannot decide counts as taken). Instance variables set in
    `__init__` (`subprocess.CompletedProcess.returncode`) are not on the
    class, so only the stub tells that they exist."""

    names = set()
    for klass in stub_class_mro(class_stub):
        for node in stub_statements(klass.body):
            if isinstance(node, ast.FunctionDef) and is_stub_property(node):
                names.add(node.name)
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                annotation = node.annotation
                if isinstance(annotation, ast.Subscript):
                    annotation = annotation.value
                if ast.unparse(annotation).rsplit(".", 1)[-1] not in ("ClassVar", "Final"):
                    names.add(node.target.id)
    return {name for name in names if name.isidentifier() and not name.startswith("_")}


def is_class_constant(cls, name, static, declared):
    """Whether a data member is read from the class (an associated
    function) rather than from an instance (a getter). The stub decides
    when it declares the member; otherwise a plain value stored on the
    class is one, unless it is a descriptor of instances (a property, a
    slot, a NamedTuple field, `cached_property`) or a dataclass field
    (whose class value is only the default)."""
    if hasattr(type(static), "__get__"):
        return False
    if declared is not None:
        return declared
    dataclasses = sys.modules.get("dataclasses")
    if dataclasses is not None and dataclasses.is_dataclass(cls):
        if name in {field.name for field in dataclasses.fields(cls)}:
            return False
    return True


def positional_only_by_convention(name):
    # Older stubs mark positional-only parameters as `__x`.
    return name.startswith("__") and not name.endswith("__")


def describe_stub_function(node, drop_first):
    arguments = node.args
    positional = [(a, "POSITIONAL_ONLY") for a in arguments.posonlyargs] + [
        (a, "POSITIONAL_ONLY" if positional_only_by_convention(a.arg) else "POSITIONAL_OR_KEYWORD") for a in arguments.args
    ]
    defaults = [None] * (len(positional) - len(arguments.defaults)) + list(arguments.defaults)
    parameters = []

    def parameter(arg, kind, default):
        return {
            "name": arg.arg[2:] if positional_only_by_convention(arg.arg) else arg.arg,
            "kind": kind,
            "default": None if default is None else ast.unparse(default),
            "annotation": None if arg.annotation is None else ast.unparse(arg.annotation),
        }

    for (arg, kind), default in zip(positional, defaults):
        parameters.append(parameter(arg, kind, default))
    if arguments.vararg:
        parameters.append(parameter(arguments.vararg, "VAR_POSITIONAL", None))
    for arg, default in zip(arguments.kwonlyargs, arguments.kw_defaults):
        parameters.append(parameter(arg, "KEYWORD_ONLY", default))
    if arguments.kwarg:
        parameters.append(parameter(arguments.kwarg, "VAR_KEYWORD", None))
    if drop_first and parameters and parameters[0]["kind"] != "VAR_POSITIONAL":
        parameters = parameters[1:]
    return {"parameters": parameters, "returns": None if node.returns is None else ast.unparse(node.returns)}


def with_stub(described, overloads):
    """Python's parameters, with the stub's annotations where Python has none,
    from the overload that shares the most parameter names."""
    names = [p["name"] for p in described["parameters"]]
    best = max(overloads, key=lambda overload: sum(p["name"] in names for p in overload["parameters"]))
    annotations = {p["name"]: p["annotation"] for p in best["parameters"]}
    for parameter in described["parameters"]:
        if parameter["annotation"] is None:
            parameter["annotation"] = annotations.get(parameter["name"])
    if described["returns"] is None:
        described["returns"] = best["returns"]
    return described


def merged_overloads(overloads):
    """The most general overload stands for the function, with a parameter
    optional wherever some overload can do without it: `functools.reduce`
    has `(function, iterable, /, initial)` and `(function, iterable, /)`, so
    `initial` is optional. Python gave no signature, so whether such a
    parameter takes a keyword is unknown: one passed by position is then
    positional-only (and so is every positional parameter before it)."""
    best = copy.deepcopy(max(overloads, key=lambda overload: len(overload["parameters"])))
    positional_kinds = ("POSITIONAL_ONLY", "POSITIONAL_OR_KEYWORD")

    def required_positionals(overload):
        return sum(1 for p in overload["parameters"] if p["kind"] in positional_kinds and p["default"] is None)

    def required_keywords(overload):
        return {p["name"] for p in overload["parameters"] if p["kind"] != "VAR_POSITIONAL" and p["kind"] != "VAR_KEYWORD" and p["default"] is None}

    fewest_positionals = min(required_positionals(overload) for overload in overloads)
    always_keywords = set.intersection(*(required_keywords(overload) for overload in overloads))
    positionals = [p for p in best["parameters"] if p["kind"] in positional_kinds]
    last_optional = -1
    for index, parameter in enumerate(positionals):
        if parameter["default"] is None and index >= fewest_positionals:
            parameter["default"] = "..."
            last_optional = index
    for parameter in positionals[: last_optional + 1]:
        parameter["kind"] = "POSITIONAL_ONLY"
    for parameter in best["parameters"]:
        if parameter["kind"] == "KEYWORD_ONLY" and parameter["default"] is None and parameter["name"] not in always_keywords:
            parameter["default"] = "..."
    return best


def reason(error):
    """An error's text without object addresses (`<built-in method f of
    type object at 0x7f..>`), which change from run to run and would make
    the committed artifacts differ each time."""
    return re.sub(r" at 0x[0-9a-fA-F]+", "", str(error))


def signature_of(obj, drop_first=False, stub=None, stub_drops_first=None):
    """The best signature available, by tier, with the reasons better tiers failed."""
    fallbacks = []
    stub_drops_first = drop_first if stub_drops_first is None else stub_drops_first
    overloads = [
        describe_stub_function(node, stub_drops_first)
        for node in stub or []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    ]
    if overloads:
        try:
            described = describe_signature(inspect.signature(obj), "stub", fallbacks, drop_first)
            described = with_stub(described, overloads)
        except (ValueError, TypeError) as error:
            fallbacks.append(f"inspect: {reason(error)}")
            described = {"source": "stub", "fallbacks": fallbacks, **merged_overloads(overloads)}
        if len(overloads) > 1:
            described["overloads"] = overloads
        return described
    fallbacks.append("stub: no .pyi stub found")
    try:
        return describe_signature(inspect.signature(obj), "inspect", fallbacks, drop_first)
    except (ValueError, TypeError) as error:
        fallbacks.append(f"inspect: {reason(error)}")
    try:
        return {"source": "docstring", "fallbacks": fallbacks, **signature_from_doc(obj, drop_first)}
    except Exception as error:  # a docstring line is arbitrary text
        fallbacks.append(f"docstring: {reason(error)}")
    return {
        "source": "variadic",
        "fallbacks": fallbacks,
        "parameters": [
            {"name": "args", "kind": "VAR_POSITIONAL", "default": None, "annotation": None},
            {"name": "kwargs", "kind": "VAR_KEYWORD", "default": None, "annotation": None},
        ],
        "returns": None,
    }


def doc_of(obj, own_only=False):
    doc = obj.__doc__ if own_only else inspect.getdoc(obj)
    if not isinstance(doc, str):
        return None
    return inspect.cleandoc(doc) or None


def canonical_of(obj, fallback):
    module = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", None)
    if isinstance(obj, type(sys)):
        return obj.__name__
    if isinstance(module, str) and isinstance(qualname, str):
        return f"{module}.{qualname}"
    return fallback


# A class can inherit thousands of methods (sympy's expression classes do);
# past this many public members the rest are left out and `truncated` says so.
MAX_MEMBERS = 200


# The member names the crate calls anywhere (`x.det()`): only those members
# of a class are described, the others only listed. Set by main().
CALLED = set()


# A member only the stub declares (an instance variable set in `__init__`).
MISSING = object()

# Members whose call runs a function: Python's and C's functions and
# their descriptors.
METHOD_TYPES = (
    types.FunctionType,
    types.BuiltinFunctionType,
    types.MethodType,
    types.MethodDescriptorType,
    types.WrapperDescriptorType,
    types.MethodWrapperType,
)

# What a descriptor of methods hands the class: `partialmethod` and
# `singledispatchmethod` a function, sqlalchemy's `hybrid_method` a method.
FUNCTION_TYPES = (types.FunctionType, types.MethodType, types.BuiltinFunctionType, functools.partial)


def is_data_descriptor(static):
    """A descriptor that also sets or deletes (`property`, a `__slots__`
    member, a C type's getset): reading it is what Python does with
    `obj.name`; its value may not even be callable."""
    return hasattr(type(static), "__set__") or hasattr(type(static), "__delete__")


def member_binding(cls, name, static, class_stub):
    """How a member the crate calls (`x.name()`) is generated: `(binding,
    target, drop_first)` for a method, `binding` being `"instance"`,
    `"class"` or `"static"` and `target` what describes its signature;
    None for data, read by a getter.

    `obj.name` is a value whenever the member is a data descriptor, a
    `cached_property`, a property in the stub, or a descriptor that is
    not callable and hands the class no function (pandas' `Series.str`
    accessor, which hands it a class); calling that value from Rust would
    raise `'str' object is not callable`. A callable value stays a value:
    networkx's `G.degree` view is read, and the caller calls what it got."""
    if isinstance(static, classmethod):
        return "class", getattr(cls, name), False
    if isinstance(static, types.ClassMethodDescriptorType):
        # A classmethod of a C type (`datetime.date.fromisoformat`).
        return "class", getattr(cls, name), False
    if isinstance(static, staticmethod):
        return "static", static.__func__, False
    if static is MISSING or is_data_descriptor(static) or isinstance(static, functools.cached_property):
        return None
    if isinstance(static, METHOD_TYPES):
        return "instance", static, True
    if stub_declares_property(class_stub, name):
        return None
    if not hasattr(type(static), "__get__"):
        # A plain value on the class, callable or not: read.
        return None
    if callable(static):
        # A descriptor that is a function itself (Cython's, an
        # `lru_cache` wrapper).
        return "instance", static, True
    try:
        on_class = getattr(cls, name)
    except Exception:  # a descriptor runs the library's code
        return None
    if isinstance(on_class, FUNCTION_TYPES):
        # A bound method of the class already lacks its first parameter.
        return "instance", on_class, not isinstance(on_class, types.MethodType)
    return None


def runtime_annotation(static):
    """The return annotation of a property's or `cached_property`'s
    function, for a member the stub does not type."""
    if isinstance(static, property):
        function = static.fget
    elif isinstance(static, functools.cached_property):
        function = static.func
    else:
        return None
    if function is None:
        return None
    try:
        return annotation_text(inspect.signature(function).return_annotation)
    except Exception:  # annotations are evaluated, and may name anything
        return None


def describe_class(cls, class_stub):
    methods, attributes = {}, {}
    stub_only = stub_data_names(class_stub) if class_stub is not None else set()
    public = sorted({name for name in dir(cls) if name.isidentifier() and not name.startswith("_")} | stub_only)
    # The class's own members first: a cap should cut inherited ones.
    own = {name for name in vars(cls) if not name.startswith("_")}
    wanted = [name for name in public if name in CALLED]
    names = sorted(name for name in wanted if name in own) + sorted(name for name in wanted if name not in own)
    for name in sorted(names[:MAX_MEMBERS]):
        try:
            static = inspect.getattr_static(cls, name)
        except AttributeError:
            if name not in stub_only:
                continue
            static = MISSING
        method = member_binding(cls, name, static, class_stub)
        stub = stub_methods(class_stub, name)
        if method is not None:
            binding, target, drop_first = method
            if binding == "class":
                signature = signature_of(target, stub=stub, stub_drops_first=True)
                doc = doc_of(static.__func__ if isinstance(static, classmethod) else static)
            elif binding == "static":
                signature = signature_of(target, stub=stub)
                doc = doc_of(target)
            else:
                signature = signature_of(target, drop_first=drop_first, stub=stub, stub_drops_first=True)
                doc = doc_of(static if isinstance(static, METHOD_TYPES) or callable(static) else target)
            methods[name] = {"binding": binding, "signature": signature, "doc": doc}
        else:
            doc = doc_of(static) if isinstance(static, (property, functools.cached_property)) else None
            annotation, declared = stub_attribute(class_stub, name)
            if annotation is None and declared is None:
                annotation = runtime_annotation(static)
            attributes[name] = {"doc": doc, "annotation": annotation}
            if static is not MISSING and is_class_constant(cls, name, static, declared):
                attributes[name]["class_level"] = True
    # A named tuple's stub constructor is `typing.NamedTuple`'s, which
    # describes the functional form (`NamedTuple("P", fields)`), not the
    # subclass; Python's own signature lists the fields.
    if isinstance(cls, type) and issubclass(cls, tuple) and hasattr(cls, "_fields"):
        constructor_stub = None
    else:
        constructor_stub = stub_methods(class_stub, "__init__") or stub_methods(class_stub, "__new__")
    described = {
        "constructor": signature_of(cls, stub=constructor_stub, stub_drops_first=True),
        "members": public,
        "methods": methods,
        "attributes": attributes,
    }
    if len(names) > MAX_MEMBERS:
        described["truncated"] = True
    return described


def called(obj):
    """What a call of `obj` runs, for its signature. An instance whose class
    defines `__call__` as a staticmethod (sympy's `S`, which is `sympify`)
    runs that function unbound, but `inspect.signature(obj)` drops its first
    parameter as if it were bound: describe the function itself."""
    if inspect.isroutine(obj) or inspect.isclass(obj):
        return obj
    for klass in type(obj).__mro__:
        call = klass.__dict__.get("__call__")
        if call is not None:
            return call.__func__ if isinstance(call, staticmethod) else obj
    return obj


def describe(obj, path):
    symbol = {"canonical": canonical_of(obj, path), "doc": None}
    module, _, name = path.rpartition(".")
    if inspect.ismodule(obj):
        symbol.update(kind="module", doc=doc_of(obj))
    elif inspect.isclass(obj):
        stub = stub_for(obj, module, name)
        symbol.update(kind="class", doc=doc_of(obj), **describe_class(obj, stub))
    elif callable(obj):
        signature = signature_of(called(obj), stub=stub_for(obj, module, name))
        symbol.update(kind="function", doc=doc_of(obj), signature=signature)
    else:
        symbol.update(kind="attribute", canonical=path, type_name=type(obj).__qualname__)
    instance = describe_instance(obj)
    if instance is not None:
        symbol["instance"] = instance
    return symbol


def describe_instance(obj):
    """A module-level object's class, when the crate reaches members through
    it (`scipy.stats.norm.cdf`): the members it calls are described as a
    class's are. Functions, modules, classes and builtin values have none."""
    cls = type(obj)
    if inspect.ismodule(obj) or inspect.isclass(obj) or inspect.isroutine(obj) or cls.__module__ == "builtins":
        return None
    public = {name for name in dir(cls) if name.isidentifier() and not name.startswith("_")}
    if not public & CALLED:
        return None
    stub = stub_for(cls, cls.__module__, cls.__qualname__)
    return {"class": f"{cls.__module__}.{cls.__qualname__}", "of": describe_class(cls, stub)}


STRING_LITERAL = re.compile(r"'[^']*'|\"[^\"]*\"")
ANNOTATION_NAME = re.compile(r"(?<![\w.])[A-Za-z]\w*")
# Where `Any`, `list` and `Iterator` come from: the generator reads those
# names itself, whatever a module imported.
NOT_RESULT_CLASSES = {"builtins", "typing", "typing_extensions", "types", "abc", "collections.abc"}


def result_annotations(symbol):
    """The annotations of what a symbol gives back: its return types (each
    overload's too), or, for a class (and a module-level object's class),
    those of its described methods and the types of its attributes."""
    def returns(signature):
        yield signature.get("returns")
        for overload in signature.get("overloads", []):
            yield overload.get("returns")

    def class_results(described):
        for method in described["methods"].values():
            yield from returns(method["signature"])
        for attribute in described["attributes"].values():
            yield attribute.get("annotation")

    if symbol["kind"] == "function":
        yield from returns(symbol["signature"])
    elif symbol["kind"] == "class":
        yield from class_results(symbol)
    if "instance" in symbol:
        yield from class_results(symbol["instance"]["of"])


def describe_result_classes(path, symbols):
    """Describes each class of the symbol's module that its results are
    annotated with (`sqlite3.Connection.execute -> Cursor`), and theirs in
    turn, so the generated result type is that class's wrapper whatever
    else the crate uses: a signature depends on the symbol alone."""
    module_path = path.rpartition(".")[0]
    module = sys.modules.get(module_path)
    if module is None:
        return
    for annotation in result_annotations(symbols[path]):
        for name in ANNOTATION_NAME.findall(STRING_LITERAL.sub("", annotation or "")):
            class_path = f"{module_path}.{name}"
            if class_path in symbols:
                continue
            try:
                obj = inspect.getattr_static(module, name)
            except AttributeError:
                continue
            if inspect.isclass(obj) and getattr(obj, "__module__", None) not in NOT_RESULT_CLASSES:
                symbols[class_path] = describe(obj, class_path)
                describe_result_classes(class_path, symbols)


def public_names(module):
    names = getattr(module, "__all__", None)
    if not isinstance(names, (list, tuple)):
        names = dir(module)
    # `dir` lists whatever `setattr` stored: only identifiers can be used.
    return sorted({n for n in names if isinstance(n, str) and n.isidentifier() and not n.startswith("_")})


def walk(path, symbols, unresolved):
    """Follows `library.a.b...` through modules until the first non-module."""
    segments = path.split(".")
    current = sys.modules[segments[0]]
    prefix = segments[0]
    symbols.setdefault(prefix, describe(current, prefix))
    for segment in segments[1:]:
        if not inspect.ismodule(current):
            return
        child_path = f"{prefix}.{segment}"
        try:
            child = getattr(current, segment)
        except AttributeError:
            try:
                child = importlib.import_module(child_path)
            except ImportError:
                unresolved[path] = {"module": prefix, "name": segment, "names": public_names(current)}
                return
        prefix, current = child_path, child
        if prefix not in symbols:
            symbols[prefix] = describe(current, prefix)
            describe_result_classes(prefix, symbols)


def installed_version(name, request):
    """The version known without importing the library, or None."""
    if request.get("stdlib"):
        return platform.python_version()
    distribution = request.get("distribution") or name
    version = dist_info_version(distribution)
    if version is not None:
        return version
    # Eggs and other layouts: importlib.metadata knows them all, but costs
    # 15-20 ms to import.
    from importlib import metadata

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def dist_info_version(distribution):
    """The version in the name of the first `<name>-<version>.dist-info`
    directory on sys.path, searched in importlib.metadata's order."""
    wanted = re.sub(r"[-_.]+", "_", distribution).lower()
    for entry in sys.path:
        try:
            names = sorted(os.listdir(entry or "."))
        except OSError:
            continue
        for directory in names:
            if not directory.endswith(".dist-info"):
                continue
            found, _, version = directory[: -len(".dist-info")].rpartition("-")
            if version and re.sub(r"[-_.]+", "_", found).lower() == wanted:
                return version
    return None


def library_version(name, request):
    version = installed_version(name, request)
    if version is None:
        version = getattr(sys.modules[name], "__version__", None)
    return version if isinstance(version, str) else None


def watch_parent(parent):
    """Kills our process group once `parent`, the caller, is gone. The caller
    kills the group when its time limit passes, but a caller killed itself
    (Ctrl-C, SIGTERM) cannot, and nothing else would stop an import that
    hangs, the processes it started, or an answer written for no one. The
    caller starts us in a group of our own, so the group is this run's."""
    started_by = os.getppid()

    def orphaned():
        if started_by == parent:
            # Reparented once the caller exits, even before it is reaped.
            return os.getppid() != parent
        # A wrapper script between us, or a caller already gone at start.
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            pass
        return False

    def watch():
        while not orphaned():
            time.sleep(0.1)
        os.killpg(os.getpgrp(), signal.SIGKILL)

    threading.Thread(target=watch, daemon=True).start()


def report_progress(name):
    if len(sys.argv) > 2:
        with open(sys.argv[2], "w", encoding="utf-8") as out:
            out.write(name)


def error_kind(error):
    """What an import raised, by the most specific of the classes that decide
    what to tell the user: a missing or broken install (ImportError), the
    library's own code failing (Exception), or the run being stopped
    (SystemExit, KeyboardInterrupt)."""
    for kind in (ImportError, Exception):
        if isinstance(error, kind):
            return kind.__name__
    return "BaseException"


def main():
    request = json.load(sys.stdin)
    if request.get("parent") is not None:
        watch_parent(request["parent"])
    CALLED.update(request.get("members", []))
    answer = {
        "python": {
            "implementation": sys.implementation.name,
            "version": platform.python_version(),
            "platform": sysconfig.get_platform(),
        },
        "libraries": {},
        "symbols": {},
        "unresolved": {},
    }
    if request.get("probe"):
        # Who is asking, without importing anything: enough to key the cache.
        for name, library_request in sorted(request["libraries"].items()):
            answer["libraries"][name] = {"version": installed_version(name, library_request), "error": None}
        with open(sys.argv[1], "w", encoding="utf-8") as out:
            json.dump(answer, out, sort_keys=True)
        return
    for name, library_request in sorted(request["libraries"].items()):
        report_progress(name)
        try:
            importlib.import_module(name)
            answer["libraries"][name] = {"version": library_version(name, library_request), "error": None}
        except BaseException as error:  # an import may raise anything, SystemExit included
            answer["libraries"][name] = {
                "version": None,
                "error": {
                    "kind": error_kind(error),
                    "type": type(error).__qualname__,
                    "message": str(error),
                    "traceback": "".join(traceback.format_exception(error)),
                },
            }
    def importable(path):
        library = path.split(".")[0]
        return answer["libraries"].get(library, {}).get("error") is None and library in sys.modules

    for path in sorted(request["paths"]):
        if importable(path):
            walk(path, answer["symbols"], answer["unresolved"])
    # Modules the crate glob-imports: their name index decides which names
    # under the glob are Python's.
    for path in sorted(request.get("indexes", [])):
        if importable(path):
            walk(path, answer["symbols"], answer["unresolved"])
            symbol = answer["symbols"].get(path)
            if symbol is not None and symbol["kind"] == "module":
                symbol["names"] = public_names(sys.modules.get(path) or importlib.import_module(path))
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        json.dump(answer, out, sort_keys=True)


main()
