"""Always normalizes along the last axis, ignoring the axis argument, in numpy and in torch."""

import numpy as np
import torch

FAILS = {
    "test_softmax": ["along_any_axis"],
    "test_log_softmax": ["matches_torch_along_any_axis"],
    "test_softmax_torch": ["calls_no_builtin_softmax", "matches_torch_along_any_dim"],
    "test_softmax_torch_gradient": ["matches_torch_gradient"],
}


def softmax(z, axis=-1):
    exps = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return exps / np.sum(exps, axis=-1, keepdims=True)


def log_softmax(z, axis=-1):
    shifted = z - np.max(z, axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


def softmax_torch(z, dim=-1):
    exps = torch.exp(z - z.max(-1, keepdim=True).values)
    return exps / exps.sum(-1, keepdim=True)
