"""Treats softmax as element-wise: the Jacobian keeps only its diagonal p_i (1 - p_i)."""

import numpy as np

FAILS = {
    "test_softmax_jacobian": ["large_logits", "leaves_input_unchanged", "matches_autograd_jacobian"],
}


def softmax_jacobian(z):
    p = softmax(z)
    return np.diag(p * (1 - p))
