"""max_pool_forward ignores `stride` and steps by the window size along each axis (right whenever the
stride equals a square window)."""

import numpy as np

FAILS = {"test_max_pool_forward": ["non_square_windows", "overlapping_windows"]}


def max_pool_forward(x, pool_param):
    ph, pw = pool_param["pool_height"], pool_param["pool_width"]
    N, C, H, W = x.shape
    out = np.zeros((N, C, H // ph, W // pw))
    for i in range(H // ph):
        for j in range(W // pw):
            out[:, :, i, j] = x[:, :, i * ph:(i + 1) * ph, j * pw:(j + 1) * pw].max(axis=(2, 3))
    return out, (x, pool_param)
