"""Exponentiates the raw logits everywhere in numpy, without subtracting the maximum: exp overflows."""

import numpy as np

FAILS = {
    "test_softmax_stability": ["large_logits"],
    "test_log_softmax_stability": ["large_logits"],
    "test_cross_entropy_stability": ["large_logits"],
    "test_softmax_loss_stability": ["large_logits"],
    "test_softmax_jacobian": ["large_logits"],
}


def softmax(z, axis=-1):
    exps = np.exp(z)
    return exps / np.sum(exps, axis=axis, keepdims=True)


def log_softmax(z, axis=-1):
    return z - np.log(np.sum(np.exp(z), axis=axis, keepdims=True))


def cross_entropy(logits, y):
    N = logits.shape[0]
    log_norm = np.log(np.sum(np.exp(logits), axis=1))
    return float(np.mean(log_norm - logits[np.arange(N), y]))


def softmax_jacobian(z):
    p = np.exp(z) / np.sum(np.exp(z))
    return np.diag(p) - np.outer(p, p)


def softmax_loss(x, y):
    N = x.shape[0]
    sums = np.sum(np.exp(x), axis=1, keepdims=True)
    loss = np.mean(np.log(sums[:, 0]) - x[np.arange(N), y])
    dx = np.exp(x) / sums
    dx[np.arange(N), y] -= 1
    return loss, dx / N
