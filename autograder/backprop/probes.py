"""Probes for the backprop hidden tests: they run beside the student's code and report raw results.

Each probe calls the student's definitions on the plain data a test chose and sends back what came
out: outputs, gradients, the arrays it handed over (to see in-place changes), names of torch
functions called. Every expected value and every comparison lives in the test modules.

A student function that raised, or returned something that cannot cross back, is reported as
`StudentCodeFailed` (the student side's one way), which the grader turns into a message naming it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch.overrides import TorchFunctionMode

from autograder.student_side.serve import StudentCodeFailed, lookup
from autograder.student_side.serve import call as _call
from autograder.student_side.serve import plain as _plain

# numpy layers ------------------------------------------------------------------------------------


def layer_forward(ns, layer: str, inputs: list) -> dict:
    """Runs `<layer>_forward(*inputs)`; reports its first result, what it returned, and the inputs after."""
    name = f"{layer}_forward"
    result = _call(name, lookup(ns, name), *inputs)
    report = {"type": type(result).__name__, "inputs_after": inputs}
    if isinstance(result, (tuple, list)) and len(result) == 2:
        report["out"] = _plain(name, result[0])
    return report


def layer_backward(ns, layer: str, inputs: list, dout: np.ndarray) -> dict:
    """Runs `<layer>_forward(*inputs)`, then `<layer>_backward(dout, cache)` on its cache (which stays
    here); reports what backward returned and `dout` afterwards."""
    forward, backward = f"{layer}_forward", f"{layer}_backward"
    result = _call(forward, lookup(ns, forward), *inputs)
    if not (isinstance(result, (tuple, list)) and len(result) == 2):
        raise StudentCodeFailed(forward, returned=type(result).__name__)
    grads = _call(backward, lookup(ns, backward), dout, result[1])
    return {"grads": _plain(backward, grads), "dout_after": dout}


# the gradient check ------------------------------------------------------------------------------


def _smooth(a: np.ndarray, b: np.ndarray, c: np.ndarray):
    """f(x) = sum(a x^2 / 2 + b x^3 / 6 + c sin x): the function the test differentiates too."""

    def f(x):
        return float(np.sum(a * x**2 / 2 + b * x**3 / 6 + c * np.sin(x)))

    return f


def numerical_gradient_of_smooth(ns, a, b, c, x, h=None) -> dict:
    """Runs `numerical_gradient(f, x[, h])` on the smooth f above; reports its result and x afterwards."""
    args = (_smooth(a, b, c), x) if h is None else (_smooth(a, b, c), x, h)
    grad = _call("numerical_gradient", lookup(ns, "numerical_gradient"), *args)
    return {"grad": _plain("numerical_gradient", grad), "x_after": x}


# the two-layer network ---------------------------------------------------------------------------


def train_two_layer_net(ns, X, y, params, learning_rate, steps) -> dict:
    """Plain gradient descent with the student's `two_layer_net`; reports the final parameters."""
    net = lookup(ns, "two_layer_net")
    params = dict(params)
    for _ in range(steps):
        result = _call("two_layer_net", net, X, params, y)
        try:
            _, grads = result
            params = {key: params[key] - learning_rate * np.asarray(grads[key]) for key in params}
        except Exception:
            raise StudentCodeFailed(
                "two_layer_net", returned="gradients that cannot update the parameters"
            ) from None
    return {"params": params}


# PyTorch autograd Functions ----------------------------------------------------------------------


def _tensors(arrays: list) -> list[torch.Tensor]:
    return [torch.tensor(np.asarray(a), requires_grad=True) for a in arrays]


def _array(function: str, value: Any) -> np.ndarray:
    if not isinstance(value, torch.Tensor):
        raise StudentCodeFailed(function, returned=type(value).__name__)
    return value.detach().numpy().copy()


def function_forward(ns, name: str, inputs: list) -> np.ndarray:
    """Runs `<name>.apply(*inputs)` on float64 tensors; reports the output."""
    cls = lookup(ns, name)
    out = _call(f"{name}.apply", lambda *t: cls.apply(*t), *_tensors(inputs))
    return _array(f"{name}.apply", out)


def function_gradients(ns, name: str, inputs: list, grad_output) -> dict:
    """Runs `<name>.apply(*inputs)` and backpropagates `grad_output`; reports output and input grads."""
    cls = lookup(ns, name)
    tensors = _tensors(inputs)
    with torch.enable_grad():  # the caller may itself be inside a backward pass
        out = _call(f"{name}.apply", lambda *t: cls.apply(*t), *tensors)
        out_array = _array(f"{name}.apply", out)
        _call(f"{name}.backward", lambda: out.backward(torch.as_tensor(np.asarray(grad_output))))
    return {
        "out": out_array,
        "grads": [None if t.grad is None else t.grad.detach().numpy().copy() for t in tensors],
    }


class _Recorder(TorchFunctionMode):
    """Records the names of the torch functions called while it is active."""

    def __init__(self, names: list[str]):
        super().__init__()
        self.names = names

    def __torch_function__(self, func, types, args=(), kwargs=None):
        self.names.append(str(getattr(func, "__qualname__", None) or getattr(func, "__name__", func)))
        return func(*args, **(kwargs or {}))


def _traced(cls, names: list[str]):
    """A subclass of the student's Function whose backward records the torch calls it makes (the
    autograd engine turns off torch function modes around backward, so the recorder starts inside)."""
    method = "vjp" if cls.vjp is not torch.autograd.Function.vjp else "backward"
    user_backward = getattr(cls, method)

    def backward(ctx, *grads):
        with _Recorder(names):
            return user_backward(ctx, *grads)

    return type(f"Traced{cls.__name__}", (cls,), {method: staticmethod(backward)})


def backward_facts(ns, name: str, inputs: list, grad_output) -> dict:
    """Reports how `<name>` computes gradients: whether it is a torch.autograd.Function, the type of
    its output's grad_fn, and the torch functions its backward calls (or what it raised)."""
    cls = lookup(ns, name)
    is_function = isinstance(cls, type) and issubclass(cls, torch.autograd.Function)
    out = _call(f"{name}.apply", lambda *t: cls.apply(*t), *_tensors(inputs))
    grad_fn = getattr(out, "grad_fn", None)
    base = torch.autograd.Function
    own_backward = is_function and (cls.backward is not base.backward or cls.vjp is not base.vjp)
    facts = {
        "is_function": is_function,
        "defines_backward": own_backward,
        "grad_fn": None if grad_fn is None else type(grad_fn).__name__,
        "backward_calls": [],
        "backward_raised": None,
    }
    if is_function:
        traced_out = _call(
            f"{name}.apply", lambda *t: _traced(cls, facts["backward_calls"]).apply(*t), *_tensors(inputs)
        )
        try:
            traced_out.backward(torch.as_tensor(np.asarray(grad_output)))
        except Exception as error:
            facts["backward_raised"] = type(error).__name__
    return facts
