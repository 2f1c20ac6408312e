"""dropout_forward hands the mask to F.dropout, seeding torch from the given generator (values and
randomness right): a numpy function that delegates to PyTorch earns nothing."""

import numpy as np
import torch
import torch.nn.functional as F

FAILS = {
    "test_dropout_forward": [
        "values_are_zero_or_scaled",
        "kept_fraction_follows_p",
        "test_mode_returns_x",
        "draws_from_the_given_rng",
    ]
}


def dropout_forward(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    if mode != "train":
        return x, (mode, p, None)
    rng = dropout_param.get("rng") or np.random.default_rng()
    torch.manual_seed(int(rng.integers(2**62)))
    out = F.dropout(torch.from_numpy(x), p=p, training=True).numpy()
    return out, (mode, p, out != 0)
