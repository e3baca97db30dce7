# A library (no distribution metadata) whose __version__ is no PEP 440
# version, and has a NUL in it: no requirement but "*" may accept it.
__version__ = "not a version \x00"


def value():
    return 1
