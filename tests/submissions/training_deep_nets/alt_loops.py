"""Correct alternatives written with explicit loops: batch norm feature by feature (backward staged
through the computational graph), dropout with a binomial mask kept scaled, the logistic loss one
example at a time with a branch on the sign, a wait counter for early stopping (as Keras keeps it),
and a ResidualBlock with an nn.ReLU submodule."""

import math

import numpy as np
from torch import nn

FAILS = {}


def batchnorm_forward(x, gamma, beta, bn_param):
    N, D = x.shape
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    if "running_mean" not in bn_param:
        bn_param["running_mean"] = np.zeros(D)
        bn_param["running_var"] = np.zeros(D)
    out = np.empty_like(x, dtype=float)
    if bn_param["mode"] == "test":
        for d in range(D):
            scale = gamma[d] / math.sqrt(bn_param["running_var"][d] + eps)
            out[:, d] = (x[:, d] - bn_param["running_mean"][d]) * scale + beta[d]
        return out, None
    means, variances = np.empty(D), np.empty(D)
    for d in range(D):
        column = x[:, d]
        means[d] = sum(column) / N
        variances[d] = sum((value - means[d]) ** 2 for value in column) / N
        out[:, d] = gamma[d] * (column - means[d]) / math.sqrt(variances[d] + eps) + beta[d]
    bn_param["running_mean"] = momentum * bn_param["running_mean"] + (1 - momentum) * means
    bn_param["running_var"] = momentum * bn_param["running_var"] + (1 - momentum) * variances
    return out, {"x": x, "gamma": gamma, "eps": eps}


def batchnorm_backward(dout, cache):
    x, gamma, eps = cache["x"], cache["gamma"], cache["eps"]
    N, D = x.shape
    dx, dgamma, dbeta = np.empty_like(x), np.empty(D), np.empty(D)
    for d in range(D):
        mu = x[:, d].mean()
        centred = x[:, d] - mu
        var = (centred**2).mean()
        std = math.sqrt(var + eps)
        x_hat = centred / std
        dbeta[d] = dout[:, d].sum()
        dgamma[d] = (dout[:, d] * x_hat).sum()
        dx_hat = dout[:, d] * gamma[d]
        dcentred = dx_hat / std
        dstd = -(dx_hat * centred).sum() / std**2
        dvar = dstd / (2 * std)
        dcentred += 2 * centred * dvar / N
        dx[:, d] = dcentred - dcentred.sum() / N
    return dx, dgamma, dbeta


def dropout_forward(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    if mode == "test":
        return x.copy(), {"mode": mode}
    rng = dropout_param.get("rng") or np.random.default_rng()
    mask = rng.binomial(1, 1 - p, size=x.shape) / (1 - p)
    return x * mask, {"mode": mode, "mask": mask}


def dropout_backward(dout, cache):
    if cache["mode"] == "test":
        return dout.copy()
    return dout * cache["mask"]


def binary_cross_entropy_with_logits(z, y):
    total = 0.0
    for logit, label in zip(z, y):
        if logit >= 0:
            total += (1 - label) * logit + math.log1p(math.exp(-logit))
        else:
            total += -label * logit + math.log1p(math.exp(logit))
    return total / len(z)


def init_weights(fan_in, fan_out, scheme, rng):
    fan = {"xavier": (fan_in + fan_out) / 2, "he": fan_in / 2}[scheme]
    w = np.empty((fan_in, fan_out))
    for i in range(fan_in):
        w[i] = rng.normal(0.0, 1.0 / math.sqrt(fan), size=fan_out)
    return w


def early_stopping(val_losses, patience, min_delta=0.0):
    best, best_epoch, wait = None, 0, 0
    for epoch, loss in enumerate(val_losses):
        if best is None or loss < best - min_delta:
            best, best_epoch, wait = loss, epoch, 0
            continue
        wait += 1
        if wait >= patience:
            return best_epoch, epoch
    return best_epoch, len(val_losses) - 1


class ResidualBlock(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.ReLU()
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        branch = self.fc2(self.act(self.fc1(x)))
        return branch + x
