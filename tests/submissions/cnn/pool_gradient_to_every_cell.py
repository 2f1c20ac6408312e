"""max_pool_backward sends each window's upstream gradient to every cell of the window, as an
average pool would without the division, instead of to the window's maximum only."""

import numpy as np

FAILS = {"test_max_pool_backward": ["matches_autograd", "overlapping_windows"]}


def max_pool_backward(dout, cache):
    x, pool_param = cache
    ph, pw, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    dx = np.zeros_like(x)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            rows, cols = slice(i * stride, i * stride + ph), slice(j * stride, j * stride + pw)
            dx[:, :, rows, cols] += dout[:, :, i, j][:, :, None, None]
    return dx
