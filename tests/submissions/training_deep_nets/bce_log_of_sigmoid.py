"""binary_cross_entropy_with_logits takes the log of the sigmoid: right for moderate logits, but the
sigmoid rounds to 0 or 1 for large ones and the loss becomes inf or inaccurate."""

import numpy as np

FAILS = {"test_binary_cross_entropy_with_logits_stability": ["finite_and_accurate_for_large_logits"]}


def binary_cross_entropy_with_logits(z, y):
    sigmoid = 1.0 / (1.0 + np.exp(-z))
    return float(np.mean(-(y * np.log(sigmoid) + (1 - y) * np.log(1 - sigmoid))))
