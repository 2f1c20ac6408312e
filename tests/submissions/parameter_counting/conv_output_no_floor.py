"""Ignores dilation and rounds the stride division to nearest instead of down."""

FAILS = {"test_conv_output_size": ["stride_and_padding", "dilation"]}


def conv_output_size(n, kernel_size, stride=1, padding=0, dilation=1):
    return round((n + 2 * padding - kernel_size) / stride) + 1
