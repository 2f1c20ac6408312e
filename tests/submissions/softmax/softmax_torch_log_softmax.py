"""softmax_torch exponentiates the built-in F.log_softmax, a built-in log-softmax in disguise."""

import torch
import torch.nn.functional as F

FAILS = {
    "test_softmax_torch": [
        "calls_no_builtin_softmax", "leaves_input_unchanged", "matches_torch_along_any_dim",
    ],
    "test_softmax_torch_gradient": ["matches_torch_gradient"],
    "test_softmax_torch_stability": ["large_logits"],
}


def softmax_torch(z, dim=-1):
    return torch.exp(F.log_softmax(z, dim=dim))
