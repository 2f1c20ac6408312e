"""numerical_gradient never puts the perturbed entries back: x ends up shifted by -h everywhere."""

import numpy as np

FAILS = {"test_numerical_gradient": ["leaves_x_unchanged"]}


def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        ix = it.multi_index
        x[ix] += h
        f_plus = f(x)
        x[ix] -= 2 * h
        f_minus = f(x)
        grad[ix] = (f_plus - f_minus) / (2 * h)
        it.iternext()
    return grad
