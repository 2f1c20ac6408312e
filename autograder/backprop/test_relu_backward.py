"""Hidden tests for `relu_backward` (on the cache of the student's `relu_forward`), against torch
autograd of torch.relu."""

import numpy as np
import pytest

from autograder.backprop import probes
from autograder.backprop.oracle import TRIALS, array, away_from_zero, close, relu_torch, with_exact_zeros
from autograder.checks import ONLY_WITH_RIGHT_VALUES


def _shape(rng):
    return tuple(int(v) for v in rng.integers(2, 6, size=int(rng.integers(2, 4))))


def _dx(student, x, dout):
    report = student.probe(probes.layer_backward, "relu", [x], dout)
    return array(report["grads"], "`dx` from `relu_backward`", x.shape, "the shape of `x`"), report


@pytest.mark.points(1.25)
@pytest.mark.skill("backpropagation")
def test_matches_torch(student, rng):
    """Passes the upstream gradient where x > 0 and blocks it where x < 0."""
    for _ in range(TRIALS):
        shape = _shape(rng)
        x, dout = away_from_zero(rng, shape), rng.standard_normal(shape)
        assert close(_dx(student, x, dout)[0], relu_torch(x, dout)[1]), "Wrong dx away from 0."


@pytest.mark.points(1)
@pytest.mark.skill("backpropagation")
def test_zero_gradient_at_zero(student, rng):
    """Where x is exactly 0 the gradient is 0, as in torch."""
    for _ in range(TRIALS):
        shape = _shape(rng)
        x, dout = with_exact_zeros(rng, shape), rng.standard_normal(shape)
        at_zero = x == 0
        got, want = _dx(student, x, dout)[0], relu_torch(x, dout)[1]
        assert close(got[~at_zero], want[~at_zero]), ONLY_WITH_RIGHT_VALUES
        assert close(got[at_zero], want[at_zero]), "The gradient where x is exactly 0 is not 0."


@pytest.mark.points(0.75)
@pytest.mark.skill("backpropagation")
def test_leaves_dout_unchanged(student, rng, source):
    """Returns a new array and leaves the upstream gradient dout as it was."""
    source.unchanged("relu_backward", 0)
    for _ in range(TRIALS):
        shape = _shape(rng)
        x, dout = with_exact_zeros(rng, shape), rng.standard_normal(shape)
        dx, report = _dx(student, x, dout.copy())
        assert close(dx, relu_torch(x, dout)[1]), ONLY_WITH_RIGHT_VALUES
        assert np.array_equal(report["dout_after"], dout), "dout was modified."
