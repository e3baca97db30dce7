# A library whose import writes 50 MB of escape sequences to stderr and
# then ends the interpreter: the introspector fails, and the tool must echo
# only the end of it, made printable.
import os
import sys

line = "\x1b[2J\x1b]0;owned\x07 noise\x00 from snakegen_floods\n"
sys.stderr.write(line * (50 * 1024 * 1024 // len(line) + 1))
sys.stderr.write("the last line\n")
sys.stderr.flush()
os._exit(3)
