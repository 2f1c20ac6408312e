"""No points for non-answers: every hidden test case of every assignment fails for a submission whose
graded functions return zeros, None, their input, or do nothing.

Each non-answer keeps the shape of a real answer where it can (a pair `(out, cache)` of zeros, a
config dict handed back, an autograd Function whose forward and backward return zeros of the right
shapes, an optimizer whose step does nothing), so a case that checks only a shape, a type, that an
input was left alone, that gradients are consistent (gradcheck) or how the answer was built, and not
the values, shows up here.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest
import torch

from autograder.runner import run_cells
from autograder.student import Student
from conftest import ASSIGNMENTS, grade_cells
from tools import submissions

KINDS = ("zeros", "none", "input", "unchanged")


def _filled(value: Any, kind: str, first: Any) -> Any:
    """`value` (a real answer) with every number and array replaced: by zeros, or by the first
    argument where it has the same shape ("unchanged": hand back the input, do nothing)."""
    if isinstance(value, torch.Tensor):
        same = kind == "unchanged" and isinstance(first, torch.Tensor) and first.shape == value.shape
        return first if same else torch.zeros_like(value)
    if isinstance(value, np.ndarray):
        same = kind == "unchanged" and isinstance(first, np.ndarray) and first.shape == value.shape
        return first if same else np.zeros_like(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float, np.integer, np.floating)):
        return type(value)(0)
    if isinstance(value, tuple):
        return tuple(_filled(v, kind, first) for v in value)
    if isinstance(value, list):
        return [_filled(v, kind, first) for v in value]
    if isinstance(value, dict):
        return {k: _filled(v, kind, first) for k, v in value.items()}
    return value


def _function(reference, kind: str):
    """A non-answer with the call signature of the reference function `reference`."""

    def non_answer(*args, **kwargs):
        if kind == "none":
            return None
        if kind == "input":
            return args[0] if args else None
        answer = reference(*copy.deepcopy(args), **copy.deepcopy(kwargs))  # only its structure is used
        rule = isinstance(answer, tuple) and len(answer) == 2 and isinstance(answer[1], dict)
        if kind == "unchanged" and rule:  # an update rule that does not move: (w, config)
            return args[0], (args[2] if len(args) > 2 and isinstance(args[2], dict) else {})
        return _filled(answer, kind, args[0] if args else None)

    return non_answer


def _autograd_function(reference, kind: str):
    """An autograd Function whose forward returns zeros of the right shape (or its input) and whose
    backward returns zeros (or passes the gradient through): consistent, so gradcheck passes."""

    class NonAnswer(torch.autograd.Function):
        @staticmethod
        def forward(ctx, *inputs):
            ctx.shapes = [t.shape for t in inputs]
            if kind in ("input", "unchanged", "none"):
                return inputs[0].clone()
            with torch.no_grad():
                return torch.zeros_like(reference.apply(*[t.detach() for t in inputs]))

        @staticmethod
        def backward(ctx, grad):
            if kind in ("input", "unchanged", "none"):
                return (grad, *[torch.zeros(s, dtype=grad.dtype) for s in ctx.shapes[1:]])
            return tuple(torch.zeros(s, dtype=grad.dtype) for s in ctx.shapes)

    NonAnswer.__name__ = NonAnswer.__qualname__ = reference.__name__
    return NonAnswer


def _optimizer(reference, kind: str):
    """A torch optimizer whose step does nothing (or zeroes the parameters)."""

    class NonAnswer(torch.optim.Optimizer):
        def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
            super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay))

        @torch.no_grad()
        def step(self, closure=None):
            if kind == "zeros":
                for group in self.param_groups:
                    for p in group["params"]:
                        p.zero_()
            return None

    NonAnswer.__name__ = NonAnswer.__qualname__ = reference.__name__
    return NonAnswer


def _module(reference, kind: str):
    """An nn.Module built like the reference (same submodules) whose forward returns zeros, its input
    or None."""

    class NonAnswer(reference):
        def forward(self, x, *args, **kwargs):
            if kind == "none":
                return None
            return torch.zeros_like(x) if kind == "zeros" else x

    NonAnswer.__name__ = NonAnswer.__qualname__ = reference.__name__
    return NonAnswer


def non_answer_namespace(assignment: str, kind: str) -> dict[str, Any]:
    """The reference submission with every graded function or class replaced by a non-answer."""
    reference = submissions.namespace(assignment)
    namespace = submissions.namespace(assignment)
    for name in submissions.reference_sources(submissions.source_notebook(assignment)):
        original = reference.get(name)
        if isinstance(original, type) and issubclass(original, torch.autograd.Function):
            namespace[name] = _autograd_function(original, kind)
        elif isinstance(original, type) and issubclass(original, torch.optim.Optimizer):
            namespace[name] = _optimizer(original, kind)
        elif isinstance(original, type) and issubclass(original, torch.nn.Module):
            namespace[name] = _module(original, kind)
        elif callable(original):
            namespace[name] = _function(original, kind)
    return namespace


CASES = [(a, k) for a in ASSIGNMENTS for k in KINDS]


@pytest.mark.parametrize(("assignment", "kind"), CASES, ids=[f"{a}-{k}" for a, k in CASES])
def test_a_non_answer_earns_nothing(assignment, kind):
    student = Student(non_answer_namespace(assignment, kind))
    cells = [cell.grade_id for cell in grade_cells(assignment) if cell.hidden]
    results = run_cells(assignment, cells, student, seconds=10)
    paid = {cell: [case.name for case in result.cases if case.passed] for cell, result in results.items()}
    assert not {cell: cases for cell, cases in paid.items() if cases}
    assert all(result.cases for result in results.values())
