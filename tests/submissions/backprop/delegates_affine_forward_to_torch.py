"""affine_forward calls F.linear on tensors: right values, but torch did the work."""

import torch
import torch.nn.functional as F

FAILS = {
    "test_affine_forward": ["flattens_each_example", "matches_torch"],
}


def affine_forward(x, w, b):
    out = F.linear(torch.from_numpy(x.reshape(x.shape[0], -1)), torch.from_numpy(w.T), torch.from_numpy(b))
    return out.numpy(), (x, w, b)
