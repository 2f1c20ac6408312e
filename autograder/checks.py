"""Checks shared by every hidden test: the contract's tolerance, and types and shapes of answers.

Messages name the problem ("returned an array of the wrong shape"), never the expected value.
Each check stands here once; an assignment's `oracle.py` adds only what is particular to it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograder.student import StudentError

RTOL, ATOL = 1e-6, 1e-9  # the contract's "matches torch" in float64
# A property case (input left alone, gradients consistent, hand-written, ...) pays only with right values.
ONLY_WITH_RIGHT_VALUES = "The values are wrong, and this case counts only together with right values."


def close(got: Any, want: Any, rtol: float = RTOL, atol: float = ATOL) -> bool:
    """Whether `got` matches `want` within the contract's tolerance (nan and inf match no finite value)."""
    return bool(np.allclose(got, want, rtol=rtol, atol=atol))


def rel_error(x: Any, y: Any) -> float:
    """CS231n's relative error: max |x - y| / max(1e-8, |x| + |y|)."""
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    return float(np.max(np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y))))


def centered_differences(f: Any, x: np.ndarray, h: float = 1e-4) -> np.ndarray:
    """The float64 oracle of a gradient: (f(x + h e_i) - f(x - h e_i)) / 2h for every entry i."""
    grad = np.zeros_like(x)
    for i in range(x.size):
        plus, minus = x.copy(), x.copy()
        plus.flat[i] += h
        minus.flat[i] -= h
        grad.flat[i] = (f(plus) - f(minus)) / (2 * h)
    return grad


def as_int(value: Any, name: str) -> int:
    """Returns `value` as an int, or raises `StudentError` if it is not an integer type."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise StudentError(f"`{name}` returned {type(value).__name__}; it should return an int.")
    return int(value)


def as_float(value: Any, name: str) -> float:
    """A real number (Python or numpy scalar, or a 0-d array) as a float, or `StudentError`."""
    if isinstance(value, np.ndarray) and value.shape == () and value.dtype.kind in "iuf":
        return float(value)
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return float(value)
    raise StudentError(f"`{name}` returned {type(value).__name__}; it should return a float.")


def as_array(value: Any, name: str, shape: tuple[int, ...]) -> np.ndarray:
    """Returns `value` as a float64 array of `shape`, or raises `StudentError` saying what is off.

    The message gives the shape that came back and the one expected: shapes follow from the
    inputs the notebook describes, so they reveal nothing about the answer.
    """
    if not isinstance(value, np.ndarray) or value.dtype.kind not in "biuf":
        kind = type(value).__name__ if not isinstance(value, np.ndarray) else f"an array of {value.dtype}"
        raise StudentError(f"`{name}` returned {kind}; it should return a numpy array of floats.")
    if value.shape != tuple(shape):
        raise StudentError(
            f"`{name}` returned an array of the wrong shape (got {value.shape}, expected {tuple(shape)})."
        )
    return value.astype(np.float64)
