"""conv_output_size never returns."""

FAILS = {"test_conv_output_size": ["defaults", "stride_and_padding", "dilation", "returns_an_int"]}


def conv_output_size(n, kernel_size, stride=1, padding=0, dilation=1):
    while True:
        pass
