"""binary_cross_entropy_with_logits sums the losses of the examples instead of averaging them."""

import numpy as np

FAILS = {"test_binary_cross_entropy_with_logits": ["matches_torch"]}


def binary_cross_entropy_with_logits(z, y):
    return float(np.sum(np.maximum(z, 0.0) - z * y + np.log1p(np.exp(-np.abs(z)))))
