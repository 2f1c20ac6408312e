"""Prints a hundred megabytes."""

for _ in range(100):
    print("x" * (1 << 20))
