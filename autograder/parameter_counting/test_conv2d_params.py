"""Hidden tests for `conv2d_params`, against `nn.Conv2d`."""

import pytest
from torch import nn

from autograder.checks import as_int
from autograder.parameter_counting.oracle import TRIALS, as_count, check_count, count, on_meta


def _check(student, in_channels, out_channels, kernel_size, bias, groups=1):
    got = as_count(
        student.conv2d_params(in_channels, out_channels, kernel_size, bias=bias, groups=groups),
        "conv2d_params",
    )
    want = count(on_meta(nn.Conv2d, in_channels, out_channels, kernel_size, bias=bias, groups=groups))
    check_count(got, want)


@pytest.mark.points(1.25)
@pytest.mark.skill("model-size")
def test_counts_input_depth(student, rng):
    """Each filter spans every input channel: its weights are in_channels x kh x kw."""
    for _ in range(TRIALS):
        c_in, c_out = (int(v) for v in rng.integers(2, 64, size=2))
        _check(student, c_in, c_out, int(rng.integers(1, 8)), bias=False)


@pytest.mark.points(0.75)
@pytest.mark.skill("model-size")
def test_one_bias_per_filter(student, rng):
    """With bias=True each output channel (filter) adds one bias."""
    for _ in range(TRIALS):
        _check(student, 1, int(rng.integers(2, 64)), int(rng.integers(1, 8)), bias=True)


@pytest.mark.points(0.5)
@pytest.mark.skill("model-size")
def test_rectangular_kernel(student, rng):
    """kernel_size may be a (kh, kw) tuple with kh != kw."""
    for _ in range(TRIALS):
        kh, kw = (int(v) for v in rng.choice(range(1, 8), size=2, replace=False))
        _check(student, 1, int(rng.integers(1, 64)), (kh, kw), bias=False)


@pytest.mark.points(0.25)
@pytest.mark.skill("model-size")
def test_groups(student, rng):
    """With groups=g each filter sees only in_channels / g input channels."""
    for _ in range(TRIALS):
        groups = int(rng.integers(2, 5))
        c_in, c_out = (groups * int(v) for v in rng.integers(1, 9, size=2))
        _check(student, c_in, c_out, int(rng.integers(1, 6)), bias=False, groups=groups)


@pytest.mark.points(0.25)
@pytest.mark.skill("model-size")
def test_returns_an_int(student, rng):
    """Returns the count as an int (and the right one)."""
    for _ in range(TRIALS):
        c_out, k = (int(v) for v in rng.integers(2, 8, size=2))
        got = student.conv2d_params(1, c_out, k, bias=False)
        check_count(as_count(got, "conv2d_params"), count(on_meta(nn.Conv2d, 1, c_out, k, bias=False)))
        as_int(got, "conv2d_params")
