"""batchnorm_forward hands the normalisation to nn.BatchNorm1d (values right, running statistics kept
by hand in CS231n's convention): a numpy function that delegates to PyTorch earns nothing."""

import numpy as np
import torch
from torch import nn

FAILS = {
    "test_batchnorm_forward": [
        "train_output_matches_batchnorm1d",
        "updates_running_statistics",
        "test_mode_uses_running_statistics",
        "train_then_test",
    ]
}


def batchnorm_forward(x, gamma, beta, bn_param):
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    D = x.shape[1]
    layer = nn.BatchNorm1d(D, eps=eps).double()
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(np.asarray(gamma, dtype=float)))
        layer.bias.copy_(torch.from_numpy(np.asarray(beta, dtype=float)))
        if bn_param["mode"] == "train":
            out = layer.train()(torch.from_numpy(x)).numpy()
            mean, var = x.mean(axis=0), x.var(axis=0)
            bn_param["running_mean"] = (
                momentum * bn_param.get("running_mean", np.zeros(D)) + (1 - momentum) * mean
            )
            bn_param["running_var"] = (
                momentum * bn_param.get("running_var", np.zeros(D)) + (1 - momentum) * var
            )
            return out, (x, gamma, eps)
        layer.running_mean.copy_(torch.from_numpy(bn_param.get("running_mean", np.zeros(D))))
        layer.running_var.copy_(torch.from_numpy(bn_param.get("running_var", np.zeros(D))))
        return layer.eval()(torch.from_numpy(x)).numpy(), None
