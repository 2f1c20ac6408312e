"""Hidden tests for `conv_backward` (on the cache of the student's `conv_forward`), against torch
autograd of `F.conv2d` in float64."""

import pytest

from autograder.checks import close
from autograder.cnn.oracle import TRIALS, backward_grads, conv_inputs, conv_torch, grad_array


def _pairs(student, rng, which, strided):
    """Yields the student's gradient `which` (0: dx, 1: dw, 2: db) and autograd's, over several trials."""
    name = ("dx", "dw", "db")[which]
    for _ in range(TRIALS):
        stride, pad = (int(rng.integers(2, 4)), int(rng.integers(1, 3))) if strided else (1, 0)
        x, w, b, conv_param, dout = conv_inputs(rng, stride, pad)
        grads = backward_grads(student, "conv", [x, w, b, conv_param], dout, count=3)
        got = grad_array(grads[which], f"conv_backward ({name})", (x, w, b)[which])
        yield got, conv_torch(x, w, b, conv_param, dout)[1 + which]


@pytest.mark.points(1)
@pytest.mark.skill("backpropagation")
def test_dx_matches_autograd(student, rng):
    """dx, shaped like x, is autograd's gradient for stride 1 and no padding."""
    for got, want in _pairs(student, rng, 0, strided=False):
        assert close(got, want), "dx differs from autograd's gradient."


@pytest.mark.points(1)
@pytest.mark.skill("backpropagation")
def test_dx_with_stride_and_padding(student, rng):
    """dx, shaped like x (not like the padded x), is autograd's gradient for stride > 1 and pad > 0."""
    for got, want in _pairs(student, rng, 0, strided=True):
        assert close(got, want), "dx differs from autograd's gradient."


@pytest.mark.points(1.5)
@pytest.mark.skill("backpropagation")
def test_dw_matches_autograd(student, rng):
    """dw, shaped like w, is autograd's gradient for a batch of several images, stride 1, no padding."""
    for got, want in _pairs(student, rng, 1, strided=False):
        assert close(got, want), "dw differs from autograd's gradient."


@pytest.mark.points(1.5)
@pytest.mark.skill("backpropagation")
def test_dw_with_stride_and_padding(student, rng):
    """dw, shaped like w, is autograd's gradient for a batch of several images, stride > 1 and pad > 0."""
    for got, want in _pairs(student, rng, 1, strided=True):
        assert close(got, want), "dw differs from autograd's gradient."


@pytest.mark.points(1)
@pytest.mark.skill("backpropagation")
def test_db_matches_autograd(student, rng):
    """db, shaped like b, is autograd's gradient, with strided and padded convolutions too."""
    for strided in (False, True):
        for got, want in _pairs(student, rng, 2, strided=strided):
            assert close(got, want), "db differs from autograd's gradient."
