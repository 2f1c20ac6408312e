"""Hidden tests for `batchnorm_params`, against `nn.BatchNorm2d`."""

import pytest
from torch import nn

from autograder.checks import ONLY_WITH_RIGHT_VALUES, as_int
from autograder.parameter_counting.oracle import TRIALS, as_count, check_count, count, on_meta


@pytest.mark.points(0.5)
@pytest.mark.skill("model-size")
def test_scale_and_shift(student, rng):
    """An affine batch norm learns a scale and a shift per channel; running statistics are buffers."""
    for _ in range(TRIALS):
        channels = int(rng.integers(1, 512))
        got = as_count(student.batchnorm_params(channels), "batchnorm_params")
        check_count(got, count(on_meta(nn.BatchNorm2d, channels)))


@pytest.mark.points(0.25)
@pytest.mark.skill("model-size")
def test_without_affine(student, rng):
    """With affine=False nothing is learned."""
    for _ in range(TRIALS):
        channels = int(rng.integers(1, 512))
        learned = as_count(student.batchnorm_params(channels), "batchnorm_params")
        assert learned == count(on_meta(nn.BatchNorm2d, channels)), ONLY_WITH_RIGHT_VALUES  # not always 0
        got = as_count(student.batchnorm_params(channels, affine=False), "batchnorm_params")
        check_count(got, count(on_meta(nn.BatchNorm2d, channels, affine=False)))


@pytest.mark.points(0.25)
@pytest.mark.skill("model-size")
def test_returns_an_int(student, rng):
    """Returns the count as an int (and the right one)."""
    for _ in range(TRIALS):
        channels = int(rng.integers(1, 512))
        got = student.batchnorm_params(channels)
        check_count(as_count(got, "batchnorm_params"), count(on_meta(nn.BatchNorm2d, channels)))
        as_int(got, "batchnorm_params")
