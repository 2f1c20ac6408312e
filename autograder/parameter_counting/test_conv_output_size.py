"""Hidden tests for `conv_output_size`, against the output shape of `nn.Conv2d`."""

import pytest

from autograder.checks import as_int
from autograder.parameter_counting.oracle import TRIALS, conv_output, rng


def _check(student, n, kernel_size, stride=1, padding=0, dilation=1):
    got = as_int(student.conv_output_size(n, kernel_size, stride=stride, padding=padding,
                                          dilation=dilation), "conv_output_size")
    assert got == conv_output(n, kernel_size, stride, padding, dilation)


@pytest.mark.points(0.5)
def test_defaults(student):
    """With stride 1 and no padding a k-wide kernel loses k - 1 positions."""
    r = rng(301)
    for _ in range(TRIALS):
        kernel = int(r.integers(1, 8))
        _check(student, int(r.integers(kernel, 100)), kernel)


@pytest.mark.points(0.75)
def test_stride_and_padding(student):
    """Padding adds to both sides; the stride divides the span and rounds down."""
    r = rng(302)
    for _ in range(TRIALS):
        kernel, stride, padding = int(r.integers(1, 8)), int(r.integers(2, 5)), int(r.integers(0, 4))
        _check(student, int(r.integers(kernel, 100)), kernel, stride=stride, padding=padding)


@pytest.mark.points(0.75)
def test_dilation(student):
    """Dilation d spreads a k-wide kernel over d * (k - 1) + 1 positions."""
    r = rng(303)
    for _ in range(TRIALS):
        kernel, dilation = int(r.integers(2, 6)), int(r.integers(2, 4))
        span = dilation * (kernel - 1) + 1
        _check(student, int(r.integers(span, 100)), kernel, stride=int(r.integers(1, 4)),
               padding=int(r.integers(0, 3)), dilation=dilation)
