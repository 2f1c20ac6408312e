"""conv_output_size runs F.conv2d on a zero input and reads the output's shape."""

import torch
import torch.nn.functional as F

FAILS = {
    "test_conv_output_size": ["defaults", "dilation", "returns_an_int", "stride_and_padding"],
}


def conv_output_size(n, kernel_size, stride=1, padding=0, dilation=1):
    out = F.conv2d(torch.zeros(1, 1, n, 1), torch.zeros(1, 1, kernel_size, 1), stride=(stride, 1),
                   padding=(padding, 0), dilation=(dilation, 1))
    return int(out.shape[2])
