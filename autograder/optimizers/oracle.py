"""Torch oracles, strict result checks and input strategies shared by the optimizers hidden tests.

The inputs are built so that each known mistake shows for any seed: weights and gradients are
bounded away from zero (so an epsilon in the wrong place stays within tolerance where it should,
and far outside it where a test is after it), and shapes are never square.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from autograder.checks import as_array
from autograder.optimizers import probes
from autograder.student import StudentError

RTOL, ATOL = 1e-6, 1e-9
TRIALS = 3
STEPS = 8

# Building the first torch optimizer imports torch._dynamo (about 2 s): do it when the tests are
# loaded, outside every test case's time limit.
torch.optim.SGD([torch.zeros(1, requires_grad=True)])

DEFAULTS = {
    "sgd": {"learning_rate": 1e-2},
    "sgd_momentum": {"learning_rate": 1e-2, "momentum": 0.9},
    "rmsprop": {"learning_rate": 1e-2, "decay_rate": 0.99, "epsilon": 1e-8},
    "adam": {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8},
}


def _torch_optimizer(rule: str, param: torch.Tensor, hp: dict[str, float]) -> torch.optim.Optimizer:
    lr = hp["learning_rate"]
    if rule == "sgd":
        return torch.optim.SGD([param], lr=lr)
    if rule == "sgd_momentum":
        return torch.optim.SGD([param], lr=lr, momentum=hp["momentum"])
    if rule == "rmsprop":
        return torch.optim.RMSprop([param], lr=lr, alpha=hp["decay_rate"], eps=hp["epsilon"])
    if rule == "adam":
        return torch.optim.Adam([param], lr=lr, betas=(hp["beta1"], hp["beta2"]), eps=hp["epsilon"])
    raise ValueError(rule)


def torch_trajectory(
    rule: str, w0: np.ndarray, grads: list[np.ndarray], config: dict[str, float] | None = None
) -> list[np.ndarray]:
    """The weights after each step of the torch optimizer that `rule` must match, in float64."""
    hp = {**DEFAULTS[rule], **(config or {})}
    param = torch.tensor(w0, dtype=torch.float64, requires_grad=True)
    optimizer = _torch_optimizer(rule, param, hp)
    out = []
    for g in grads:
        param.grad = torch.tensor(g, dtype=torch.float64)
        optimizer.step()
        out.append(param.detach().numpy().copy())
    return out


def step(
    student, rule: str, w: np.ndarray, dw: np.ndarray, config: dict[str, Any] | None
) -> tuple[np.ndarray, dict[str, Any]]:
    """One call of the student's rule (without a config argument when `config` is None)."""
    fn = getattr(student, rule)
    out = fn(w, dw) if config is None else fn(w, dw, config)
    if not (isinstance(out, (tuple, list)) and len(out) == 2):
        raise StudentError(f"`{rule}` should return a pair (next_w, config).")
    next_w = as_array(out[0], rule, w.shape)
    if not isinstance(out[1], dict):
        raise StudentError(f"`{rule}` should return the config dict as the second item of its pair.")
    return next_w, out[1]


def student_trajectory(
    student, rule: str, w0: np.ndarray, grads: list[np.ndarray], config: dict[str, Any] | None = None
) -> list[np.ndarray]:
    """The weights after each call of the student's rule, feeding back the config it returns."""
    w, out = w0, []
    for g in grads:
        w, config = step(student, rule, w, g, config)
        out.append(w)
    return out


def close(got, want) -> bool:
    """Whether two arrays (or equal-length lists of arrays) agree within the contract's tolerance."""
    return all(np.allclose(a, b, rtol=RTOL, atol=ATOL) for a, b in zip(got, want, strict=True))


def shape(rng: np.random.Generator) -> tuple[int, int]:
    """A non-square (N, D) shape."""
    n = int(rng.integers(2, 5))
    return n, n + int(rng.integers(1, 4))


def signs(rng: np.random.Generator, shape_: tuple[int, ...]) -> np.ndarray:
    return rng.choice([-1.0, 1.0], size=shape_)


def weights(rng: np.random.Generator, shape_: tuple[int, ...]) -> np.ndarray:
    """Weights with |w| in [2, 4], so a few small steps never bring them near zero."""
    return signs(rng, shape_) * rng.uniform(2.0, 4.0, size=shape_)


def gradients(
    rng: np.random.Generator, shape_: tuple[int, ...], steps: int = STEPS, low: float = 1.0, high: float = 3.0
) -> list[np.ndarray]:
    """A sequence of gradients whose entries have magnitudes in [low, high] and random signs."""
    return [signs(rng, shape_) * rng.uniform(low, high, size=shape_) for _ in range(steps)]


def problem(rng: np.random.Generator, steps: int = STEPS, low: float = 1.0, high: float = 3.0):
    """Initial weights and a gradient sequence of a random non-square shape."""
    shape_ = shape(rng)
    return weights(rng, shape_), gradients(rng, shape_, steps, low, high)


