"""ResidualBlock forgets the skip connection: forward returns fc2(relu(fc1(x))) alone."""

import torch
from torch import nn

FAILS = {
    "test_ResidualBlock": [
        "has_linear_fc1_and_fc2",
        "forward_matches_torch",
        "gradients_reach_input_and_parameters",
    ]
}


class ResidualBlock(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))
