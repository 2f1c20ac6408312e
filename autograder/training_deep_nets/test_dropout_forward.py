"""Hidden tests for `dropout_forward`, through properties every honest random draw has: a kept unit is
scaled as `nn.Dropout(p)` scales it, the kept fraction lies in binomial bounds, the draw comes from
`dropout_param["rng"]`, and test mode returns `x`."""

import numpy as np
import pytest

from autograder.training_deep_nets import probes
from autograder.training_deep_nets.oracle import (
    TRIALS,
    as_array,
    away_from_zero,
    binomial_bounds,
    close,
    distinct,
    drop_probability,
    is_masked_copy,
)


def _input(rng, trial):
    """At least 1500 nonzero values, two- or three-dimensional, with axes of different lengths."""
    if trial % 2:
        return away_from_zero(rng, (*distinct(rng, 2, 8, 16), int(rng.integers(24, 40))))
    return away_from_zero(rng, tuple(distinct(rng, 2, 40, 70)))


def _seed(rng):
    return int(rng.integers(2**32))


def _train(student, x, p, seed):
    out = student.probe(probes.dropout_forward, x, {"p": p, "mode": "train"}, seed)
    return as_array(out, "dropout_forward", x.shape)


@pytest.mark.points(2)
@pytest.mark.skill("training-deep-nets")
def test_values_are_zero_or_scaled(student, rng):
    """In train mode each output is 0 or its input scaled as nn.Dropout(p) scales a kept unit."""
    for trial in range(TRIALS):
        x, p = _input(rng, trial), drop_probability(rng)
        out = _train(student, x, p, _seed(rng))
        kept = out != 0
        assert kept.any() and (~kept).any()
        assert close(out[kept], x[kept] / (1 - p))


@pytest.mark.points(1)
@pytest.mark.skill("training-deep-nets")
def test_kept_fraction_follows_p(student, rng):
    """p is the probability of dropping a unit: the share of units kept (and scaled) is close to 1 - p."""
    for trial in range(TRIALS):
        x, p = _input(rng, trial), drop_probability(rng)
        out = _train(student, x, p, _seed(rng))
        low, high = binomial_bounds(x.size, 1 - p)
        assert is_masked_copy(out, x)
        assert low <= int(np.count_nonzero(out)) <= high


@pytest.mark.points(0.5)
@pytest.mark.skill("training-deep-nets")
def test_test_mode_returns_x(student, rng):
    """In test mode (no rng given) the output is x itself, while train mode drops and scales units."""
    for trial in range(TRIALS):
        x, p = _input(rng, trial), drop_probability(rng)
        assert is_masked_copy(_train(student, x, p, _seed(rng)), x)
        out = student.probe(probes.dropout_forward, x, {"p": p, "mode": "test"}, None)
        assert close(as_array(out, "dropout_forward", x.shape), x)


@pytest.mark.points(0.5)
@pytest.mark.skill("training-deep-nets")
def test_draws_from_the_given_rng(student, rng):
    """Generators in the same state give the same output; generators in different states do not."""
    for trial in range(2):
        x, p = _input(rng, trial), drop_probability(rng)
        seed, other = (int(s) for s in rng.choice(2**32, size=2, replace=False))
        first, again, different = (_train(student, x, p, s) for s in (seed, seed, other))
        assert is_masked_copy(first, x)
        assert np.array_equal(first, again) and not np.array_equal(first, different)
