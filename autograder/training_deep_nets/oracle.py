"""Oracles, input strategies and bounds shared by the training_deep_nets hidden tests.

Expected values come from torch run here in float64 (`nn.BatchNorm1d`, autograd,
`F.binary_cross_entropy_with_logits`, `torch.nn.init`), from centered finite differences, or from a
plain reference of Keras's early-stopping rule. Shapes are never square and N > 1.

Random answers (dropout masks, initial weights) are never compared with one particular draw. They are
checked through properties every honest draw has, with bounds from the exact binomial and chi-square
tails (`scipy.stats`): each bound fails for an honest draw with probability at most `ALPHA`, and no test
case checks more than `MAX_BOUNDS_PER_CASE` bounds, so by the union bound an honest answer fails a case
with probability below `MAX_BOUNDS_PER_CASE * ALPHA` = 5e-10.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from scipy import stats
from torch import nn

from autograder.checks import (  # noqa: F401 (re-exported)
    as_array,
    as_float,
    as_int,
    centered_differences,  # noqa: F401 (the tests import it from here)
    close,
    rel_error,
)
from autograder.student import StudentError

TRIALS = 3
ALPHA = 1e-11
MAX_BOUNDS_PER_CASE = 50


# talking to the student's code -------------------------------------------------------------------


def out_of_pair(report: dict, function: str, shape: tuple[int, ...]) -> np.ndarray:
    """The `out` of a `(out, cache)` pair a probe saw, checked to be a float array of `shape`."""
    if "out" not in report:
        raise StudentError(f"`{function}` returned a {report['type']}; it should return a pair (out, cache).")
    return as_array(report["out"], function, shape)


# inputs ------------------------------------------------------------------------------------------


def distinct(rng: np.random.Generator, count: int, low: int, high: int) -> list[int]:
    """`count` different sizes in [low, high): no two axes can be confused."""
    return [int(v) for v in rng.choice(np.arange(low, high), size=count, replace=False)]


def away_from_zero(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Random values of both signs, at least 0.1 from zero (so a dropped unit is the only zero)."""
    return rng.choice([-1.0, 1.0], size=shape) * rng.uniform(0.1, 2.0, size=shape)


def batch(rng: np.random.Generator, n: int, d: int) -> np.ndarray:
    """An (n, d) batch whose features have their own offsets and scales (spreads near 1, so eps shows)."""
    return rng.uniform(-2.0, 2.0, d) + rng.uniform(0.3, 1.5, d) * rng.standard_normal((n, d))


def affine_params(rng: np.random.Generator, d: int) -> tuple[np.ndarray, np.ndarray]:
    """gamma away from 0 and 1, beta away from 0: a scale or a shift left out shows."""
    return rng.choice([-1.0, 1.0], d) * rng.uniform(0.5, 2.0, d), rng.uniform(-1.5, 1.5, d)


def momentum(rng: np.random.Generator) -> float:
    """A non-default momentum far from 0.5, where the two conventions would agree."""
    return float(rng.uniform(0.6, 0.85))


def drop_probability(rng: np.random.Generator) -> float:
    """A `p` far from 0.5, so that the drop and the keep probability cannot be confused."""
    return float(rng.choice([-1.0, 1.0]) * rng.uniform(0.15, 0.35) + 0.5)


# batch normalisation -----------------------------------------------------------------------------


def _t(a: Any, grad: bool = False) -> torch.Tensor:
    return torch.tensor(np.asarray(a, dtype=np.float64), requires_grad=grad)


def batchnorm1d(gamma: np.ndarray, beta: np.ndarray, eps: float) -> nn.BatchNorm1d:
    """A float64 `nn.BatchNorm1d` with weight `gamma`, bias `beta` and `eps`."""
    layer = nn.BatchNorm1d(len(gamma), eps=eps).double()
    with torch.no_grad():
        layer.weight.copy_(_t(gamma))
        layer.bias.copy_(_t(beta))
    return layer


