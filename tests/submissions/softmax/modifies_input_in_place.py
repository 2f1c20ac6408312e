"""Subtracts the maximum in place (z -= ...), so the caller's array or tensor changes."""

import numpy as np
import torch

FAILS = {
    "test_softmax": ["leaves_input_unchanged"],
    "test_log_softmax": ["leaves_input_unchanged"],
    "test_cross_entropy": ["leaves_input_unchanged"],
    "test_softmax_jacobian": ["leaves_input_unchanged"],
    "test_softmax_loss": ["leaves_input_unchanged"],
    "test_softmax_torch": ["leaves_input_unchanged"],
}


def softmax(z, axis=-1):
    z -= np.max(z, axis=axis, keepdims=True)
    np.exp(z, out=z)
    return z / np.sum(z, axis=axis, keepdims=True)


def log_softmax(z, axis=-1):
    z -= np.max(z, axis=axis, keepdims=True)
    return z - np.log(np.sum(np.exp(z), axis=axis, keepdims=True))


def cross_entropy(logits, y):
    logits -= np.max(logits, axis=1, keepdims=True)
    log_probs = logits - np.log(np.sum(np.exp(logits), axis=1, keepdims=True))
    return float(-np.mean(log_probs[np.arange(len(y)), y]))


def softmax_jacobian(z):
    z -= np.max(z)
    p = np.exp(z) / np.sum(np.exp(z))
    return np.diag(p) - np.outer(p, p)


def softmax_loss(x, y):
    N = x.shape[0]
    x -= np.max(x, axis=1, keepdims=True)
    probs = np.exp(x) / np.sum(np.exp(x), axis=1, keepdims=True)
    loss = -np.mean(x[np.arange(N), y] - np.log(np.sum(np.exp(x), axis=1)))
    dx = probs.copy()
    dx[np.arange(N), y] -= 1
    return loss, dx / N


def softmax_torch(z, dim=-1):
    with torch.no_grad():  # "the shift needs no gradient", but it rewrites the caller's tensor
        z -= z.amax(dim=dim, keepdim=True)
    exps = torch.exp(z)
    return exps / exps.sum(dim=dim, keepdim=True)
