"""Probes for the cnn hidden tests: they run beside the student's code and report raw results.

A layer's backward pass works on the cache its own forward pass returned, and a cache may hold
anything, so both passes run here, where the student's code lives; only the outputs and gradients
go back. Every expected value and every comparison lives in the test modules.

A student function that raised, or returned something that cannot cross back, is reported as
`StudentCodeFailed` (the student side's one way), which the grader turns into a message naming it.
"""

from __future__ import annotations

from typing import Any

from autograder.student_side.serve import StudentCodeFailed, lookup
from autograder.student_side.serve import call as _call
from autograder.student_side.serve import plain as _plain


def _forward(ns, layer: str, inputs: list) -> Any:
    name = f"{layer}_forward"
    return _call(name, lookup(ns, name), *inputs)


def layer_forward(ns, layer: str, inputs: list) -> dict:
    """Runs `<layer>_forward(*inputs)`; reports the type of its result and, for a pair, its first item."""
    result = _forward(ns, layer, inputs)
    report = {"type": type(result).__name__}
    if isinstance(result, (tuple, list)) and len(result) == 2:
        report["out"] = _plain(f"{layer}_forward", result[0])
    return report


def layer_backward(ns, layer: str, inputs: list, dout: Any) -> dict:
    """Runs `<layer>_forward(*inputs)`, then `<layer>_backward(dout, cache)` on its cache (which stays
    here); reports what backward returned."""
    result = _forward(ns, layer, inputs)
    if not (isinstance(result, (tuple, list)) and len(result) == 2):
        returned = f"a {type(result).__name__}, not a pair (out, cache),"
        raise StudentCodeFailed(f"{layer}_forward", returned=returned)
    name = f"{layer}_backward"
    grads = _call(name, lookup(ns, name), dout, result[1])
    return {"grads": _plain(name, grads)}
