"""cross_entropy calls F.cross_entropy through an alias of torch.nn.functional."""

import torch
import torch.nn.functional as nnf

FAILS = {
    "test_cross_entropy": ["averages_over_the_batch", "leaves_input_unchanged", "matches_torch_per_example"],
    "test_cross_entropy_stability": ["finite_when_true_class_far_below", "large_logits"],
}


def cross_entropy(logits, y):
    return float(nnf.cross_entropy(torch.from_numpy(logits), torch.from_numpy(y)))
