"""Correct, but prints to stderr and raises warnings (numpy, Python and torch) every time it is called."""

import sys
import warnings

import numpy as np
import torch

FAILS = {}


def softmax(z, axis=-1):
    print("debug: softmax of shape", z.shape, file=sys.stderr)
    warnings.warn("softmax: this is a UserWarning from student code")
    exps = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return exps / np.sum(exps, axis=axis, keepdims=True)


def cross_entropy(logits, y):
    with np.errstate(all="warn"):
        np.log(np.zeros(1))  # RuntimeWarning: divide by zero
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-log_probs[np.arange(len(y)), y].mean())


def softmax_torch(z, dim=-1):
    torch.tensor([1.0, 2.0]).resize_(1)
    warnings.warn("softmax_torch: deprecated-style warning", DeprecationWarning)
    print("softmax_torch called", file=sys.stderr)
    exps = torch.exp(z - z.amax(dim=dim, keepdim=True))
    return exps / exps.sum(dim=dim, keepdim=True)
