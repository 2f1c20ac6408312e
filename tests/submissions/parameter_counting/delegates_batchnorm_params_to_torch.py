"""batchnorm_params counts nn.BatchNorm2d's parameters, bound to a name at the top level of a cell."""

import torch

FAILS = {
    "test_batchnorm_params": ["returns_an_int", "scale_and_shift", "without_affine"],
}

BatchNorm = torch.nn.BatchNorm2d


def batchnorm_params(num_features, affine=True):
    return sum(p.numel() for p in BatchNorm(num_features, affine=affine, device="meta").parameters())