def batchnorm_train(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> np.ndarray:
    """The output of `nn.BatchNorm1d` in training mode."""
    with torch.no_grad():
        return batchnorm1d(gamma, beta, eps).train()(_t(x)).numpy()


def batchnorm_test(
    x: np.ndarray,
    gamma: np.ndarray,
    beta: np.ndarray,
    eps: float,
    running_mean: np.ndarray,
    running_var: np.ndarray,
) -> np.ndarray:
    """The output of `nn.BatchNorm1d` in eval mode whose running statistics are the given ones."""
    layer = batchnorm1d(gamma, beta, eps).eval()
    with torch.no_grad():
        layer.running_mean.copy_(_t(running_mean))
        layer.running_var.copy_(_t(running_var))
        return layer(_t(x)).numpy()


def running_statistics(
    batches: list[np.ndarray], momentum: float, running_mean: np.ndarray, running_var: np.ndarray
) -> list[tuple[np.ndarray, np.ndarray]]:
    """(running_mean, running_var) after each batch, in the contract's (CS231n's) convention.

    torch keeps the weight of the new batch as `momentum` and tracks the unbiased variance, so its
    buffers are not the oracle here; the batch statistics still come from torch.
    """
    mean, var, after = _t(running_mean), _t(running_var), []
    for x in batches:
        xt = _t(x)
        mean = momentum * mean + (1 - momentum) * xt.mean(dim=0)
        var = momentum * var + (1 - momentum) * xt.var(dim=0, unbiased=False)
        after.append((mean.numpy().copy(), var.numpy().copy()))
    return after


def batchnorm_gradients(
    x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float, dout: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """dx, dgamma, dbeta of sum(dout * nn.BatchNorm1d(x)) in training mode, by torch autograd."""
    xt, gt, bt = _t(x, True), _t(gamma, True), _t(beta, True)
    out = F.batch_norm(xt, None, None, gt, bt, training=True, eps=eps)
    out.backward(_t(dout))
    return xt.grad.numpy(), gt.grad.numpy(), bt.grad.numpy()


def batchnorm_loss_in_gamma(x: np.ndarray, beta: np.ndarray, eps: float, dout: np.ndarray):
    """gamma -> sum(dout * nn.BatchNorm1d(x)) in training mode: the loss whose gradient is dgamma."""
    layer, xt = batchnorm1d(np.ones_like(beta), beta, eps).train(), _t(x)

    def loss(gamma: np.ndarray) -> float:
        with torch.no_grad():
            layer.weight.copy_(_t(gamma))
            return float(torch.sum(layer(xt) * _t(dout)))

    return loss


# dropout -----------------------------------------------------------------------------------------


def binomial_bounds(n: int, q: float) -> tuple[int, int]:
    """[lo, hi] holding a Binomial(n, q) count except with probability at most 2 ALPHA.

    binom.ppf(ALPHA) is the smallest k with P(K <= k) >= ALPHA, so P(K < lo) < ALPHA; binom.isf(ALPHA)
    is the smallest k with P(K > k) <= ALPHA.
    """
    return int(stats.binom.ppf(ALPHA, n, q)), int(stats.binom.isf(ALPHA, n, q))


def is_masked_copy(out: np.ndarray, x: np.ndarray) -> bool:
    """Whether `out` is `c * mask * x` for one scale c > 0 and a mask that keeps some units and drops
    some (`x` has no zeros): what any attempt at dropout returns, whatever its scale or its p, and
    what `x` itself, zeros, noise or None are not. Gates the cases about properties of the draw."""
    kept = out != 0
    if not (kept.any() and (~kept).any()):
        return False
    ratio = out[kept] / x[kept]
    return bool(ratio[0] > 0 and close(ratio, ratio[0]))


# the logistic loss -------------------------------------------------------------------------------


def logistic_loss(z: np.ndarray, y: np.ndarray) -> float:
    """`F.binary_cross_entropy_with_logits(z, y)` (mean reduction) in float64."""
    return float(F.binary_cross_entropy_with_logits(_t(z), _t(y)))


# initialisation ----------------------------------------------------------------------------------


def torch_init_std(fan_in: int, fan_out: int, scheme: str) -> float:
    """The standard deviation `torch.nn.init` draws with for a layer with these fans.

    torch stores a linear layer's weight as (fan_out, fan_in). Drawing once with `normal_(0, 1)` and
    once with the initialiser from the same generator state gives the same standard normals, scaled by
    the initialiser's standard deviation: their ratio is that standard deviation.
    """
    generator = torch.Generator().manual_seed(0)
    unit = torch.empty(fan_out, fan_in, dtype=torch.float64).normal_(0.0, 1.0, generator=generator)
    weight = torch.empty(fan_out, fan_in, dtype=torch.float64)
    generator.manual_seed(0)
    if scheme == "xavier":
        nn.init.xavier_normal_(weight, generator=generator)
    elif scheme == "he":
        nn.init.kaiming_normal_(weight, mode="fan_in", nonlinearity="relu", generator=generator)
    else:
        raise ValueError(scheme)
    return float(torch.median(weight / unit))


def scale_bounds(n: int) -> tuple[float, float]:
    """[a, b] holding sqrt(mean(w**2)) / sigma for n honest N(0, sigma^2) draws, except with
    probability at most 2 ALPHA: n mean(w**2) / sigma^2 is chi-square with n degrees of freedom."""
    return math.sqrt(stats.chi2.ppf(ALPHA, n) / n), math.sqrt(stats.chi2.isf(ALPHA, n) / n)


def mean_bound(n: int, sigma: float) -> float:
    """|mean(w)| stays below this for n honest N(0, sigma^2) draws, except with probability 2 ALPHA."""
    return float(stats.norm.isf(ALPHA) * sigma / math.sqrt(n))


def within_one_rms_bounds(n: int) -> tuple[int, int]:
    """[lo, hi] holding #{|w_i| < sqrt(mean(w**2))} for n honest zero-mean normal draws, except with
    probability at most 4 ALPHA.

    With s = sqrt(mean(w**2)) and [a, b] = scale_bounds(n), s lies in [a sigma, b sigma] except with
    probability 2 ALPHA, and then the count lies between #{|w_i| < a sigma} ~ Binomial(n, P(|Z| < a))
    and #{|w_i| < b sigma} ~ Binomial(n, P(|Z| < b)), whose outer ALPHA tails give lo and hi. The
    statistic does not depend on sigma, so a wrong scale does not fail it; a uniform draw does.
    """
    a, b = scale_bounds(n)
    return (
        int(stats.binom.ppf(ALPHA, n, 2 * stats.norm.cdf(a) - 1)),
        int(stats.binom.isf(ALPHA, n, 2 * stats.norm.cdf(b) - 1)),
    )


def fans(rng: np.random.Generator, more_inputs: bool) -> tuple[int, int]:
    """(fan_in, fan_out) at least 2.5 times apart, with at least 2000 weights."""
    small = int(rng.integers(30, 60))
    large = int(round(small * rng.uniform(2.5, 4.0)))
    return (large, small) if more_inputs else (small, large)


# early stopping ----------------------------------------------------------------------------------

UNIT = 1 / 64  # losses are multiples of 1/64, so every comparison with best - min_delta is exact


def keras_early_stopping(losses: list[float], patience: int, min_delta: float) -> tuple[int, int]:
    """(best_epoch, stop_epoch) by the contract's rule, which is Keras's `EarlyStopping`."""
    best, best_epoch = math.inf, 0
    for epoch, loss in enumerate(losses):
        if loss < best - min_delta:
            best, best_epoch = loss, epoch
        elif epoch - best_epoch >= patience:
            return best_epoch, epoch
    return best_epoch, len(losses) - 1


def _improve(rng, best: float, min_delta: float) -> float:
    return best - min_delta - UNIT * int(rng.integers(1, 9))


def _above(rng, best: float) -> float:
    return best + UNIT * int(rng.integers(1, 24))


def _small_improvement(rng, best: float, min_delta: float) -> float:
    """A loss below `best` by less than `min_delta` (needs min_delta >= 2 UNIT)."""
    return best - UNIT * int(rng.integers(1, round(min_delta / UNIT)))


def stopping_sequence(rng) -> tuple[list[float], int, float]:
    """Losses that stop training, with no tie and min_delta = 0: only the stopping epoch is at stake.

    Improvements alternate with gaps of at most patience - 1 epochs above the best; the last
    improvement is followed by exactly `patience` such epochs, then one to three more."""
    patience = int(rng.integers(2, 6))
    best = 4.0 + UNIT * int(rng.integers(0, 64))
    losses = [best]
    for _ in range(int(rng.integers(1, 4))):
        losses += [_above(rng, best) for _ in range(int(rng.integers(0, patience)))]
        best = _improve(rng, best, 0.0)
        losses.append(best)
    losses += [_above(rng, best) for _ in range(patience + int(rng.integers(1, 4)))]
    return losses, patience, 0.0


def ties_sequence(rng) -> tuple[list[float], int, float]:
    """Losses with epochs exactly equal to the best (min_delta = 0) that never stop: gaps stay below
    patience - 1 epochs, and a tie follows the last improvement."""
    patience = int(rng.integers(3, 7))
    best = 4.0 + UNIT * int(rng.integers(0, 64))
    losses = [best]
    for index in range(int(rng.integers(2, 5))):
        best = _improve(rng, best, 0.0)
        losses.append(best)
        gap = int(rng.integers(1, patience - 1))
        window = [best] + [best if rng.random() < 0.5 else _above(rng, best) for _ in range(gap - 1)]
        losses += list(rng.permutation(window)) if index else window
    return losses, patience, 0.0


def min_delta_sequence(rng) -> tuple[list[float], int, float]:
    """Losses with drops smaller than min_delta > 0 (none exactly min_delta) that never stop; such a
    drop follows the last real improvement."""
    patience = int(rng.integers(3, 7))
    min_delta = UNIT * int(rng.integers(2, 6))
    best = 4.0 + UNIT * int(rng.integers(0, 64))
    losses = [best]
    for index in range(int(rng.integers(2, 5))):
        best = _improve(rng, best, min_delta)
        losses.append(best)
        gap = int(rng.integers(1, patience - 1))
        window = [_small_improvement(rng, best, min_delta)] + [
            _small_improvement(rng, best, min_delta) if rng.random() < 0.5 else _above(rng, best)
            for _ in range(gap - 1)
        ]
        losses += list(rng.permutation(window)) if index else window
    return losses, patience, min_delta


def rule_sequence(rng) -> tuple[list[float], int, float]:
    """Losses with min_delta > 0 that hold every situation the rule decides: gaps of at most
    patience - 1 epochs holding drops by exactly min_delta, smaller drops and rises; then a last
    improvement below every earlier loss, followed by a drop of exactly min_delta, a smaller drop and
    rises up to `patience` epochs, then one to three more epochs."""
    patience = int(rng.integers(2, 6))
    min_delta = UNIT * int(rng.integers(2, 5))
    best = 4.0 + UNIT * int(rng.integers(0, 64))
    losses = [best]
    choices = (
        lambda b: b - min_delta,
        lambda b: _small_improvement(rng, b, min_delta),
        lambda b: _above(rng, b),
        lambda b: b,
    )
    for _ in range(int(rng.integers(2, 5))):
        best = _improve(rng, best, min_delta)
        losses.append(best)
        losses += [choices[int(rng.integers(4))](best) for _ in range(int(rng.integers(0, patience)))]
    best = min(losses) - min_delta - UNIT * int(rng.integers(1, 5))
    losses += [best, best - min_delta, _small_improvement(rng, best, min_delta)][: patience + 1]
    losses += [_above(rng, best) for _ in range(patience - 2)]
    losses += [best + UNIT * int(rng.integers(-20, 20)) for _ in range(int(rng.integers(1, 4)))]
    return losses, patience, min_delta


# the residual block ------------------------------------------------------------------------------


def residual_weights(rng: np.random.Generator, dim: int, hidden: int) -> dict[str, np.ndarray]:
    """Weights in torch's layout for fc1 = nn.Linear(dim, hidden) and fc2 = nn.Linear(hidden, dim)."""
    return {
        "fc1.weight": rng.standard_normal((hidden, dim)),
        "fc1.bias": rng.standard_normal(hidden),
        "fc2.weight": rng.standard_normal((dim, hidden)),
        "fc2.bias": rng.standard_normal(dim),
    }


def residual_torch(weights: dict[str, np.ndarray], x: np.ndarray, dout: np.ndarray):
    """out of x + fc2(relu(fc1(x))) and the gradients of sum(dout * out), by torch autograd."""
    p = {name: _t(value, True) for name, value in weights.items()}
    xt = _t(x, True)
    hidden = torch.relu(xt @ p["fc1.weight"].T + p["fc1.bias"])
    out = xt + hidden @ p["fc2.weight"].T + p["fc2.bias"]
    out.backward(_t(dout))
    return out.detach().numpy(), xt.grad.numpy(), {name: t.grad.numpy() for name, t in p.items()}
