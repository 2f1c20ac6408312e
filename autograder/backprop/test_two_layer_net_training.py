"""Hidden test that the student's `two_layer_net` trains: plain gradient descent on spirals."""

import numpy as np
import pytest

from autograder.backprop import probes
from autograder.backprop.oracle import array, he_init, net_scores, spirals

HIDDEN, STEPS, LEARNING_RATE, ACCURACY = 100, 300, 1.0, 0.9


@pytest.mark.points(2)
@pytest.mark.skill("backpropagation")
def test_learns_the_spirals(student, rng):
    """300 steps of gradient descent (learning rate 1) on three spirals reach 90% training accuracy."""
    X, y = spirals(rng)
    params = he_init(rng, X.shape[1], HIDDEN, 3)
    trained = student.probe(probes.train_two_layer_net, X, y, params, LEARNING_RATE, STEPS)["params"]
    trained = {
        key: array(trained.get(key), f"After training, `params['{key}']`", value.shape, "its original shape")
        for key, value in params.items()
    }
    with np.errstate(all="ignore"):
        accuracy = np.mean(np.argmax(net_scores(X, trained), axis=1) == y)
    assert accuracy >= ACCURACY, "Training did not reach the accuracy asked for."
