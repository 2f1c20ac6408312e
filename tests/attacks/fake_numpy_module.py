"""Hands in a numpy.py next to the notebook, shadowing numpy in the kernel (the file is written by the
test; this cell only uses it)."""

import numpy

print("ATTACK-NUMPY", getattr(numpy, "FAKE", False))
