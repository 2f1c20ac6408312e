"""Allocates far more memory than the machine has."""

hog = [bytearray(1 << 30) for _ in range(64)]
