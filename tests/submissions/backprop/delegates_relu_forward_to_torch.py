"""relu_forward calls torch.relu."""

import torch

FAILS = {
    "test_relu_forward": ["leaves_x_unchanged", "matches_torch"],
}


def relu_forward(x):
    return torch.relu(torch.from_numpy(x)).numpy(), x
