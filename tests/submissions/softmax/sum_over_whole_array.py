"""Divides by the sum over the whole array instead of the sum along the axis."""

import numpy as np

FAILS = {
    "test_softmax": ["matches_torch_on_rows", "along_any_axis"],
    "test_softmax_stability": ["large_logits", "rows_of_different_scale"],
}


def softmax(z, axis=-1):
    exps = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return exps / np.sum(exps)
