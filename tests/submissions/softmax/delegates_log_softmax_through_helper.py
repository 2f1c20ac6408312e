"""log_softmax calls a helper in another cell that hands the work to scipy.special.log_softmax."""

import numpy as np
import scipy.special

FAILS = {
    "test_log_softmax": ["leaves_input_unchanged", "matches_torch_along_any_axis"],
    "test_log_softmax_stability": ["finite_far_below_the_max", "large_logits"],
}


def stable_log_probabilities(z, axis):
    return scipy.special.log_softmax(np.asarray(z, dtype=np.float64), axis=axis)


def log_softmax(z, axis=-1):
    return stable_log_probabilities(z, axis)
