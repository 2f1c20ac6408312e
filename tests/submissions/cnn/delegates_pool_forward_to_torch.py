"""max_pool_forward calls nn.MaxPool2d: right values, but PyTorch did the pooling, which earns nothing
for the function."""

import torch
from torch import nn

FAILS = {"test_max_pool_forward": ["matches_torch", "odd_sizes", "non_square_windows", "overlapping_windows"]}


def max_pool_forward(x, pool_param):
    pool = nn.MaxPool2d((pool_param["pool_height"], pool_param["pool_width"]), stride=pool_param["stride"])
    return pool(torch.from_numpy(x)).numpy(), (x, pool_param)
