"""Computes every batch's gradient but updates the weights once per epoch, with the last batch's
gradient only (the update is indented one level too little)."""

import numpy as np

FAILS = {"test_fit_linear_regression": ["mini_batch_gradient_descent", "stochastic_gradient_descent"]}


def fit_linear_regression(X, y, batch_size, learning_rate, epochs, rng=None):
    w = np.zeros(X.shape[1])
    for _ in range(epochs):
        for idx in minibatches(X.shape[0], batch_size, rng):
            grad = 2.0 / len(idx) * X[idx].T @ (X[idx] @ w - y[idx])
        w = w - learning_rate * grad
    return w
