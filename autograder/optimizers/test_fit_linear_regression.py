"""Hidden tests for `fit_linear_regression`: it ends near the least-squares solution in every regime.

Mini-batch and stochastic gradient descent with a constant learning rate stop near, not at, the
least-squares solution, so these tests use tolerances measured against the batches' disagreement
(see `regression_batches`), far looser than the contract's but far tighter than the known mistakes.
"""

import numpy as np
import pytest

from autograder.checks import as_array, close
from autograder.optimizers import probes
from autograder.optimizers.oracle import least_squares, minibatch_gradient_descent, regression_batches, signs

# A solver (np.linalg.lstsq, the normal equations) ends at least squares too: after a few epochs,
# where gradient descent is still far from it, the weights must be those of the asked method. The
# gradient of the mean squared error, or of half of it (a step half as long), are both accepted.
NOT_THE_METHOD = "After a few epochs the weights are not those of mini-batch gradient descent."


def _few_epochs(student, X, y, batch_size, learning_rate, epochs):
    got = student.fit_linear_regression(X, y, batch_size, learning_rate, epochs)
    got = as_array(got, "fit_linear_regression", (X.shape[1],))
    assert any(
        close(got, minibatch_gradient_descent(X, y, batch_size, rate, epochs))
        for rate in (learning_rate, learning_rate / 2)
    ), NOT_THE_METHOD


@pytest.mark.points(0.5)
@pytest.mark.skill("optimization")
def test_full_batch_gradient_descent(student, rng):
    """With batch_size = N (one exact-gradient step per epoch) the weights converge to least squares."""
    for _ in range(2):
        n = int(rng.integers(60, 100))
        X, y, _ = regression_batches(rng, 1, n)
        w = as_array(student.fit_linear_regression(X, y, n, 0.1, 200), "fit_linear_regression", (X.shape[1],))
        want = least_squares(X, y)
        # Gradient descent converges linearly here: 200 steps leave far less than 1e-6.
        assert np.linalg.norm(w - want) <= 1e-6 * (1 + np.linalg.norm(want)), (
            "Full-batch gradient descent did not converge to least squares."
        )
        _few_epochs(student, X, y, n, 0.1, 3)


@pytest.mark.points(1)
@pytest.mark.skill("optimization")
def test_mini_batch_gradient_descent(student, rng):
    """Mini-batches in order, with a gradient averaged over each batch, end near least squares."""
    for _ in range(2):
        batches, batch_size = int(rng.integers(4, 7)), int(rng.integers(16, 25))
        X, y, spread = regression_batches(rng, batches, batch_size)
        got = student.fit_linear_regression(X, y, batch_size, 0.01, 200)
        w = as_array(got, "fit_linear_regression", (X.shape[1],))
        # A correct fit cycles within about 0.1 * spread of least squares; summing instead of
        # averaging the batch gradient, or stepping once per epoch, ends more than spread away.
        assert np.linalg.norm(w - least_squares(X, y)) <= 0.4 * spread, (
            "Mini-batch gradient descent ended far from least squares."
        )
        _few_epochs(student, X, y, batch_size, 0.01, 2)


@pytest.mark.points(0.5)
@pytest.mark.skill("optimization")
def test_stochastic_gradient_descent(student, rng):
    """With batch_size = 1 and a shuffling rng, one update per sample reaches the exact solution."""
    for _ in range(2):
        n, d = int(rng.integers(40, 80)), int(rng.integers(2, 5))
        X = rng.normal(size=(n, d))
        y = X @ (signs(rng, (d,)) * rng.uniform(1.0, 3.0, size=d))
        got = student.probe(probes.fit_linear_regression, X, y, 1, 0.01, 40, int(rng.integers(2**32)))
        w = as_array(got, "fit_linear_regression", (d,))
        want = least_squares(X, y)
        # Noise-free targets: every sample agrees on the solution, so SGD converges to it
        # (to about 1e-4 in 40 epochs); one update per epoch is still far away.
        assert np.linalg.norm(w - want) <= 1e-2 * (1 + np.linalg.norm(want)), (
            "Stochastic gradient descent ended far from the exact solution."
        )
        _few_epochs(student, X, y, 1, 0.002, 1)
