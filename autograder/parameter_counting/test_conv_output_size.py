"""Hidden tests for `conv_output_size`, against the output shape of `nn.Conv2d`."""

import pytest

from autograder.checks import as_int
from autograder.parameter_counting.oracle import TRIALS, as_count, conv_output


def _check(student, n, kernel_size, stride=1, padding=0, dilation=1):
    got = as_count(
        student.conv_output_size(n, kernel_size, stride=stride, padding=padding, dilation=dilation),
        "conv_output_size",
    )
    want = conv_output(n, kernel_size, stride, padding, dilation)
    assert got >= want, "The output size is too small."
    assert got <= want, "The output size is too large."


@pytest.mark.points(0.5)
@pytest.mark.skill("model-size")
def test_defaults(student, rng):
    """With stride 1 and no padding a k-wide kernel loses k - 1 positions."""
    for _ in range(TRIALS):
        kernel = int(rng.integers(1, 8))
        _check(student, int(rng.integers(kernel, 100)), kernel)


@pytest.mark.points(0.75)
@pytest.mark.skill("model-size")
def test_stride_and_padding(student, rng):
    """Padding adds to both sides; the stride divides the span and rounds down."""
    for _ in range(TRIALS):
        kernel, stride, padding = int(rng.integers(1, 8)), int(rng.integers(2, 5)), int(rng.integers(0, 4))
        _check(student, int(rng.integers(kernel, 100)), kernel, stride=stride, padding=padding)


@pytest.mark.points(0.5)
@pytest.mark.skill("model-size")
def test_dilation(student, rng):
    """Dilation d spreads a k-wide kernel over d * (k - 1) + 1 positions."""
    for _ in range(TRIALS):
        kernel, dilation = int(rng.integers(2, 6)), int(rng.integers(2, 4))
        span = dilation * (kernel - 1) + 1
        _check(
            student,
            int(rng.integers(span, 100)),
            kernel,
            stride=int(rng.integers(1, 4)),
            padding=int(rng.integers(0, 3)),
            dilation=dilation,
        )


@pytest.mark.points(0.25)
@pytest.mark.skill("model-size")
def test_returns_an_int(student, rng):
    """Returns the output size as an int (and the right one)."""
    for _ in range(TRIALS):
        kernel = int(rng.integers(1, 8))
        n = int(rng.integers(kernel, 100))
        got = student.conv_output_size(n, kernel)
        assert as_count(got, "conv_output_size") == conv_output(n, kernel, 1, 0, 1), "Wrong output size."
        as_int(got, "conv_output_size")
