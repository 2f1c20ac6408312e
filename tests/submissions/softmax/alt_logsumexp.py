"""Correct: everything from one stable logsumexp, written in numpy in a cell of its own (and
torch.logsumexp in softmax_torch), in a notebook that also imports torch."""

import numpy as np
import torch

FAILS = {}


def logsumexp(z, axis=None, keepdims=False):
    top = np.max(z, axis=axis, keepdims=True)
    out = top + np.log(np.sum(np.exp(z - top), axis=axis, keepdims=True))
    return out if keepdims else np.squeeze(out, axis=axis)


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
