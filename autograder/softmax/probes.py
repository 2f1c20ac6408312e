"""Probes for the softmax hidden tests: they run beside the student's code and report raw results.

Each probe takes and returns plain data. It calls the student's object and reports what it saw
(outputs, gradients, the arguments after the call, the torch functions called, the name of an
exception the student's code raised); every expected value and comparison lives in the test modules.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch.overrides import TorchFunctionMode

from autograder.student_side.serve import lookup


def _tensor_report(out: Any) -> dict[str, Any]:
    if not isinstance(out, torch.Tensor):
        return {"output_type": type(out).__name__, "output": None}
    return {"output_type": "Tensor", "output": out.detach().cpu().numpy().copy()}


def arguments_after_call(ns, name: str, *args: Any) -> dict[str, Any]:
    """Calls the student's `name(*args)` and reports the arguments as they are afterwards."""
    fn = lookup(ns, name)
    raised = None
    try:
        fn(*args)
    except Exception as error:
        raised = type(error).__name__
    return {"raised": raised, "args": [np.array(arg, copy=True) for arg in args]}


def run_softmax_torch(ns, z: np.ndarray, dim: int | None = None) -> dict[str, Any]:
    """Calls `softmax_torch` on a tensor holding `z` (with `dim` when given, else its default);
    reports the output and the input tensor afterwards."""
    fn = lookup(ns, "softmax_torch")
    x = torch.tensor(z)
    try:
        out = fn(x) if dim is None else fn(x, dim=dim)
    except Exception as error:
        return {
            "raised": type(error).__name__,
            "output_type": None,
            "output": None,
            "input_after": x.numpy().copy(),
        }
    return {"raised": None, **_tensor_report(out), "input_after": x.numpy().copy()}


def softmax_torch_gradient(ns, z: np.ndarray, dim: int, weights: np.ndarray) -> dict[str, Any]:
    """Backpropagates sum(weights * softmax_torch(z, dim)) to a leaf tensor holding `z`; reports
    the gradient that reached it (None when none did) or the name of the error backward raised."""
    fn = lookup(ns, "softmax_torch")
    x = torch.tensor(z, requires_grad=True)
    report = {"raised": None, "output_type": None, "backward_raised": None, "grad": None}
    try:
        out = fn(x, dim=dim)
    except Exception as error:
        report["raised"] = type(error).__name__
        return report
    report["output_type"] = "Tensor" if isinstance(out, torch.Tensor) else type(out).__name__
    if not isinstance(out, torch.Tensor):
        return report
    try:
        (out * torch.from_numpy(weights)).sum().backward()
    except Exception as error:
        report["backward_raised"] = type(error).__name__
        return report
    report["grad"] = None if x.grad is None else x.grad.detach().numpy().copy()
    return report


def torch_calls_of_softmax_torch(ns, z: np.ndarray, dim: int) -> dict[str, Any]:
    """Calls `softmax_torch(z, dim)` and reports the names of the torch functions it called."""
    fn = lookup(ns, "softmax_torch")
    calls: list[str] = []

    class RecordFunctions(TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            calls.append(str(getattr(func, "__qualname__", None) or getattr(func, "__name__", func)))
            return func(*args, **(kwargs or {}))

    x = torch.tensor(z, requires_grad=True)
    raised = None
    with RecordFunctions():
        try:
            fn(x, dim=dim)
        except Exception as error:
            raised = type(error).__name__
    return {"raised": raised, "calls": sorted(set(calls))}
