"""binary_cross_entropy_with_logits calls F.binary_cross_entropy_with_logits under another name
(values right): a numpy function that delegates to PyTorch earns nothing."""

import torch
from torch.nn.functional import binary_cross_entropy_with_logits as logistic_loss

FAILS = {
    "test_binary_cross_entropy_with_logits": ["matches_torch"],
    "test_binary_cross_entropy_with_logits_stability": ["finite_and_accurate_for_large_logits"],
}


def binary_cross_entropy_with_logits(z, y):
    return float(logistic_loss(torch.from_numpy(z), torch.from_numpy(y)))
