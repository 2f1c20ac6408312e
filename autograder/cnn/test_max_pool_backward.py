"""Hidden tests for `max_pool_backward` (on the cache of the student's `max_pool_forward`), against
torch autograd of `F.max_pool2d` in float64, on inputs without ties within a window."""

import pytest

from autograder.checks import close
from autograder.cnn.oracle import TRIALS, backward_grads, distinct, grad_array, pool_inputs, pool_torch


def _check(student, rng, pool_height, pool_width, stride, height, width, shared_maximum=False):
    x, pool_param, dout = pool_inputs(rng, pool_height, pool_width, stride, height, width, shared_maximum)
    dx = backward_grads(student, "max_pool", [x, pool_param], dout, count=1)
    got = grad_array(dx, "max_pool_backward", x)
    assert close(got, pool_torch(x, pool_param, dout)[1]), "dx differs from autograd's gradient."


@pytest.mark.points(1.5)
@pytest.mark.skill("backpropagation")
def test_matches_autograd(student, rng):
    """dx, shaped like x, is autograd's gradient for windows that do not overlap, square or not."""
    for trial in range(TRIALS):
        pool_height, pool_width = (2, 2) if trial == 0 else distinct(rng, 2, 2, 4)
        height, width = distinct(rng, 2, 5, 12)
        _check(student, rng, pool_height, pool_width, max(pool_height, pool_width), height, width)


@pytest.mark.points(1.5)
@pytest.mark.skill("backpropagation")
def test_overlapping_windows(student, rng):
    """dx is autograd's gradient when windows overlap and one input is the largest of several windows."""
    for _ in range(TRIALS):
        pool_height, pool_width = distinct(rng, 2, 2, 5)
        stride = int(rng.integers(1, min(pool_height, pool_width)))
        height, width = (int(v) + stride + max(pool_height, pool_width) for v in distinct(rng, 2, 0, 6))
        _check(student, rng, pool_height, pool_width, stride, height, width, shared_maximum=True)
