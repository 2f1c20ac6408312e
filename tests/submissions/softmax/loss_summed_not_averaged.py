"""Sums the per-example losses over the batch instead of averaging them."""

import numpy as np

FAILS = {
    "test_cross_entropy": ["averages_over_the_batch", "leaves_input_unchanged"],
    "test_softmax_loss": ["leaves_input_unchanged", "loss_is_the_mean"],
}


def cross_entropy(logits, y):
    return float(-np.sum(log_softmax(logits, axis=1)[np.arange(len(y)), y]))


def softmax_loss(x, y):
    N = x.shape[0]
    log_probs = log_softmax(x, axis=1)
    loss = -np.sum(log_probs[np.arange(N), y])
    dx = np.exp(log_probs)
    dx[np.arange(N), y] -= 1
    return loss, dx / N
