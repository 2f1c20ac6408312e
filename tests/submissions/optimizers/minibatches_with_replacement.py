"""Draws the shuffled order with rng.choice(n, n), which samples with replacement: some samples
repeat and others are never seen."""

import numpy as np

FAILS = {
    "test_minibatches": ["partition_with_rng", "same_generator_state_same_batches"],
}


def minibatches(n, batch_size, rng=None):
    order = np.arange(n) if rng is None else rng.choice(n, size=n)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]
