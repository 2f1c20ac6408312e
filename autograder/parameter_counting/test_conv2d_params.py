"""Hidden tests for `conv2d_params`, against `nn.Conv2d`."""

import pytest
from torch import nn

from autograder.checks import as_int
from autograder.parameter_counting.oracle import TRIALS, count, on_meta, rng


def _check(student, in_channels, out_channels, kernel_size, bias, groups=1):
    got = as_int(student.conv2d_params(in_channels, out_channels, kernel_size, bias=bias,
                                       groups=groups), "conv2d_params")
    want = count(on_meta(nn.Conv2d, in_channels, out_channels, kernel_size, bias=bias,
                         groups=groups))
    assert got == want


@pytest.mark.points(1)
def test_counts_input_depth(student):
    """Each filter spans every input channel: its weights are in_channels x kh x kw."""
    r = rng(201)
    for _ in range(TRIALS):
        c_in, c_out = (int(v) for v in r.integers(2, 64, size=2))
        _check(student, c_in, c_out, int(r.integers(1, 8)), bias=False)


@pytest.mark.points(1)
def test_one_bias_per_filter(student):
    """With bias=True each output channel (filter) adds one bias."""
    r = rng(202)
    for _ in range(TRIALS):
        _check(student, 1, int(r.integers(2, 64)), int(r.integers(1, 8)), bias=True)


@pytest.mark.points(0.5)
def test_rectangular_kernel(student):
    """kernel_size may be a (kh, kw) tuple with kh != kw."""
    r = rng(203)
    for _ in range(TRIALS):
        kh, kw = (int(v) for v in r.choice(range(1, 8), size=2, replace=False))
        _check(student, 1, int(r.integers(1, 64)), (kh, kw), bias=False)


@pytest.mark.points(0.5)
def test_groups(student):
    """With groups=g each filter sees only in_channels / g input channels."""
    r = rng(204)
    for _ in range(TRIALS):
        groups = int(r.integers(2, 5))
        c_in, c_out = (groups * int(v) for v in r.integers(1, 9, size=2))
        _check(student, c_in, c_out, int(r.integers(1, 6)), bias=bool(r.integers(2)), groups=groups)
