"""Subtracts the maximum of the whole array instead of each row's: rows far below the top row underflow to 0/0."""

import numpy as np

FAILS = {"test_softmax_stability": ["rows_of_different_scale"]}


def softmax(z, axis=-1):
    exps = np.exp(z - np.max(z))
    return exps / np.sum(exps, axis=axis, keepdims=True)
