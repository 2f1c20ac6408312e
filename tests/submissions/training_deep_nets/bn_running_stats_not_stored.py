"""batchnorm_forward computes the new running statistics but never stores them in bn_param, so test
mode still finds zeros (or the values it started with)."""

import numpy as np

FAILS = {"test_batchnorm_forward": ["updates_running_statistics", "train_then_test"]}


def batchnorm_forward(x, gamma, beta, bn_param):
    mode = bn_param["mode"]
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    D = x.shape[1]
    running_mean = bn_param.get("running_mean", np.zeros(D))
    running_var = bn_param.get("running_var", np.zeros(D))
    if mode == "train":
        mean, var = x.mean(axis=0), x.var(axis=0)
        out = gamma * (x - mean) / np.sqrt(var + eps) + beta
        running_mean = momentum * running_mean + (1 - momentum) * mean
        running_var = momentum * running_var + (1 - momentum) * var
        return out, (x, gamma, eps)
    out = gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta
    return out, None
