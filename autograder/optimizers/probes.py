"""Probes for the optimizers hidden tests: they run beside the student's code and return plain data.

Each is named after the student definition it runs, so a message about it names that definition.
They only call the student's code and report raw results; the tests compare them with torch.
"""

from __future__ import annotations

import importlib
from typing import Any

import numpy as np
import torch

from autograder.student_side.serve import lookup

# Building the first torch optimizer imports torch._dynamo (about 2 s): do it when the probes are
# loaded, not inside the first test case that builds the student's optimizer.
torch.optim.SGD([torch.zeros(1, requires_grad=True)])


def minibatches(ns, n: int, batch_size: int, seed: int) -> Any:
    """The student's `minibatches(n, batch_size, rng)` with a generator seeded by `seed`."""
    return lookup(ns, "minibatches")(n, batch_size, np.random.default_rng(seed))


def fit_linear_regression(
    ns, X: np.ndarray, y: np.ndarray, batch_size: int, learning_rate: float, epochs: int, seed: int
) -> Any:
    """The student's `fit_linear_regression` with a generator seeded by `seed`."""
    fn = lookup(ns, "fit_linear_regression")
    return fn(X, y, batch_size, learning_rate, epochs, np.random.default_rng(seed))


def adam_params(groups: list[dict[str, Any]], as_groups: bool) -> tuple[list[list[Any]], Any]:
    """float64 leaf tensors of `groups`, and what an optimizer is built from: the groups as dicts, or
    the one group's tensors as a list (the grader's torch oracle builds torch's Adam the same way)."""
    tensors = [
        [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in g["params"]] for g in groups
    ]
    if as_groups:
        return tensors, [
            {**{k: v for k, v in g.items() if k != "params"}, "params": ts} for g, ts in zip(groups, tensors)
        ]
    return tensors, tensors[0]


def ScratchAdam(
    ns, groups: list[dict[str, Any]], grads: list, kwargs: dict[str, Any], as_groups: bool
) -> dict[str, Any]:
    """Runs the student's optimizer on float64 parameters and reports their values after each step.

    Args:
        groups: `[{"params": [array, ...], option: value, ...}, ...]`.
        grads: `grads[step][group][param]`, an array or None (the parameter gets no gradient).
        kwargs: keyword arguments of the constructor.
        as_groups: pass the groups as dicts; otherwise pass the one group's tensors as a list.

    Returns:
        `trajectory[step][group][param]` as arrays, the class's MRO as qualified names, and how
        often torch's own Adam update (`torch.optim.adam.adam`) ran during the steps.
    """
    cls = lookup(ns, "ScratchAdam")
    tensors, params = adam_params(groups, as_groups)
    adam_module = importlib.import_module("torch.optim.adam")  # torch.optim hides its submodules
    original = adam_module.adam
    calls = []

    def recording(*args, **kw):
        calls.append(1)
        return original(*args, **kw)

    adam_module.adam = recording
    try:
        optimizer = cls(params, **kwargs)
        trajectory = []
        for step_grads in grads:
            for ts, gs in zip(tensors, step_grads):
                for t, g in zip(ts, gs):
                    t.grad = None if g is None else torch.tensor(g, dtype=torch.float64)
            optimizer.step()
            trajectory.append([[t.detach().numpy().copy() for t in ts] for ts in tensors])
    finally:
        adam_module.adam = original
    mro = [f"{c.__module__}.{c.__qualname__}" for c in getattr(cls, "__mro__", ())]
    return {"trajectory": trajectory, "mro": mro, "torch_adam_calls": len(calls)}
