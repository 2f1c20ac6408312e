"""softmax_torch exponentiates the built-in F.log_softmax, a built-in log-softmax in disguise."""

import torch
import torch.nn.functional as F

FAILS = {"test_softmax_torch": ["calls_no_builtin_softmax"]}


def softmax_torch(z, dim=-1):
    return torch.exp(F.log_softmax(z, dim=dim))
