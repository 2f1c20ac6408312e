"""Correct: everything from scipy.special.logsumexp (and torch.logsumexp), which is stable by itself."""

import numpy as np
import torch
from scipy.special import logsumexp

FAILS = {}


def softmax(z, axis=-1):
    return np.exp(z - logsumexp(z, axis=axis, keepdims=True))


def log_softmax(z, axis=-1):
    return z - logsumexp(z, axis=axis, keepdims=True)


def cross_entropy(logits, y):
    return np.mean(logsumexp(logits, axis=1) - logits[np.arange(len(y)), y])


def softmax_jacobian(z):
    p = np.exp(z - logsumexp(z))
    return np.diag(p) - p[:, None] * p[None, :]


def softmax_loss(x, y):
    N = len(y)
    lse = logsumexp(x, axis=1)
    loss = np.mean(lse - x[np.arange(N), y])
    dx = np.exp(x - lse[:, None])
    dx[np.arange(N), y] -= 1
    return loss, dx / N


def softmax_torch(z, dim=-1):
    return torch.exp(z - torch.logsumexp(z, dim=dim, keepdim=True))
