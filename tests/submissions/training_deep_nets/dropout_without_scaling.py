"""dropout_forward zeroes units with probability p but does not scale the kept ones by 1 / (1 - p)
(its cache still holds the mask the reference backward expects)."""

import numpy as np

FAILS = {"test_dropout_forward": ["values_are_zero_or_scaled"]}


def dropout_forward(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    rng = dropout_param.get("rng")
    if rng is None:
        rng = np.random.default_rng()
    if mode == "train":
        keep = rng.random(x.shape) >= p
        return x * keep, (mode, p, keep)
    return x, (mode, p, None)
