"""Correct: explicit loops over rows (any axis moved last) and over examples, with the max trick per row."""

import math

import numpy as np
import torch

FAILS = {}


def softmax(z, axis=-1):
    moved = np.moveaxis(z, axis, -1)
    shape, rows = moved.shape, moved.reshape(-1, moved.shape[-1])
    out = np.empty_like(rows)
    for i, row in enumerate(rows):
        m = max(row)
        exps = [math.exp(v - m) for v in row]
        total = sum(exps)
        out[i] = [e / total for e in exps]
    return np.moveaxis(out.reshape(shape), -1, axis)


def log_softmax(z, axis=-1):
    moved = np.moveaxis(z, axis, -1)
    shape, rows = moved.shape, moved.reshape(-1, moved.shape[-1])
    out = np.empty_like(rows)
    for i, row in enumerate(rows):
        m = row.max()
        out[i] = row - m - math.log(np.exp(row - m).sum())
    return np.moveaxis(out.reshape(shape), -1, axis)


def cross_entropy(logits, y):
    total = 0.0
    for row, label in zip(logits, y):
        m = max(row)
        total += m + math.log(sum(math.exp(v - m) for v in row)) - row[label]
    return total / len(y)


def softmax_jacobian(z):
    m = max(z)
    exps = [math.exp(v - m) for v in z]
    p = [e / sum(exps) for e in exps]
    C = len(z)
    J = np.zeros((C, C))
    for i in range(C):
        for j in range(C):
            J[i, j] = p[i] * ((1.0 if i == j else 0.0) - p[j])
    return J


def softmax_loss(x, y):
    N, C = x.shape
    loss = 0.0
    dx = np.zeros_like(x)
    for i in range(N):
        shifted = x[i] - x[i].max()
        log_norm = np.log(np.exp(shifted).sum())
        loss += log_norm - shifted[y[i]]
        for j in range(C):
            dx[i, j] = (np.exp(shifted[j] - log_norm) - (1.0 if j == y[i] else 0.0)) / N
    return loss / N, dx


def softmax_torch(z, dim=-1):
    moved = z.movedim(dim, -1)
    rows = []
    for row in moved.reshape(-1, moved.shape[-1]):
        exps = torch.exp(row - row.max())
        rows.append(exps / exps.sum())
    return torch.stack(rows).reshape(moved.shape).movedim(-1, dim)
