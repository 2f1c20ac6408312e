"""Hidden tests for `conv_forward`, against `F.conv2d` in float64."""

import pytest

from autograder.checks import close
from autograder.cnn.oracle import TRIALS, conv_inputs, conv_torch, forward_out


def _check(student, rng, strides, pads):
    for _ in range(TRIALS):
        x, w, b, conv_param, _ = conv_inputs(rng, int(rng.choice(strides)), int(rng.choice(pads)))
        want = conv_torch(x, w, b, conv_param)[0]
        got = forward_out(student, "conv", [x, w, b, conv_param], want.shape)
        assert close(got, want), "The output differs from F.conv2d's."


@pytest.mark.points(1)
@pytest.mark.skill("backpropagation")
def test_matches_torch(student, rng):
    """With stride 1 and no padding, gives F.conv2d's output for several images, channels and filters."""
    _check(student, rng, strides=[1], pads=[0])


@pytest.mark.points(1)
@pytest.mark.skill("model-size")
def test_zero_padding(student, rng):
    """With stride 1 and pad > 0, gives F.conv2d's output, in its shape."""
    _check(student, rng, strides=[1], pads=[1, 2])


@pytest.mark.points(1)
@pytest.mark.skill("model-size")
def test_stride(student, rng):
    """With stride > 1 and no padding, gives F.conv2d's output, in its shape."""
    _check(student, rng, strides=[2, 3], pads=[0])


@pytest.mark.points(1)
@pytest.mark.skill("model-size")
def test_stride_and_padding(student, rng):
    """With stride > 1 and pad > 0 together, gives F.conv2d's output, in its shape."""
    _check(student, rng, strides=[2, 3], pads=[1, 2])
