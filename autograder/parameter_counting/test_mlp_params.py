"""Hidden tests for `mlp_params`, against a stack of `nn.Linear` layers."""

import pytest
from torch import nn

from autograder.checks import as_int
from autograder.parameter_counting.oracle import TRIALS, as_count, check_count, count, on_meta


def _check(student, sizes, bias):
    got = as_count(student.mlp_params(sizes, bias=bias), "mlp_params")
    layers = [on_meta(nn.Linear, a, b, bias=bias) for a, b in zip(sizes, sizes[1:])]
    check_count(got, count(nn.Sequential(*layers)))


@pytest.mark.points(1)
@pytest.mark.skill("model-size")
def test_with_biases(student, rng):
    """Each consecutive pair of sizes is one dense layer with its biases."""
    for _ in range(TRIALS):
        _check(student, [int(v) for v in rng.integers(1, 300, size=int(rng.integers(2, 7)))], True)


@pytest.mark.points(0.75)
@pytest.mark.skill("model-size")
def test_without_biases(student, rng):
    """With bias=False the layers hold weights only."""
    for _ in range(TRIALS):
        _check(student, [int(v) for v in rng.integers(1, 300, size=int(rng.integers(2, 7)))], False)


@pytest.mark.points(0.25)
@pytest.mark.skill("model-size")
def test_returns_an_int(student, rng):
    """Returns the count as an int (and the right one)."""
    for _ in range(TRIALS):
        sizes = [int(v) for v in rng.integers(1, 300, size=int(rng.integers(2, 7)))]
        got = student.mlp_params(sizes, bias=False)
        layers = [on_meta(nn.Linear, a, b, bias=False) for a, b in zip(sizes, sizes[1:])]
        check_count(as_count(got, "mlp_params"), count(nn.Sequential(*layers)))
        as_int(got, "mlp_params")