def check_state_in_config(student, rule: str, config: dict[str, float], rng: np.random.Generator) -> None:
    """The returned config carries the state: a fresh config starts over, the returned one goes on.

    Compares the student's rule only with itself (NaN equal to NaN), so it isolates where the
    state lives from how the update is computed.
    """
    for _ in range(TRIALS):
        w0, (g1, g2) = problem(rng, steps=2)
        w1, c1 = step(student, rule, w0, g1, dict(config))
        again, _ = step(student, rule, w0, g1, dict(config))
        continued, _ = step(student, rule, w0, g2, c1)
        fresh, _ = step(student, rule, w0, g2, dict(config))
        assert np.allclose(again, w1, rtol=RTOL, atol=ATOL, equal_nan=True), (
            "The same first call with a fresh config took a different step: state is kept outside config."
        )
        assert not np.allclose(continued, fresh, rtol=RTOL, atol=ATOL, equal_nan=True), (
            "Passing the returned config back changed nothing: the state does not carry over in config."
        )


# ---- ScratchAdam -----------------------------------------------------------------------------


def torch_adam(
    groups: list[dict[str, Any]], grads: list, kwargs: dict[str, Any], as_groups: bool
) -> list[list[list[np.ndarray]]]:
    """What `torch.optim.Adam` does with the same groups, gradients (None: no gradient) and options."""
    tensors, params = probes.adam_params(groups, as_groups)
    optimizer = torch.optim.Adam(params, **kwargs)
    out = []
    for step_grads in grads:
        for ts, gs in zip(tensors, step_grads):
            for t, g in zip(ts, gs):
                t.grad = None if g is None else torch.tensor(g, dtype=torch.float64)
        optimizer.step()
        out.append([[t.detach().numpy().copy() for t in ts] for ts in tensors])
    return out


def adam_trajectory(result: Any, want: list[list[list[np.ndarray]]]) -> list[list[list[np.ndarray]]]:
    """The probe's trajectory, checked to have the structure of `want` (steps, groups, params)."""
    if not isinstance(result, dict) or "trajectory" not in result:
        raise StudentError("`ScratchAdam` could not be run.")
    got = result["trajectory"]
    try:
        return [
            [
                [as_array(p, "ScratchAdam", w.shape) for p, w in zip(gs, ws, strict=True)]
                for gs, ws in zip(step_got, step_want, strict=True)
            ]
            for step_got, step_want in zip(got, want, strict=True)
        ]
    except ValueError:
        raise StudentError("`ScratchAdam` changed the number of parameters.") from None


def same_adam(got, want) -> bool:
    return all(close(gs, ws) for step_got, step_want in zip(got, want) for gs, ws in zip(step_got, step_want))


def adam_params(rng: np.random.Generator, count: int = 2) -> list[np.ndarray]:
    """Parameters of a small model: non-square matrices and vectors."""
    shapes = [shape(rng) if i % 2 == 0 else (int(rng.integers(2, 6)),) for i in range(count)]
    return [weights(rng, s) for s in shapes]


def adam_grads(rng: np.random.Generator, groups: list[list[np.ndarray]], steps: int = 6) -> list:
    """grads[step][group][param], each bounded away from zero."""
    return [
        [[signs(rng, p.shape) * rng.uniform(1.0, 3.0, size=p.shape) for p in params] for params in groups]
        for _ in range(steps)
    ]


# ---- fit_linear_regression -------------------------------------------------------------------


def regression_batches(rng: np.random.Generator, batches: int, batch_size: int):
    """Regression data of `batches` consecutive batches that disagree by design.

    Every batch has the same feature covariance, `X_b^T X_b / B = diag(s^2)` with s^2 in [1.5, 2],
    and targets whose noise is orthogonal to its features. Batch k alone is fit best by
    `w* + a_k u` with `a = (-1, ..., -1, batches - 1)`, so the least-squares solution of all the
    data is `w*`, and an update that only ever sees the last batch lands `(batches - 1) |u|` away.

    Returns:
        `(X, y, spread)`: X of shape (batches * batch_size, D), y, and `|u|`.
    """
    d = int(rng.integers(2, 5))
    s = np.sqrt(rng.uniform(1.5, 2.0, size=d))
    w_star = signs(rng, (d,)) * rng.uniform(1.0, 3.0, size=d)
    u = signs(rng, (d,)) * rng.uniform(0.5, 1.0, size=d)
    a = np.full(batches, -1.0)
    a[-1] = batches - 1
    xs, ys = [], []
    for k in range(batches):
        q = np.linalg.qr(rng.normal(size=(batch_size, batch_size)))[0]
        xb = np.sqrt(batch_size) * q[:, :d] * s
        xs.append(xb)
        ys.append(xb @ (w_star + a[k] * u) + q[:, d:] @ rng.normal(size=batch_size - d))
    return np.vstack(xs), np.concatenate(ys), float(np.linalg.norm(u))


def minibatch_gradient_descent(
    X: np.ndarray, y: np.ndarray, batch_size: int, learning_rate: float, epochs: int
) -> np.ndarray:
    """The weights of mini-batch gradient descent from w = 0, one step on each batch's mean squared
    error, batches in order (no rng): what `fit_linear_regression` returns (torch autograd, float64)."""
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    w = torch.zeros(X.shape[1], dtype=torch.float64)
    for _ in range(epochs):
        for start in range(0, len(y), batch_size):
            w.requires_grad_(True)
            loss = ((Xt[start : start + batch_size] @ w - yt[start : start + batch_size]) ** 2).mean()
            (grad,) = torch.autograd.grad(loss, w)
            w = (w - learning_rate * grad).detach()
    return w.numpy()


def least_squares(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.linalg.lstsq(X, y, rcond=None)[0]
