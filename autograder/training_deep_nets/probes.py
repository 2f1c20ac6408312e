"""Probes for the training_deep_nets hidden tests: they run beside the student's code and report raw results.

A probe calls the student's definitions on the plain data a test chose and sends back what came out:
outputs, gradients, the running statistics left in `bn_param`, facts about a module. What cannot
cross as plain data stays here: caches, `numpy.random.Generator`s (built here from a seed), modules.
Every expected value and every comparison lives in the test modules.

A student function that raised, or returned something that cannot cross back, is reported as
`StudentCodeFailed` (the student side's one way), which the grader turns into a message naming it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from autograder.student_side.serve import StudentCodeFailed, lookup
from autograder.student_side.serve import call as _call
from autograder.student_side.serve import plain as _plain


def _pair(function: str, result: Any) -> tuple[Any, Any]:
    """The (out, cache) a forward pass returned, or a report that it returned something else."""
    if not (isinstance(result, (tuple, list)) and len(result) == 2):
        raise StudentCodeFailed(function, returned=type(result).__name__)
    return result[0], result[1]


def _snapshot(value: Any) -> Any:
    """A copy of an array the student's code may change later; anything else as a type name."""
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        return value.copy()
    return None if value is None else type(value).__name__


# batch normalisation -----------------------------------------------------------------------------


def batchnorm_steps(ns, steps: list, gamma: np.ndarray, beta: np.ndarray, bn_param: dict) -> dict:
    """Calls `batchnorm_forward` once per step on one `bn_param` dict (as a training loop does).

    Args:
        steps: `[(mode, x), ...]`; `bn_param["mode"]` is set to `mode` before each call.
        bn_param: the dict's initial keys (eps, momentum, running statistics) where given.

    Returns:
        `outs`: each call's `out`; `after`: `running_mean` and `running_var` in `bn_param` after each
        call (None when absent).
    """
    fn = lookup(ns, "batchnorm_forward")
    param = dict(bn_param)
    outs, after = [], []
    for mode, x in steps:
        param["mode"] = mode
        out, _ = _pair("batchnorm_forward", _call("batchnorm_forward", fn, x, gamma, beta, param))
        outs.append(_plain("batchnorm_forward", out))
        after.append({key: _snapshot(param.get(key)) for key in ("running_mean", "running_var")})
    return {"outs": outs, "after": after}


def batchnorm_gradients(
    ns, x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, bn_param: dict, dout: np.ndarray
) -> Any:
    """`batchnorm_backward(dout, cache)` on the cache of a train-mode `batchnorm_forward` call."""
    out, cache = _pair(
        "batchnorm_forward",
        _call(
            "batchnorm_forward",
            lookup(ns, "batchnorm_forward"),
            x,
            gamma,
            beta,
            {**bn_param, "mode": "train"},
        ),
    )
    return _plain(
        "batchnorm_backward", _call("batchnorm_backward", lookup(ns, "batchnorm_backward"), dout, cache)
    )


# dropout -----------------------------------------------------------------------------------------


def _dropout_param(param: dict, seed: int | None) -> dict:
    return dict(param) if seed is None else {**param, "rng": np.random.default_rng(seed)}


def dropout_forward(ns, x: np.ndarray, param: dict, seed: int | None) -> Any:
    """`out` of `dropout_forward(x, param)`, with `param["rng"]` a generator seeded by `seed` if given."""
    out, _ = _pair(
        "dropout_forward",
        _call("dropout_forward", lookup(ns, "dropout_forward"), x, _dropout_param(param, seed)),
    )
    return _plain("dropout_forward", out)


def dropout_gradients(ns, x: np.ndarray, param: dict, seed: int | None, dout: np.ndarray) -> dict:
    """`dropout_forward` as above, then `dropout_backward(dout, cache)` on its cache; reports both."""
    out, cache = _pair(
        "dropout_forward",
        _call("dropout_forward", lookup(ns, "dropout_forward"), x, _dropout_param(param, seed)),
    )
    dx = _call("dropout_backward", lookup(ns, "dropout_backward"), dout, cache)
    return {"out": _plain("dropout_forward", out), "dx": _plain("dropout_backward", dx)}


# initialisation ----------------------------------------------------------------------------------


def init_weights(ns, fan_in: int, fan_out: int, scheme: str, seed: int) -> Any:
    """`init_weights(fan_in, fan_out, scheme, rng)` with a generator seeded by `seed`."""
    fn = lookup(ns, "init_weights")
    return _plain(
        "init_weights", _call("init_weights", fn, fan_in, fan_out, scheme, np.random.default_rng(seed))
    )


# the residual block ------------------------------------------------------------------------------


def _linear_facts(module: Any) -> dict:
    if not isinstance(module, torch.nn.Linear):
        return {"type": type(module).__name__}
    return {
        "type": "Linear",
        "in": module.in_features,
        "out": module.out_features,
        "bias": module.bias is not None,
    }


def residual_block(ns, dim: int, hidden: int, weights: dict, x: np.ndarray, dout: np.ndarray) -> dict:
    """Builds `ResidualBlock(dim, hidden)` in float64, loads `weights` into fc1 and fc2, and reports
    its structure, its output on `x` and the gradients of sum(dout * output)."""
    cls = lookup(ns, "ResidualBlock")
    torch.manual_seed(0)
    block = _call("ResidualBlock", cls, dim, hidden)
    if not isinstance(block, torch.nn.Module):
        raise StudentCodeFailed("ResidualBlock", returned=type(block).__name__)
    facts = {
        "fc1": _linear_facts(getattr(block, "fc1", None)),
        "fc2": _linear_facts(getattr(block, "fc2", None)),
        "parameters": {name: list(p.shape) for name, p in block.named_parameters()},
    }
    block = _call("ResidualBlock", block.double)
    params = dict(block.named_parameters())
    with torch.no_grad():
        for name, value in weights.items():
            if name not in params or tuple(params[name].shape) != value.shape:
                raise StudentCodeFailed("ResidualBlock", returned="a module without " + name)
            params[name].copy_(torch.from_numpy(value))
    xt = torch.tensor(x, requires_grad=True)
    out = _call("ResidualBlock.forward", block, xt)
    if not isinstance(out, torch.Tensor):
        raise StudentCodeFailed("ResidualBlock.forward", returned=type(out).__name__)
    _call("ResidualBlock.forward", lambda: (out * torch.from_numpy(dout)).sum().backward())
    grads = {name: None if p.grad is None else p.grad.numpy().copy() for name, p in params.items()}
    return {
        **facts,
        "out": out.detach().numpy().copy(),
        "dx": None if xt.grad is None else xt.grad.numpy().copy(),
        "grads": grads,
    }
