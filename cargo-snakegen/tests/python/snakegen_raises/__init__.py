# A library whose import fails: the error must name it and Python's exception.
print("snakegen_raises: noise on stdout")
raise RuntimeError("snakegen_raises refuses to import")
