"""max_pool_backward assigns each window's gradient instead of adding it: where windows overlap, a
later window overwrites what an earlier one sent (right when windows do not overlap)."""

import numpy as np

FAILS = {"test_max_pool_backward": ["overlapping_windows"]}


def max_pool_backward(dout, cache):
    x, pool_param = cache
    ph, pw, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    dx = np.zeros_like(x)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            rows, cols = slice(i * stride, i * stride + ph), slice(j * stride, j * stride + pw)
            window = x[:, :, rows, cols]
            mask = window == window.max(axis=(2, 3), keepdims=True)
            dx[:, :, rows, cols] = mask * dout[:, :, i, j][:, :, None, None]
    return dx
