"""softmax_torch exponentiates the raw logits without subtracting the maximum."""

import torch

FAILS = {"test_softmax_torch_stability": ["large_logits"]}


def softmax_torch(z, dim=-1):
    exps = torch.exp(z)
    return exps / exps.sum(dim=dim, keepdim=True)
