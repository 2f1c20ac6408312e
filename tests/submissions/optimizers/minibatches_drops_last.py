"""Makes n // batch_size full batches and drops the samples left over."""

import numpy as np

FAILS = {
    "test_minibatches": ["in_order_without_rng", "partition_with_rng", "same_generator_state_same_batches"],
}


def minibatches(n, batch_size, rng=None):
    order = np.arange(n) if rng is None else rng.permutation(n)
    return [order[i * batch_size:(i + 1) * batch_size] for i in range(n // batch_size)]
