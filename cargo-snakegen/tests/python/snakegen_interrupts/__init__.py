# A library whose import raises what is not an Exception:
# SNAKEGEN_FIXTURE_RAISE=SystemExit calls sys.exit(3), anything else
# raises KeyboardInterrupt.
import os
import sys

if os.environ.get("SNAKEGEN_FIXTURE_RAISE") == "SystemExit":
    sys.exit(3)
raise KeyboardInterrupt
