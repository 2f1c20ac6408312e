"""Correct: log-softmax is computed first and softmax is its exponential, in numpy and in torch."""

import numpy as np
import torch

FAILS = {}


def softmax(z, axis=-1):
    return np.exp(log_softmax(z, axis=axis))


def softmax_jacobian(z):
    p = np.exp(log_softmax(z))
    return np.diag(p) - np.outer(p, p)


def cross_entropy(logits, y):
    return -log_softmax(logits, axis=1)[np.arange(len(y)), y].mean()


def softmax_loss(x, y):
    log_probs = log_softmax(x, axis=1)
    onehot = np.zeros_like(x)
    onehot[np.arange(len(y)), y] = 1.0
    loss = -np.sum(onehot * log_probs) / len(y)
    return loss, (np.exp(log_probs) - onehot) / len(y)


def softmax_torch(z, dim=-1):
    shifted = z - z.max(dim=dim, keepdim=True).values
    log_probs = shifted - torch.log(torch.exp(shifted).sum(dim=dim, keepdim=True))
    return torch.exp(log_probs)
