"""Assertions for hidden tests whose messages name the problem, never the expected value."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograder.student import StudentError


def as_int(value: Any, name: str) -> int:
    """Returns `value` as an int, or raises `StudentError` if it is not an integer type."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise StudentError(f"`{name}` returned {type(value).__name__}; it should return an int.")
    return int(value)


def as_array(value: Any, name: str, shape: tuple[int, ...]) -> np.ndarray:
    """Returns `value` as a float64 array of `shape`, or raises `StudentError` saying what is off."""
    if not isinstance(value, np.ndarray):
        raise StudentError(f"`{name}` returned {type(value).__name__}; it should return a numpy array.")
    if value.shape != tuple(shape):
        raise StudentError(f"`{name}` returned an array of the wrong shape.")
    return value.astype(np.float64)
