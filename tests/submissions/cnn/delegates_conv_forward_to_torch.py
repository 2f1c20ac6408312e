"""conv_forward hands the convolution to PyTorch's F.conv2d: right values, but a numpy function
that delegates its computation earns nothing (the contract's "the candidate does the work")."""

import numpy as np
import torch
import torch.nn.functional as F

FAILS = {"test_conv_forward": ["matches_torch", "zero_padding", "stride", "stride_and_padding"]}


def conv_forward(x, w, b, conv_param):
    out = F.conv2d(torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(b),
                   stride=conv_param["stride"], padding=conv_param["pad"])
    return np.asarray(out.numpy()), (x, w, b, conv_param)
