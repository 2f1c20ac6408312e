"""receptive_field measures the answer with torch autograd through a stack of F.conv2d layers, as the
visible check does: right values, but PyTorch did the work, which earns nothing for the function."""

import torch
import torch.nn.functional as F

FAILS = {"test_receptive_field": ["one_layer", "stride_one_stack", "conv_pool_blocks", "strided_stacks"]}


def receptive_field(layers):
    side = 1
    while True:
        image = torch.ones(1, 1, side, side, dtype=torch.float64, requires_grad=True)
        h = image
        for kernel_size, stride in layers:
            if h.shape[-1] < kernel_size:
                break
            h = F.conv2d(h, torch.ones(1, 1, kernel_size, kernel_size, dtype=torch.float64), stride=stride)
        else:
            break
        side *= 2
    h[0, 0, 0, 0].backward()
    rows = torch.nonzero((image.grad[0, 0] != 0).any(dim=1)).flatten()
    return int(rows.max() - rows.min()) + 1
