"""batchnorm_forward normalises with the statistics of the batch in test mode too, ignoring the
running statistics."""

import numpy as np

FAILS = {"test_batchnorm_forward": ["test_mode_uses_running_statistics", "train_then_test"]}


def batchnorm_forward(x, gamma, beta, bn_param):
    mode = bn_param["mode"]
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    D = x.shape[1]
    running_mean = bn_param.get("running_mean", np.zeros(D))
    running_var = bn_param.get("running_var", np.zeros(D))
    mean, var = x.mean(axis=0), x.var(axis=0)
    out = gamma * (x - mean) / np.sqrt(var + eps) + beta
    if mode == "train":
        bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * mean
        bn_param["running_var"] = momentum * running_var + (1 - momentum) * var
    return out, (x, gamma, eps)
