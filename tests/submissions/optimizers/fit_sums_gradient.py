"""Sums the squared errors of a batch instead of averaging them, so the step grows with the batch
size: full-batch gradient descent diverges and mini-batches jitter far from the solution."""

import numpy as np

FAILS = {"test_fit_linear_regression": ["full_batch_gradient_descent", "mini_batch_gradient_descent"]}


def fit_linear_regression(X, y, batch_size, learning_rate, epochs, rng=None):
    w = np.zeros(X.shape[1])
    for _ in range(epochs):
        for idx in minibatches(X.shape[0], batch_size, rng):
            w = w - learning_rate * 2.0 * X[idx].T @ (X[idx] @ w - y[idx])
    return w
