# A library whose import error carries terminal escape sequences and a NUL
# in a message of two lines.
raise ImportError("snakegen_noisy \x1b[2J\x1b]0;owned\x07cleared\x00 the screen\nsecond line")
