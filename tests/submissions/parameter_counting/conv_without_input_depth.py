"""Counts each conv filter as kh x kw, forgetting that it spans every input channel."""

FAILS = {"test_conv2d_params": ["counts_input_depth", "groups"]}


def conv2d_params(in_channels, out_channels, kernel_size, bias=True, groups=1):
    if isinstance(kernel_size, int):
        kernel_size = (kernel_size, kernel_size)
    kh, kw = kernel_size
    return out_channels * kh * kw + (out_channels if bias else 0)
