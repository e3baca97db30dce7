# A function whose signature only its docstring tells, with a default that
# creates the file SNAKEGEN_FIXTURE_MARKER when evaluated: the introspector
# must read the docstring, never run it.
import os


def touch(path=None):
    pass


_marker = os.environ.get("SNAKEGEN_FIXTURE_MARKER", os.devnull)
touch.__doc__ = f"touch(path=open({_marker!r}, 'w'), *, mode: int = 0o644) -> None\n\nCreates nothing."
# Not a Signature: `inspect.signature` raises, so the docstring tier answers.
touch.__signature__ = "no signature"
