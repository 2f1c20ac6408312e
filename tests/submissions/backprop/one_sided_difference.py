"""numerical_gradient uses the one-sided difference (f(x + h) - f(x)) / h, whose error is of order h."""

import numpy as np

FAILS = {"test_numerical_gradient": ["centered_difference"]}


def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x)
    fx = f(x)
    for index in np.ndindex(x.shape):
        old = x[index]
        x[index] = old + h
        grad[index] = (f(x) - fx) / h
        x[index] = old
    return grad
