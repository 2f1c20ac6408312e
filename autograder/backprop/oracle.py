"""Oracles, input strategies and strict checks shared by the backprop hidden tests.

Expected values come from torch autograd or float64 finite differences computed here, on inputs
drawn from the test's seeded `rng`. Shapes are non-square with N > 1, so a missing transpose or a
sum over the wrong axis shows.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from autograder.backprop import probes
from autograder.checks import (  # noqa: F401 (the tests import them from here)
    ATOL,
    ONLY_WITH_RIGHT_VALUES,
    RTOL,
    centered_differences,
    close,
)
from autograder.student import StudentError

TRIALS = 4

# What a backward that asks autograd for the gradient calls (torch.autograd.grad, Tensor.backward,
# torch.autograd.backward, torch.func transforms), by the last part of the function's name.
AUTOGRAD_CALLS = frozenset({"grad", "backward", "vjp", "jvp", "jacobian", "hessian", "jacrev", "jacfwd"})


# talking to the student's code -------------------------------------------------------------------


def array(value: Any, what: str, shape: tuple[int, ...], should: str = "") -> np.ndarray:
    """`value` as a float64 array of `shape`, or a StudentError naming `what` is wrong with it."""
    if not isinstance(value, np.ndarray) or value.dtype.kind not in "iuf":
        raise StudentError(f"{what} should be a numpy array of floats, not {type(value).__name__}.")
    if value.shape != tuple(shape):
        raise StudentError(f"{what} has the wrong shape{'; it should have ' + should if should else ''}.")
    return value.astype(np.float64)


def scalar(value: Any, what: str) -> float:
    """`value` as a float if it is a real number (or a 0-d array), else a StudentError."""
    if isinstance(value, np.ndarray) and value.shape == () and value.dtype.kind in "iuf":
        return float(value)
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return float(value)
    raise StudentError(f"{what} should be a number, not {type(value).__name__}.")


def forward_output(student, layer: str, inputs: list[np.ndarray], shape: tuple[int, ...]) -> np.ndarray:
    """The `out` of the student's `<layer>_forward(*inputs)`, checked to be an array of `shape`."""
    report = student.probe(probes.layer_forward, layer, inputs)
    if "out" not in report:
        raise StudentError(
            f"`{layer}_forward` returned a {report['type']}; it should return a pair (out, cache)."
        )
    return array(report["out"], f"`out` from `{layer}_forward`", shape)


def loss_and_grads(student, X, y, params, **reg):
    """The student's (loss, grads) with the loss checked to be a number (grads unchecked)."""
    result = student.two_layer_net(X, params, y, **reg)
    if not (isinstance(result, (tuple, list)) and len(result) == 2):
        raise StudentError("With labels y, `two_layer_net` should return a pair (loss, grads).")
    return scalar(result[0], "The loss from `two_layer_net`"), result[1]


# inputs ------------------------------------------------------------------------------------------


def distinct(rng: np.random.Generator, count: int, low: int = 2, high: int = 10) -> list[int]:
    """`count` different sizes in [low, high): no two axes can be confused."""
    return [int(v) for v in rng.choice(np.arange(low, high), size=count, replace=False)]


def normal(rng: np.random.Generator, *shape: int) -> np.ndarray:
    return rng.standard_normal(shape)


def affine_inputs(rng: np.random.Generator, multidimensional: bool, high: int = 10):
    """(x, w, b, dout) with x of shape (N, D) or (N, d_1, .., d_k), and N, D, M all different
    (each below `high` for a two-dimensional x)."""
    if multidimensional:
        n = int(rng.integers(2, 6))
        dims = [int(v) for v in rng.integers(2, 5, size=int(rng.integers(2, 4)))]
        d = int(np.prod(dims))
        m = int(rng.choice([v for v in range(2, 10) if v not in (n, d)]))
        x = normal(rng, n, *dims)
    else:
        n, d, m = distinct(rng, 3, high=high)
        x = normal(rng, n, d)
    return x, normal(rng, d, m), normal(rng, m), normal(rng, n, m)


