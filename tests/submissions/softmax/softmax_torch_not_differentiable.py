"""softmax_torch goes through numpy, so autograd cannot carry gradients back to the input."""

import torch

FAILS = {"test_softmax_torch_gradient": ["matches_torch_gradient"]}


def softmax_torch(z, dim=-1):
    return torch.from_numpy(softmax(z.detach().numpy(), axis=dim))
