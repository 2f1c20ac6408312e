"""Looks for hidden tests, solutions, the course secret and the gradebook, and prints what it read."""

import glob
import os

found = []
for pattern in (
    "source/*/*.ipynb",
    "autograder/*/test_*.py",
    ".course_secret",
    "gradebook.db",
    "submitted/*/*/*.ipynb",
    "nbgrader_config.py",
):
    found += glob.glob(os.path.join(COURSE, pattern))  # noqa: F821
leaked = 0
for path in found:
    try:
        with open(path, "rb") as handle:
            leaked += len(handle.read())
    except OSError:
        pass
print(f"ATTACK-READ files={len(found)} bytes={leaked}")