def with_exact_zeros(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Random values where about a third of the entries are exactly 0 (at least one is)."""
    x = rng.standard_normal(shape)
    zeros = rng.random(shape) < 1 / 3
    zeros.flat[int(rng.integers(zeros.size))] = True
    x[zeros] = 0.0
    return x


def away_from_zero(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Random values at least 0.1 away from the ReLU kink, of both signs."""
    return rng.choice([-1.0, 1.0], size=shape) * rng.uniform(0.1, 2.0, size=shape)


def net_inputs(rng: np.random.Generator):
    """(X, y, params) of a small two-layer net with N, D, H, C all different."""
    n, d, h, c = distinct(rng, 4, 2, 12)
    params = {"W1": normal(rng, d, h), "b1": normal(rng, h), "W2": normal(rng, h, c), "b2": normal(rng, c)}
    return normal(rng, n, d), rng.integers(0, c, size=n), params


def spirals(rng: np.random.Generator, per_class: int = 100, classes: int = 3, noise: float = 0.2):
    """The CS231n toy data set: `classes` interleaved noisy spiral arms in the plane."""
    X = np.zeros((per_class * classes, 2))
    y = np.repeat(np.arange(classes), per_class)
    radius = np.linspace(0.0, 1.0, per_class)
    for k in range(classes):
        theta = np.linspace(4.0 * k, 4.0 * (k + 1), per_class) + noise * rng.standard_normal(per_class)
        X[k * per_class : (k + 1) * per_class] = np.c_[radius * np.sin(theta), radius * np.cos(theta)]
    return X, y


def he_init(rng: np.random.Generator, d: int, h: int, c: int) -> dict[str, np.ndarray]:
    return {
        "W1": rng.standard_normal((d, h)) * np.sqrt(2.0 / d),
        "b1": np.zeros(h),
        "W2": rng.standard_normal((h, c)) * np.sqrt(1.0 / h),
        "b2": np.zeros(c),
    }


# oracles -----------------------------------------------------------------------------------------


def _t(a: np.ndarray) -> torch.Tensor:
    return torch.tensor(np.asarray(a), dtype=torch.float64, requires_grad=True)


def affine_torch(x: np.ndarray, w: np.ndarray, b: np.ndarray, dout: np.ndarray):
    """out, dx, dw, db of out = x.reshape(N, -1) @ w + b, by torch autograd."""
    xt, wt, bt = _t(x), _t(w), _t(b)
    out = xt.reshape(xt.shape[0], -1) @ wt + bt
    out.backward(torch.from_numpy(dout))
    return out.detach().numpy(), xt.grad.numpy(), wt.grad.numpy(), bt.grad.numpy()


def relu_torch(x: np.ndarray, dout: np.ndarray):
    """out and dx of torch.relu (whose gradient at 0 is 0), by torch autograd."""
    xt = _t(x)
    out = torch.relu(xt)
    out.backward(torch.from_numpy(dout))
    return out.detach().numpy(), xt.grad.numpy()


def net_scores(X: np.ndarray, params: dict[str, np.ndarray]) -> np.ndarray:
    """Class scores of affine - relu - affine, in float64 torch."""
    p = {k: torch.from_numpy(np.asarray(v, dtype=np.float64)) for k, v in params.items()}
    hidden = torch.relu(torch.from_numpy(X) @ p["W1"] + p["b1"])
    return (hidden @ p["W2"] + p["b2"]).numpy()


def net_loss(X: np.ndarray, y: np.ndarray, params: dict[str, np.ndarray], reg: float):
    """Mean cross-entropy + 0.5 reg (|W1|^2 + |W2|^2) and its gradients, by torch autograd."""
    p = {k: _t(v) for k, v in params.items()}
    hidden = torch.relu(torch.from_numpy(X) @ p["W1"] + p["b1"])
    scores = hidden @ p["W2"] + p["b2"]
    loss = F.cross_entropy(scores, torch.from_numpy(y)) + 0.5 * reg * (
        (p["W1"] ** 2).sum() + (p["W2"] ** 2).sum()
    )
    loss.backward()
    return float(loss.detach()), {k: v.grad.numpy() for k, v in p.items()}


def smooth_coefficients(rng: np.random.Generator, shape: tuple[int, ...]):
    """a, b, c of f(x) = sum(a x^2/2 + b x^3/6 + c sin x) for x in [-1, 1]: there f'' >= 0.3 and
    |f'''| >= 0.1, so a one-sided difference (error h f''/2) or a step other than h (error h^2 f'''/6)
    shows."""
    return (rng.uniform(1.0, 2.0, shape), rng.uniform(0.2, 0.5, shape), rng.uniform(-0.1, 0.1, shape))


def smooth(a: np.ndarray, b: np.ndarray, c: np.ndarray):
    """The numpy f of `smooth_coefficients` (the probe builds the same one beside the student's code)."""
    return lambda x: float(np.sum(a * x**2 / 2 + b * x**3 / 6 + c * np.sin(x)))


def smooth_gradient(a: np.ndarray, b: np.ndarray, c: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The exact gradient of f at x, by torch autograd."""
    xt = _t(x)
    f = (
        torch.from_numpy(a) * xt**2 / 2
        + torch.from_numpy(b) * xt**3 / 6
        + torch.from_numpy(c) * torch.sin(xt)
    ).sum()
    f.backward()
    return xt.grad.numpy()


def gradcheck(student, name: str, inputs: list[np.ndarray], out_shape: tuple[int, ...]) -> bool:
    """torch.autograd.gradcheck in float64 of the student's Function `name` at `inputs`.

    gradcheck compares the backward pass with finite differences of the forward pass. It runs here
    on a stand-in Function whose forward and backward ask the student's Function through probes.
    """

    class StudentFunction(torch.autograd.Function):
        @staticmethod
        def forward(ctx, *tensors):
            ctx.arrays = [t.detach().numpy().copy() for t in tensors]
            out = student.probe(probes.function_forward, name, ctx.arrays)
            return torch.from_numpy(array(out, f"The output of `{name}.apply`", out_shape))

        @staticmethod
        def backward(ctx, grad_output):
            report = student.probe(
                probes.function_gradients, name, ctx.arrays, grad_output.detach().numpy().copy()
            )
            return tuple(
                None if g is None else torch.from_numpy(array(g, f"A gradient of `{name}`", a.shape))
                for g, a in zip(report["grads"], ctx.arrays)
            )

    tensors = [_t(a) for a in inputs]
    return torch.autograd.gradcheck(StudentFunction.apply, tensors, raise_exception=False)


def check_hand_written(
    student, name: str, inputs: list[np.ndarray], grad_output: np.ndarray, want: list[np.ndarray], source
) -> None:
    """Fails unless `name` is an autograd Function whose own backward computes the right gradients
    (`want`, torch's) without autograd.

    Decided here, in the grader: the gradients, and the submitted source (`source`, the `source`
    fixture): a subclass of torch.autograd.Function that defines forward and backward; autograd
    anywhere in it fails the whole function (`RULES` in `autograder/backprop/__init__.py`). What the
    probe sees beside the student's code (`backward_facts`) can only fail the case.
    """
    missing = source.subclass(name, "torch.autograd.Function", ["forward", "backward|vjp"])
    if missing:
        raise StudentError(missing)
    grads = student.probe(probes.function_gradients, name, inputs, grad_output)["grads"]
    right = len(grads) == len(want) and all(
        g is not None and close(array(g, f"A gradient of `{name}`", w.shape), w) for g, w in zip(grads, want)
    )
    assert right, ONLY_WITH_RIGHT_VALUES
    facts = student.probe(probes.backward_facts, name, inputs, grad_output)
    if not facts["is_function"]:
        raise StudentError(f"`{name}` should be a subclass of torch.autograd.Function.")
    if facts["grad_fn"] != f"{name}Backward":
        raise StudentError(
            f"The output of `{name}.apply` should come from `{name}`'s own backward, "
            "not from the autograd of the operations inside."
        )
    if not facts["defines_backward"]:
        raise StudentError(f"`{name}` should define its own static `backward` method.")
    if {call.rsplit(".", 1)[-1] for call in facts["backward_calls"]} & AUTOGRAD_CALLS:
        raise StudentError(f"`{name}.backward` asks autograd for the gradient; compute it by hand.")
