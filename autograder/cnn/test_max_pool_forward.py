"""Hidden tests for `max_pool_forward`, against `F.max_pool2d` in float64."""

import pytest

from autograder.checks import close
from autograder.cnn.oracle import TRIALS, distinct, forward_out, pool_inputs, pool_torch


def _check(student, rng, pool_height, pool_width, stride, height, width):
    x, pool_param, _ = pool_inputs(rng, pool_height, pool_width, stride, height, width)
    want = pool_torch(x, pool_param)[0]
    got = forward_out(student, "max_pool", [x, pool_param], want.shape)
    assert close(got, want), "The output differs from F.max_pool2d's."


@pytest.mark.points(0.5)
@pytest.mark.skill("backpropagation")
def test_matches_torch(student, rng):
    """Square windows as wide as the stride on sizes they tile exactly give F.max_pool2d's output."""
    for _ in range(TRIALS):
        size = int(rng.integers(2, 4))
        rows, cols = distinct(rng, 2, 2, 6)
        _check(student, rng, size, size, size, rows * size, cols * size)


@pytest.mark.points(1)
@pytest.mark.skill("model-size")
def test_odd_sizes(student, rng):
    """Square windows as wide as the stride on sizes they do not tile exactly give F.max_pool2d's output."""
    for _ in range(TRIALS):
        size = int(rng.integers(2, 4))
        rows, cols = distinct(rng, 2, 2, 5)
        _check(student, rng, size, size, size, rows * size + 1, cols * size + size - 1)


@pytest.mark.points(0.75)
@pytest.mark.skill("backpropagation")
def test_non_square_windows(student, rng):
    """With pool_height != pool_width, gives F.max_pool2d's output, in its shape."""
    for _ in range(TRIALS):
        pool_height, pool_width = distinct(rng, 2, 2, 5)
        height, width = distinct(rng, 2, 7, 14)
        _check(student, rng, pool_height, pool_width, max(pool_height, pool_width), height, width)


@pytest.mark.points(0.75)
@pytest.mark.skill("model-size")
def test_overlapping_windows(student, rng):
    """With a stride smaller than the window, gives F.max_pool2d's output, in its shape."""
    for _ in range(TRIALS):
        size = int(rng.integers(3, 5))
        stride = int(rng.integers(1, size))
        height, width = distinct(rng, 2, 6, 12)
        _check(student, rng, size, size, stride, height, width)
