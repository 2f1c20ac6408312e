"""dropout_forward reads p as the probability of keeping a unit (CS231n's 2017+ convention): it keeps
units with probability p and scales them by 1 / p."""

import numpy as np

FAILS = {"test_dropout_forward": ["values_are_zero_or_scaled", "kept_fraction_follows_p"]}


def dropout_forward(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    rng = dropout_param.get("rng")
    if rng is None:
        rng = np.random.default_rng()
    if mode == "train":
        keep = rng.random(x.shape) < p
        return np.where(keep, x / p, 0.0), (mode, p, keep)
    return x, (mode, p, None)
