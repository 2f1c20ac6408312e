"""Averages the loss but forgets to divide its gradient dx by N."""

import numpy as np

FAILS = {
    "test_softmax_loss": ["gradient_of_the_batch_mean", "leaves_input_unchanged"],
}


def softmax_loss(x, y):
    N = x.shape[0]
    log_probs = log_softmax(x, axis=1)
    loss = -np.mean(log_probs[np.arange(N), y])
    dx = np.exp(log_probs)
    dx[np.arange(N), y] -= 1
    return loss, dx
