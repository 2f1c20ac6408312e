"""fit_linear_regression returns the least-squares solution from np.linalg.lstsq instead of training
with mini-batch gradient descent: right at convergence, but not the asked method."""

import numpy as np

FAILS = {
    "test_fit_linear_regression": [
        "full_batch_gradient_descent", "mini_batch_gradient_descent", "stochastic_gradient_descent",
    ],
}


def fit_linear_regression(X, y, batch_size, learning_rate, epochs, rng=None):
    return np.linalg.lstsq(X, y, rcond=None)[0]
