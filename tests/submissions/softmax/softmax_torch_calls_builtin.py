"""softmax_torch just calls the built-in torch.softmax."""

import torch

FAILS = {"test_softmax_torch": ["calls_no_builtin_softmax"]}


def softmax_torch(z, dim=-1):
    return torch.softmax(z, dim=dim)
