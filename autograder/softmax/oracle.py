"""Torch oracles, input strategies and strict checks shared by the softmax hidden tests.

Inputs are drawn from the `rng` each test case receives, and built so that every known mistake
shows for any seed: dimensions are distinct (non-square), batches have N > 1 where a mean matters,
and the stability inputs are constructed around the float64 limits of `exp` (it overflows above
about 709 and underflows to 0 below about -745).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from autograder.checks import ATOL, RTOL, as_array, close  # noqa: F401 (the tests import them from here)
from autograder.checks import as_float as as_scalar
from autograder.softmax import probes
from autograder.student import StudentError

TRIALS = 6


# --- input strategies -------------------------------------------------------------------------


def distinct_dims(rng: np.random.Generator, ndim: int, low: int = 2, high: int = 7) -> tuple[int, ...]:
    """A shape of `ndim` pairwise different dimensions, each at least 2."""
    return tuple(int(d) for d in rng.choice(np.arange(low, high + ndim), size=ndim, replace=False))


def batch_shape(rng: np.random.Generator, n_low: int = 2, n_high: int = 12) -> tuple[int, int]:
    """An `(N, C)` shape with N != C, both at least 2."""
    n, c = distinct_dims(rng, 2, low=max(2, n_low), high=n_high)
    return n, c


def logits(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Ordinary logits: no overflow or underflow can happen, whatever the code does."""
    return rng.normal(scale=3.0, size=shape)


def huge_offset(rng: np.random.Generator, trial: int) -> float:
    """A common offset far past where `exp` overflows (even trials) or underflows (odd trials)."""
    return float((1 if trial % 2 == 0 else -1) * rng.uniform(1000.0, 10000.0))


def rows_of_different_scale(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    """Ordinary rows shifted by offsets within +-600, so `exp` of any entry stays finite and nonzero,
    with at least one row above +500 and one below -500: one maximum over the whole array
    underflows every entry of the low rows."""
    n = shape[0]
    offsets = rng.uniform(-600.0, 600.0, size=n)
    offsets[0] = rng.uniform(500.0, 600.0)
    offsets[1] = -rng.uniform(500.0, 600.0)
    rng.shuffle(offsets)
    return offsets[:, None] + rng.normal(scale=3.0, size=shape)


def far_below_the_max(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Ordinary logits (largest entry of each row within about +-15 of 0) where up to C - 1 entries
    of every row sit 800 to 10000 below that row's maximum, so their softmax underflows to 0."""
    z = logits(rng, shape)
    c = shape[-1]
    rows = z.reshape(-1, c)
    for row in rows:
        keep = int(rng.integers(c))
        far = [j for j in range(c) if j != keep and rng.random() < 0.7] or [(keep + 1) % c]
        row[far] = row[keep] - rng.uniform(800.0, 10000.0, size=len(far))
    return rows.reshape(shape)


def labels(rng: np.random.Generator, n: int, c: int) -> np.ndarray:
    """Integer labels `(n,)` in `[0, c)`, int64 as torch expects."""
    return rng.integers(0, c, size=n).astype(np.int64)


def true_class_far_below(rng: np.random.Generator, c: int) -> tuple[np.ndarray, np.ndarray]:
    """One example `(1, c)` whose true-class logit is 800 to 10000 below the largest logit."""
    x = logits(rng, (1, c))
    y = labels(rng, 1, c)
    others = [j for j in range(c) if j != y[0]]
    x[0, y[0]] = x[0, others].max() - rng.uniform(800.0, 10000.0)
    return x, y


# --- torch oracles ----------------------------------------------------------------------------


def torch_softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    return torch.softmax(torch.from_numpy(z), dim=axis).numpy()


def torch_log_softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    return F.log_softmax(torch.from_numpy(z), dim=axis).numpy()


def torch_cross_entropy(x: np.ndarray, y: np.ndarray) -> float:
    return float(F.cross_entropy(torch.from_numpy(x), torch.from_numpy(y)).item())


def torch_cross_entropy_grad(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """d F.cross_entropy(x, y) / dx by autograd."""
    xt = torch.tensor(x, requires_grad=True)
    F.cross_entropy(xt, torch.from_numpy(y)).backward()
    return xt.grad.numpy()


def finite_difference_cross_entropy_grad(x: np.ndarray, y: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """Centered differences of the mean cross-entropy in float64 (torch's per-example losses),
    moving one entry of x at a time; all the moved copies go through torch in one call."""
    n, c = x.shape
    steps = h * np.eye(n * c).reshape(n * c, n, c)
    moved = np.concatenate([x + steps, x - steps])  # (2 n c, n, c)
    losses = F.cross_entropy(
        torch.from_numpy(moved.reshape(-1, c)), torch.from_numpy(np.tile(y, 2 * n * c)), reduction="none"
    )
    means = losses.numpy().reshape(2 * n * c, n).mean(axis=1)
    return ((means[: n * c] - means[n * c :]) / (2 * h)).reshape(n, c)


def torch_jacobian(z: np.ndarray) -> np.ndarray:
    jac = torch.autograd.functional.jacobian(lambda t: torch.softmax(t, dim=0), torch.from_numpy(z))
    return jac.numpy()


def torch_softmax_grad(z: np.ndarray, dim: int, weights: np.ndarray) -> np.ndarray:
    """d sum(weights * torch.softmax(z, dim)) / dz by autograd."""
    zt = torch.tensor(z, requires_grad=True)
    (torch.softmax(zt, dim=dim) * torch.from_numpy(weights)).sum().backward()
    return zt.grad.numpy()


# --- strict checks ----------------------------------------------------------------------------


def as_loss_and_gradient(value: Any, shape: tuple[int, int]) -> tuple[float, np.ndarray]:
    """`softmax_loss`'s `(loss, dx)`, checked for types and shape."""
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise StudentError("`softmax_loss` should return a tuple (loss, dx).")
    loss, dx = value
    return as_scalar(loss, "softmax_loss"), as_array(dx, "softmax_loss", shape)


def did_not_raise(report: dict[str, Any], name: str) -> dict[str, Any]:
    """A probe's report, or `StudentError` when the student's function raised."""
    if report.get("raised"):
        raise StudentError(f"`{name}` raised {report['raised']}.")
    return report


def tensor_output(report: dict[str, Any], shape: tuple[int, ...]) -> np.ndarray:
    """The output of `softmax_torch` from a probe's report, checked to be a tensor of `shape`."""
    did_not_raise(report, "softmax_torch")
    if report["output_type"] != "Tensor":
        raise StudentError(
            f"`softmax_torch` returned {report['output_type']}; it should return a torch tensor."
        )
    out = report["output"]
    if out.shape != tuple(shape):
        raise StudentError("`softmax_torch` returned a tensor of the wrong shape.")
    return out.astype(np.float64)


def unchanged(student, name: str, *args: np.ndarray) -> bool:
    """Whether the student's `name(*args)` leaves every argument exactly as it was."""
    report = did_not_raise(student.probe(probes.arguments_after_call, name, *args), name)
    return all(np.array_equal(after, before) for after, before in zip(report["args"], args))
