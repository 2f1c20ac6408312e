"""Probes for the cnn hidden tests: they run beside the student's code and report raw results.

A layer's backward pass works on the cache its own forward pass returned, and a cache may hold
anything, so both passes run here, where the student's code lives; only the outputs and gradients
go back. Every expected value and every comparison lives in the test modules.

A probe reports a student function that raised, or returned something that cannot cross back, as
`{"error": {"function": ..., "raised": ...}}` or `{"error": {"function": ..., "returned": ...}}`, so
the test can name the function (`oracle.run` turns it into a `StudentError`).
"""

from __future__ import annotations

import functools
from typing import Any

from autograder.student_side import codec
from autograder.student_side.serve import lookup


class _Failed(Exception):
    """A student function raised, or returned something that is not plain data."""

    def __init__(self, report: dict[str, str]):
        super().__init__(report)
        self.report = report


def _call(function: str, fn, *args: Any) -> Any:
    try:
        return fn(*args)
    except (Exception, SystemExit) as error:
        raise _Failed({"function": function, "raised": type(error).__name__}) from None


def _plain(function: str, value: Any) -> Any:
    try:
        codec.encode(value)
    except (codec.NotPlainData, ValueError, TypeError):
        raise _Failed({"function": function, "returned": type(value).__name__}) from None
    return value


def _reported(probe):
    @functools.wraps(probe)
    def wrapper(ns, *args, **kwargs):
        try:
            return probe(ns, *args, **kwargs)
        except _Failed as failed:
            return {"error": failed.report}

    return wrapper


def _forward(ns, layer: str, inputs: list) -> Any:
    name = f"{layer}_forward"
    return _call(name, lookup(ns, name), *inputs)


@_reported
def layer_forward(ns, layer: str, inputs: list) -> dict:
    """Runs `<layer>_forward(*inputs)`; reports the type of its result and, for a pair, its first item."""
    result = _forward(ns, layer, inputs)
    report = {"type": type(result).__name__}
    if isinstance(result, (tuple, list)) and len(result) == 2:
        report["out"] = _plain(f"{layer}_forward", result[0])
    return report


@_reported
def layer_backward(ns, layer: str, inputs: list, dout: Any) -> dict:
    """Runs `<layer>_forward(*inputs)`, then `<layer>_backward(dout, cache)` on its cache (which stays
    here); reports what backward returned."""
    result = _forward(ns, layer, inputs)
    if not (isinstance(result, (tuple, list)) and len(result) == 2):
        returned = f"a {type(result).__name__}, not a pair (out, cache),"
        raise _Failed({"function": f"{layer}_forward", "returned": returned})
    name = f"{layer}_backward"
    grads = _call(name, lookup(ns, name), dout, result[1])
    return {"grads": _plain(name, grads)}
