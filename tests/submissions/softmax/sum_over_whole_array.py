"""Divides by the sum over the whole array instead of the sum along the axis."""

import numpy as np

FAILS = {
    "test_softmax": ["along_any_axis", "leaves_input_unchanged", "matches_torch_on_rows"],
    "test_softmax_stability": ["large_logits", "rows_of_different_scale"],
}


def softmax(z, axis=-1):
    exps = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return exps / np.sum(exps)
