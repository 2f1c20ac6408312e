"""dropout_backward draws a new mask from the generator instead of reusing the one of the forward
pass (the forward pass keeps the generator in its cache)."""

import numpy as np

FAILS = {"test_dropout_backward": ["reuses_the_forward_mask"]}


def dropout_forward(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    rng = dropout_param.get("rng")
    if rng is None:
        rng = np.random.default_rng()
    if mode == "train":
        keep = rng.random(x.shape) >= p
        return np.where(keep, x / (1 - p), 0.0), (mode, p, rng)
    return x, (mode, p, rng)


def dropout_backward(dout, cache):
    mode, p, rng = cache
    if mode == "train":
        keep = rng.random(dout.shape) >= p
        return np.where(keep, dout / (1 - p), 0.0)
    return dout
