# A library with distribution metadata (so its version is known without
# importing it) that can be told to fail on import: the metadata cache test
# proves a cached run never imports it.
import os

if os.environ.get("SNAKEGEN_FIXTURE_EXPLODE"):
    raise ImportError("snakegen_versioned was imported although the cache had everything")


def answer(question="life"):
    """Returns 42."""
    return 42
