"""Leaves 1500 nested folders in its working folder, which broke a recursive cleanup."""

import os

_path = "deep"
for _ in range(1500):
    _path = os.path.join(_path, "d")
os.makedirs(_path, exist_ok=True)
