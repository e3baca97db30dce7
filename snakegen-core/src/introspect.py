# snakegen's introspector. Runs inside the user's interpreter.
#
# Protocol: a JSON request on stdin, a JSON answer written to the file named
# by argv[1]. stdout is never read, because libraries print on import.
# Progress lines on stderr ("snakegen: importing <library>") let the caller
# name the library that hung when the time limit kills us.
#
# Only the requested paths are walked: never the whole library.

import importlib
import inspect
import json
import platform
import re
import sys
import sysconfig
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


def signature_from_doc(obj):
    doc = inspect.getdoc(obj) or ""
    first = doc.strip().splitlines()[0] if doc.strip() else ""
    match = DOC_SIGNATURE.match(first)
    if not match:
        raise ValueError("the docstring does not start with a signature line")
    params, returns = match.group(2), match.group(3)
    namespace = {}
    exec(f"def _f({params}): pass", {}, namespace)
    signature = inspect.signature(namespace["_f"])
    if returns:
        signature = signature.replace(return_annotation=returns.strip())
    return signature


def signature_of(obj, drop_first=False):
    """The best signature available, by tier, with the reasons better tiers failed."""
    fallbacks = []
    try:
        return describe_signature(inspect.signature(obj), "inspect", fallbacks, drop_first)
    except (ValueError, TypeError) as error:
        fallbacks.append(f"inspect: {error}")
    try:
        return describe_signature(signature_from_doc(obj), "docstring", fallbacks, drop_first)
    except Exception as error:  # a docstring line is arbitrary text
        fallbacks.append(f"docstring: {error}")
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


def describe_class(cls):
    methods, attributes = {}, {}
    for name in sorted(dir(cls)):
        if name.startswith("_"):
            continue
        try:
            static = inspect.getattr_static(cls, name)
        except AttributeError:
            continue
        if isinstance(static, classmethod):
            methods[name] = {"binding": "class", "signature": signature_of(getattr(cls, name)), "doc": doc_of(static.__func__)}
        elif isinstance(static, staticmethod):
            methods[name] = {"binding": "static", "signature": signature_of(static.__func__), "doc": doc_of(static.__func__)}
        elif inspect.isroutine(static) or inspect.ismethoddescriptor(static):
            methods[name] = {"binding": "instance", "signature": signature_of(static, drop_first=True), "doc": doc_of(static)}
        else:
            doc = doc_of(static) if isinstance(static, property) else None
            attributes[name] = {"doc": doc}
    return {
        "constructor": signature_of(cls),
        "methods": methods,
        "attributes": attributes,
    }


def describe(obj, path):
    symbol = {"canonical": canonical_of(obj, path), "doc": None}
    if inspect.ismodule(obj):
        symbol.update(kind="module", doc=doc_of(obj))
    elif inspect.isclass(obj):
        symbol.update(kind="class", doc=doc_of(obj), **describe_class(obj))
    elif callable(obj):
        symbol.update(kind="function", doc=doc_of(obj), signature=signature_of(obj))
    else:
        symbol.update(kind="attribute", canonical=path, type_name=type(obj).__qualname__)
    return symbol


def public_names(module):
    names = getattr(module, "__all__", None)
    if not isinstance(names, (list, tuple)):
        names = dir(module)
    return sorted({n for n in names if isinstance(n, str) and not n.startswith("_")})


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
        symbols.setdefault(prefix, describe(current, prefix))


def library_version(name, request):
    if request.get("stdlib"):
        return platform.python_version()
    from importlib import metadata

    try:
        return metadata.version(request.get("distribution") or name)
    except metadata.PackageNotFoundError:
        version = getattr(sys.modules[name], "__version__", None)
        return version if isinstance(version, str) else None


def main():
    request = json.load(sys.stdin)
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
    for name, library_request in sorted(request["libraries"].items()):
        print(f"snakegen: importing {name}", file=sys.stderr, flush=True)
        try:
            importlib.import_module(name)
            answer["libraries"][name] = {"version": library_version(name, library_request), "error": None}
        except BaseException as error:  # an import may raise anything, SystemExit included
            answer["libraries"][name] = {
                "version": None,
                "error": {
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
