"""Correct: broadcasting without keepdims ([..., None], transposes, unsqueeze)."""

import numpy as np

FAILS = {}


def softmax(z, axis=-1):
    moved = np.moveaxis(z, axis, -1)
    exps = np.exp(moved - moved.max(axis=-1)[..., None])
    return np.moveaxis(exps / exps.sum(axis=-1)[..., None], -1, axis)


def log_softmax(z, axis=-1):
    moved = np.moveaxis(z, axis, -1)
    shifted = moved - moved.max(axis=-1)[..., None]
    return np.moveaxis(shifted - np.log(np.exp(shifted).sum(axis=-1))[..., None], -1, axis)


def cross_entropy(logits, y):
    shifted = (logits.T - logits.max(axis=1)).T
    log_norm = np.log(np.exp(shifted).sum(axis=1))
    return np.mean(log_norm - shifted[np.arange(len(y)), y])


def softmax_loss(x, y):
    N = x.shape[0]
    shifted = (x.T - x.max(axis=1)).T
    exps = np.exp(shifted)
    probs = (exps.T / exps.sum(axis=1)).T
    loss = np.mean(np.log(exps.sum(axis=1)) - shifted[np.arange(N), y])
    probs[np.arange(N), y] -= 1
    return loss, probs / N


def softmax_torch(z, dim=-1):
    exps = (z - z.amax(dim=dim).unsqueeze(dim)).exp()
    return exps / exps.sum(dim=dim).unsqueeze(dim)
