"""Hidden tests for `init_weights`, through properties every honest draw has: the sample standard
deviation lies in chi-square bounds around the one `torch.nn.init` uses, the sample mean and the share
of weights within one standard deviation are those of a zero-mean normal, and the draw comes from `rng`."""

import numpy as np
import pytest

from autograder.training_deep_nets import probes
from autograder.training_deep_nets.oracle import (
    TRIALS,
    as_array,
    fans,
    mean_bound,
    scale_bounds,
    torch_init_std,
    within_one_rms_bounds,
)


def _draw(student, rng, fan_in, fan_out, scheme, seed=None):
    seed = int(rng.integers(2**32)) if seed is None else seed
    w = student.probe(probes.init_weights, fan_in, fan_out, scheme, seed)
    return as_array(w, "init_weights", (fan_in, fan_out))


def _check_std(student, rng, scheme, more_inputs):
    """The root mean square of each draw, over torch's standard deviation, lies in chi-square bounds."""
    for _ in range(TRIALS):
        fan_in, fan_out = fans(rng, more_inputs)
        w = _draw(student, rng, fan_in, fan_out, scheme)
        low, high = scale_bounds(w.size)
        ratio = float(np.sqrt(np.mean(w**2))) / torch_init_std(fan_in, fan_out, scheme)
        assert low <= ratio <= high


def _zero_mean_normal(w):
    """Whether w passes, whatever its scale, the checks every honest zero-mean normal draw passes: its
    mean is within bounds (sigma is at most rms / a, a from scale_bounds) and so is the number of
    weights within one root mean square of 0. Gates the case about where the draw comes from."""
    w = w.ravel()
    rms = float(np.sqrt(np.mean(w**2)))
    if not rms > 0:
        return False
    low, high = within_one_rms_bounds(w.size)
    return bool(
        abs(float(np.mean(w))) <= mean_bound(w.size, rms / scale_bounds(w.size)[0])
        and low <= int(np.count_nonzero(np.abs(w) < rms)) <= high
    )


@pytest.mark.points(1)
@pytest.mark.skill("training-deep-nets")
def test_xavier_standard_deviation(student, rng):
    """ "xavier" weights have the standard deviation of torch.nn.init.xavier_normal_ for these fans."""
    _check_std(student, rng, "xavier", more_inputs=bool(rng.integers(2)))


@pytest.mark.points(1)
@pytest.mark.skill("training-deep-nets")
def test_he_standard_deviation_with_more_inputs(student, rng):
    """ "he" weights with fan_in > fan_out have the standard deviation of kaiming_normal_ (ReLU, fan_in)."""
    _check_std(student, rng, "he", more_inputs=True)


@pytest.mark.points(1)
@pytest.mark.skill("training-deep-nets")
def test_he_standard_deviation_with_more_outputs(student, rng):
    """ "he" weights with fan_in < fan_out have the standard deviation of kaiming_normal_ (ReLU, fan_in)."""
    _check_std(student, rng, "he", more_inputs=False)


@pytest.mark.points(0.5)
@pytest.mark.skill("training-deep-nets")
def test_draws_from_a_zero_mean_normal(student, rng):
    """Both schemes draw from a normal centred on 0 (not, e.g., a uniform), whatever the scale."""
    for scheme in ("xavier", "he"):
        fan_in, fan_out = (
            int(v) for v in rng.permutation([int(rng.integers(120, 160)), int(rng.integers(200, 260))])
        )
        assert _zero_mean_normal(_draw(student, rng, fan_in, fan_out, scheme))


@pytest.mark.points(0.5)
@pytest.mark.skill("training-deep-nets")
def test_draws_from_the_given_rng(student, rng):
    """Generators in the same state give the same weights; generators in different states do not."""
    for scheme in ("xavier", "he"):
        fan_in, fan_out = fans(rng, more_inputs=bool(rng.integers(2)))
        seed, other = (int(s) for s in rng.choice(2**32, size=2, replace=False))
        first, again, different = (
            _draw(student, rng, fan_in, fan_out, scheme, s) for s in (seed, seed, other)
        )
        assert _zero_mean_normal(first)
        assert np.array_equal(first, again) and not np.array_equal(first, different)
