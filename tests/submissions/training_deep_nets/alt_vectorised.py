"""Correct vectorised alternatives: batch norm caching the normalised input and updating existing
running statistics in place, the compact batch-norm backward, dropout with a uniform draw against
1 - p, the logistic loss with np.logaddexp, numpy integers from early stopping, a clamped ReLU."""

import numpy as np
from torch import nn

FAILS = {}


def batchnorm_forward(x, gamma, beta, bn_param):
    eps = bn_param.setdefault("eps", 1e-5)
    momentum = bn_param.setdefault("momentum", 0.9)
    D = x.shape[1]
    if bn_param["mode"] == "train":
        mu = np.mean(x, axis=0)
        var = np.mean((x - mu) ** 2, axis=0)
        inv_std = (var + eps) ** -0.5
        x_hat = (x - mu) * inv_std
        for key, value in (("running_mean", mu), ("running_var", var)):
            if key in bn_param:
                bn_param[key] *= momentum
                bn_param[key] += (1 - momentum) * value
            else:
                bn_param[key] = (1 - momentum) * value
        return gamma * x_hat + beta, (x_hat, inv_std, gamma)
    mean = bn_param.get("running_mean", np.zeros(D))
    var = bn_param.get("running_var", np.zeros(D))
    return gamma * (x - mean) / np.sqrt(var + eps) + beta, None


def batchnorm_backward(dout, cache):
    x_hat, inv_std, gamma = cache
    N = dout.shape[0]
    dbeta = np.sum(dout, axis=0)
    dgamma = np.sum(dout * x_hat, axis=0)
    dx = (gamma * inv_std / N) * (N * dout - dbeta - x_hat * dgamma)
    return dx, dgamma, dbeta


def dropout_forward(x, dropout_param):
    p = dropout_param["p"]
    if dropout_param["mode"] != "train":
        return x, None
    rng = dropout_param.get("rng", np.random.default_rng())
    mask = (rng.uniform(size=x.shape) < 1 - p) / (1 - p)
    return x * mask, mask


def dropout_backward(dout, cache):
    return dout if cache is None else dout * cache


def binary_cross_entropy_with_logits(z, y):
    return np.mean(np.logaddexp(0.0, z) - y * z)


def init_weights(fan_in, fan_out, scheme, rng):
    variance = {"xavier": 2.0 / (fan_in + fan_out), "he": 2.0 / fan_in}[scheme]
    return rng.standard_normal(size=(fan_in, fan_out)) * np.sqrt(variance)


def early_stopping(val_losses, patience, min_delta=0.0):
    losses = np.asarray(val_losses, dtype=float)
    best, best_epoch = losses[0], np.int64(0)
    for epoch in np.arange(1, len(losses)):
        if losses[epoch] < best - min_delta:
            best, best_epoch = losses[epoch], epoch
        elif epoch == best_epoch + patience:
            return best_epoch, epoch
    return best_epoch, np.int64(len(losses) - 1)


class ResidualBlock(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return x + self.fc2(self.fc1(x).clamp(min=0))
