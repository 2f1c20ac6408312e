"""numerical_gradient hands the finite differences to scipy's derivative approximation."""

import numpy as np
from scipy.optimize import approx_fprime

FAILS = {
    "test_numerical_gradient": ["centered_difference", "leaves_x_unchanged", "matches_autograd"],
}


def numerical_gradient(f, x, h=1e-5):
    flat = lambda v: f(v.reshape(x.shape))  # noqa: E731
    return approx_fprime(x.ravel().copy(), flat, h).reshape(x.shape)
