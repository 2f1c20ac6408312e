"""batchnorm_forward uses the unbiased variance (dividing by N - 1) to normalise and in the running
variance; its cache keeps what the reference backward needs, so the backward pass is not affected."""

import numpy as np

FAILS = {
    "test_batchnorm_forward": [
        "train_output_matches_batchnorm1d",
        "updates_running_statistics",
        "train_then_test",
    ]
}


def batchnorm_forward(x, gamma, beta, bn_param):
    mode = bn_param["mode"]
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    D = x.shape[1]
    running_mean = bn_param.get("running_mean", np.zeros(D))
    running_var = bn_param.get("running_var", np.zeros(D))
    if mode == "train":
        mean, var = x.mean(axis=0), x.var(axis=0, ddof=1)
        out = gamma * (x - mean) / np.sqrt(var + eps) + beta
        bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * mean
        bn_param["running_var"] = momentum * running_var + (1 - momentum) * var
        return out, (x, gamma, eps)
    out = gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta
    return out, None
