"""Shuffles with numpy's global generator instead of rng, so the batches cannot be reproduced."""

import numpy as np

FAILS = {"test_minibatches": ["same_generator_state_same_batches"]}


def minibatches(n, batch_size, rng=None):
    order = np.arange(n) if rng is None else np.random.permutation(n)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]
