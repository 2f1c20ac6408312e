"""Hidden tests for the autograd Function `LinearFunction`, against torch and torch.autograd.gradcheck."""

import pytest

from autograder.backprop import probes
from autograder.backprop.oracle import (
    affine_inputs,
    affine_torch,
    array,
    check_hand_written,
    close,
    gradcheck,
)
from autograder.checks import ONLY_WITH_RIGHT_VALUES


@pytest.mark.points(0.5)
@pytest.mark.skill("pytorch")
def test_forward_computes_x_w_plus_b(student, rng):
    """LinearFunction.apply(x, w, b) computes x @ w + b for float64 tensors x (N, D), w (D, M), b (M,)."""
    for _ in range(3):
        x, w, b, dout = affine_inputs(rng, multidimensional=False)
        want = affine_torch(x, w, b, dout)[0]
        got = student.probe(probes.function_forward, "LinearFunction", [x, w, b])
        assert close(array(got, "The output of `LinearFunction.apply`", want.shape), want), (
            "The forward output differs from x @ w + b."
        )


@pytest.mark.points(1)
@pytest.mark.skill("backpropagation")
def test_passes_gradcheck(student, rng):
    """Its backward agrees with finite differences of its forward (torch.autograd.gradcheck, float64)."""
    for _ in range(2):
        x, w, b, dout = affine_inputs(rng, multidimensional=False, high=6)  # few probe calls
        want = affine_torch(x, w, b, dout)[0]
        got = student.probe(probes.function_forward, "LinearFunction", [x, w, b])
        got = array(got, "The output of `LinearFunction.apply`", want.shape)
        assert close(got, want), ONLY_WITH_RIGHT_VALUES
        assert gradcheck(student, "LinearFunction", [x, w, b], dout.shape), (
            "The backward disagrees with finite differences of the forward."
        )


@pytest.mark.points(1.5)
@pytest.mark.skill("pytorch")
def test_hand_written_backward(student, rng, source):
    """It is a torch.autograd.Function whose own backward computes the gradients, not autograd."""
    x, w, b, dout = affine_inputs(rng, multidimensional=False)
    check_hand_written(student, "LinearFunction", [x, w, b], dout, affine_torch(x, w, b, dout)[1:], source)
