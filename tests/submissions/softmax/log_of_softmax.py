"""Takes the log of a (stable) softmax: -inf where a probability underflows to 0, though the exact value is finite."""

import numpy as np

FAILS = {
    "test_log_softmax_stability": ["finite_far_below_the_max"],
    "test_cross_entropy_stability": ["finite_when_true_class_far_below"],
    "test_softmax_loss_stability": ["finite_when_true_class_far_below"],
}


def log_softmax(z, axis=-1):
    return np.log(softmax(z, axis=axis))


def cross_entropy(logits, y):
    probs = softmax(logits, axis=1)
    return float(-np.mean(np.log(probs[np.arange(len(y)), y])))


def softmax_loss(x, y):
    N = x.shape[0]
    probs = softmax(x, axis=1)
    loss = -np.sum(np.log(probs[np.arange(N), y])) / N
    dx = probs.copy()
    dx[np.arange(N), y] -= 1
    dx /= N
    return loss, dx
