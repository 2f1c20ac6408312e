"""Hidden tests for the autograd Function `ReLUFunction`, against torch.relu and gradcheck."""

import numpy as np
import pytest

from autograder.backprop import probes
from autograder.backprop.oracle import (
    array,
    away_from_zero,
    check_hand_written,
    close,
    gradcheck,
    relu_torch,
    with_exact_zeros,
)
from autograder.checks import ONLY_WITH_RIGHT_VALUES


def _shape(rng):
    return tuple(int(v) for v in rng.integers(2, 4, size=int(rng.integers(1, 4))))


@pytest.mark.points(0.5)
@pytest.mark.skill("pytorch")
def test_forward_matches_relu(student, rng):
    """ReLUFunction.apply(x) keeps the positive entries of x and sets the others to 0."""
    for _ in range(3):
        x = with_exact_zeros(rng, _shape(rng))
        want = relu_torch(x, np.ones_like(x))[0]
        got = student.probe(probes.function_forward, "ReLUFunction", [x])
        assert close(array(got, "The output of `ReLUFunction.apply`", x.shape), want), (
            "The forward output differs from torch.relu."
        )


@pytest.mark.points(0.75)
@pytest.mark.skill("backpropagation")
def test_passes_gradcheck(student, rng):
    """Away from 0, its backward agrees with finite differences of its forward (gradcheck, float64)."""
    for _ in range(2):
        x = away_from_zero(rng, _shape(rng))
        got = student.probe(probes.function_forward, "ReLUFunction", [x])
        want = relu_torch(x, np.ones_like(x))[0]
        assert close(array(got, "The output of `ReLUFunction.apply`", x.shape), want), ONLY_WITH_RIGHT_VALUES
        assert gradcheck(student, "ReLUFunction", [x], x.shape), (
            "The backward disagrees with finite differences of the forward."
        )


@pytest.mark.points(0.25)
@pytest.mark.skill("backpropagation")
def test_zero_gradient_at_zero(student, rng):
    """Where x is exactly 0 its gradient is 0, as for torch.relu."""
    for _ in range(3):
        shape = _shape(rng)
        x, dout = with_exact_zeros(rng, shape), rng.standard_normal(shape)
        grads = student.probe(probes.function_gradients, "ReLUFunction", [x], dout)["grads"]
        dx = array(grads[0], "The gradient of `ReLUFunction`", x.shape)
        at_zero = x == 0
        want = relu_torch(x, dout)[1]
        assert close(dx[~at_zero], want[~at_zero]), ONLY_WITH_RIGHT_VALUES
        assert close(dx[at_zero], want[at_zero]), "The gradient where x is exactly 0 is not 0."


@pytest.mark.points(1.5)
@pytest.mark.skill("pytorch")
def test_hand_written_backward(student, rng, source):
    """It is a torch.autograd.Function whose own backward computes the gradient, not autograd."""
    shape = _shape(rng)
    x, dout = away_from_zero(rng, shape), rng.standard_normal(shape)
    check_hand_written(student, "ReLUFunction", [x], dout, [relu_torch(x, dout)[1]], source)
