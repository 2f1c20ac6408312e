"""batchnorm_backward treats the batch mean and variance as constants: dx = dout * gamma / std, without
the terms through the mean and the variance."""

import numpy as np

FAILS = {"test_batchnorm_backward": ["dx_matches_autograd"]}


def batchnorm_backward(dout, cache):
    x, gamma, eps = cache
    std = np.sqrt(x.var(axis=0) + eps)
    x_hat = (x - x.mean(axis=0)) / std
    return dout * gamma / std, (dout * x_hat).sum(axis=0), dout.sum(axis=0)
