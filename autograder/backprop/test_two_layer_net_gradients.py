"""Hidden tests for the gradients of `two_layer_net`, against torch autograd in float64."""

import pytest

from autograder.backprop.oracle import TRIALS, array, close, loss_and_grads, net_inputs, net_loss
from autograder.student import StudentError


def gradients(student, X, y, params, reg):
    """The student's grads, checked to hold one array shaped like each parameter."""
    grads = loss_and_grads(student, X, y, params, reg=reg)[1]
    if not (isinstance(grads, dict) and set(grads) == set(params)):
        raise StudentError("`grads` from `two_layer_net` should be a dict with the keys of `params`.")
    return {
        key: array(
            grads[key],
            f"`grads['{key}']` from `two_layer_net`",
            params[key].shape,
            f"the shape of `params['{key}']`",
        )
        for key in params
    }


@pytest.mark.points(2)
@pytest.mark.skill("backpropagation")
def test_gradients_match_autograd(student, rng):
    """Without regularization, every gradient is that of the mean cross-entropy loss."""
    for _ in range(TRIALS):
        X, y, params = net_inputs(rng)
        got, want = gradients(student, X, y, params, 0.0), net_loss(X, y, params, 0.0)[1]
        assert all(close(got[key], want[key]) for key in params), (
            "A gradient differs from autograd's without regularization."
        )


@pytest.mark.points(1)
@pytest.mark.skill("backpropagation")
def test_regularization_in_the_gradients(student, rng):
    """With reg > 0 the gradients of W1 and W2 grow by exactly reg * W; the biases' do not change."""
    for _ in range(TRIALS):
        X, y, params = net_inputs(rng)
        reg = float(rng.uniform(0.1, 1.0))
        with_reg, without = gradients(student, X, y, params, reg), gradients(student, X, y, params, 0.0)
        want_with, want_without = net_loss(X, y, params, reg)[1], net_loss(X, y, params, 0.0)[1]
        assert all(close(with_reg[k] - without[k], want_with[k] - want_without[k]) for k in params), (
            "Regularization changes the gradients by the wrong amount."
        )
