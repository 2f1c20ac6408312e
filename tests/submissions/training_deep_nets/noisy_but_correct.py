"""Correct, but prints to stdout and stderr and raises warnings every time it is called."""

import sys
import warnings

import numpy as np
import torch
from torch import nn

FAILS = {}


def batchnorm_forward(x, gamma, beta, bn_param):
    print("batchnorm_forward", x.shape, bn_param.get("mode"))
    print("debug: batchnorm_forward", file=sys.stderr)
    warnings.warn("batchnorm_forward: a UserWarning from student code")
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    D = x.shape[1]
    running_mean = bn_param.get("running_mean", np.zeros(D))
    running_var = bn_param.get("running_var", np.zeros(D))
    if bn_param["mode"] == "train":
        mean, var = x.mean(axis=0), x.var(axis=0)
        bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * mean
        bn_param["running_var"] = momentum * running_var + (1 - momentum) * var
        return gamma * (x - mean) / np.sqrt(var + eps) + beta, (x, gamma, eps)
    return gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta, None


def batchnorm_backward(dout, cache):
    warnings.warn("batchnorm_backward: deprecated-style warning", DeprecationWarning)
    print("batchnorm_backward", file=sys.stderr)
    x, gamma, eps = cache
    N = x.shape[0]
    inv_std = 1.0 / np.sqrt(x.var(axis=0) + eps)
    x_hat = (x - x.mean(axis=0)) * inv_std
    dgamma, dbeta = (dout * x_hat).sum(axis=0), dout.sum(axis=0)
    dx = gamma * inv_std / N * (N * dout - dbeta - x_hat * dgamma)
    return dx, dgamma, dbeta


def dropout_forward(x, dropout_param):
    print("dropout_forward with p =", dropout_param["p"], file=sys.stderr)
    with np.errstate(divide="warn"):
        np.log(np.zeros(1))  # a RuntimeWarning
    p, mode = dropout_param["p"], dropout_param["mode"]
    rng = dropout_param.get("rng")
    if rng is None:
        rng = np.random.default_rng()
    if mode == "train":
        keep = rng.random(x.shape) >= p
        return np.where(keep, x / (1 - p), 0.0), (mode, p, keep)
    return x, (mode, p, None)


def binary_cross_entropy_with_logits(z, y):
    print("loss of", len(z), "examples")
    warnings.warn("binary_cross_entropy_with_logits: a warning")
    return float(np.mean(np.maximum(z, 0.0) - z * y + np.log1p(np.exp(-np.abs(z)))))


def init_weights(fan_in, fan_out, scheme, rng):
    print(f"init_weights {scheme} {fan_in}x{fan_out}", file=sys.stderr)
    std = np.sqrt(2.0 / (fan_in + fan_out)) if scheme == "xavier" else np.sqrt(2.0 / fan_in)
    return std * rng.standard_normal((fan_in, fan_out))


def early_stopping(val_losses, patience, min_delta=0.0):
    warnings.warn("early_stopping: a FutureWarning", FutureWarning)
    best, best_epoch = float("inf"), 0
    for epoch, loss in enumerate(val_losses):
        print("epoch", epoch, "loss", loss)
        if loss < best - min_delta:
            best, best_epoch = loss, epoch
        elif epoch - best_epoch >= patience:
            return best_epoch, epoch
    return best_epoch, len(val_losses) - 1


class ResidualBlock(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        print("building a ResidualBlock", file=sys.stderr)
        self.fc1 = nn.Linear(dim, hidden)
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        warnings.warn("ResidualBlock.forward: a warning")
        torch.tensor([1.0, 2.0]).resize_(1)
        return x + self.fc2(torch.relu(self.fc1(x)))
