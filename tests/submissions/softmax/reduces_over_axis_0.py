"""Takes the max and the sum over axis 0 (down the columns) whatever axis is asked for."""

import numpy as np

FAILS = {
    "test_softmax": ["along_any_axis", "leaves_input_unchanged", "matches_torch_on_rows"],
    "test_softmax_stability": ["large_logits", "rows_of_different_scale"],
}


def softmax(z, axis=-1):
    exps = np.exp(z - np.max(z, axis=0, keepdims=True))
    return exps / np.sum(exps, axis=0, keepdims=True)
