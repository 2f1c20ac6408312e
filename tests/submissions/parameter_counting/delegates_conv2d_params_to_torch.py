"""conv2d_params builds the nn.Conv2d it is asked about and counts its parameters: the right number,
but torch did the work."""

import torch

FAILS = {
    "test_conv2d_params": [
        "counts_input_depth", "groups", "one_bias_per_filter", "rectangular_kernel", "returns_an_int",
    ],
}


def conv2d_params(in_channels, out_channels, kernel_size, bias=True, groups=1):
    layer = torch.nn.Conv2d(in_channels, out_channels, kernel_size, bias=bias, groups=groups, device="meta")
    return sum(p.numel() for p in layer.parameters())
