"""Hidden tests for `dense_params`, against `nn.Linear`."""

import pytest
from torch import nn

from autograder.checks import as_int
from autograder.parameter_counting.oracle import TRIALS, as_count, check_count, count, on_meta


@pytest.mark.points(1)
@pytest.mark.skill("model-size")
def test_counts_weights_and_biases(student, rng):
    """A dense layer has one weight per input-output pair and one bias per output unit."""
    for _ in range(TRIALS):
        n_in, n_out = (int(v) for v in rng.integers(1, 300, size=2))
        got = as_count(student.dense_params(n_in, n_out), "dense_params")
        check_count(got, count(on_meta(nn.Linear, n_in, n_out)))


@pytest.mark.points(0.75)
@pytest.mark.skill("model-size")
def test_without_bias(student, rng):
    """With bias=False only the weight matrix remains."""
    for _ in range(TRIALS):
        n_in, n_out = (int(v) for v in rng.integers(1, 300, size=2))
        got = as_count(student.dense_params(n_in, n_out, bias=False), "dense_params")
        check_count(got, count(on_meta(nn.Linear, n_in, n_out, bias=False)))


@pytest.mark.points(0.25)
@pytest.mark.skill("model-size")
def test_returns_an_int(student, rng):
    """Returns the count as an int (and the right one)."""
    for _ in range(TRIALS):
        n_in, n_out = (int(v) for v in rng.integers(1, 300, size=2))
        got = student.dense_params(n_in, n_out, bias=False)
        check_count(as_count(got, "dense_params"), count(on_meta(nn.Linear, n_in, n_out, bias=False)))
        as_int(got, "dense_params")
