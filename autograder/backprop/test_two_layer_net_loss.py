"""Hidden tests for the loss of `two_layer_net`, against F.cross_entropy in float64 torch."""

import pytest

from autograder.backprop.oracle import TRIALS, close, loss_and_grads, net_inputs, net_loss


@pytest.mark.points(1)
@pytest.mark.skill("losses-and-probabilities")
def test_data_loss_matches_cross_entropy(student, rng):
    """Without regularization the loss is the mean cross-entropy of the softmax of the scores."""
    for trial in range(TRIALS):
        X, y, params = net_inputs(rng)
        reg = {} if trial % 2 else {"reg": 0.0}
        assert close(loss_and_grads(student, X, y, params, **reg)[0], net_loss(X, y, params, 0.0)[0]), (
            "Wrong loss without regularization."
        )


@pytest.mark.points(1)
@pytest.mark.skill("losses-and-probabilities")
def test_regularization_in_the_loss(student, rng):
    """With reg > 0 the loss grows by exactly 0.5 * reg * (sum(W1**2) + sum(W2**2))."""
    for _ in range(TRIALS):
        X, y, params = net_inputs(rng)
        reg = float(rng.uniform(0.1, 1.0))
        added = (
            loss_and_grads(student, X, y, params, reg=reg)[0]
            - loss_and_grads(student, X, y, params, reg=0.0)[0]
        )
        assert close(added, net_loss(X, y, params, reg)[0] - net_loss(X, y, params, 0.0)[0]), (
            "Regularization changes the loss by the wrong amount."
        )
