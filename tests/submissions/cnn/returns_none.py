"""A non-answer: every function body is a stub that returns None; it must earn nothing."""

FAILS = {
    "test_conv_forward": ["matches_torch", "zero_padding", "stride", "stride_and_padding"],
    "test_conv_backward": ["dx_matches_autograd", "dx_with_stride_and_padding", "dw_matches_autograd",
                           "dw_with_stride_and_padding", "db_matches_autograd"],
    "test_max_pool_forward": ["matches_torch", "odd_sizes", "non_square_windows", "overlapping_windows"],
    "test_max_pool_backward": ["matches_autograd", "overlapping_windows"],
    "test_receptive_field": ["one_layer", "stride_one_stack", "conv_pool_blocks", "strided_stacks"],
}


def conv_forward(x, w, b, conv_param):
    pass


def conv_backward(dout, cache):
    pass


def max_pool_forward(x, pool_param):
    pass


def max_pool_backward(dout, cache):
    pass


def receptive_field(layers):
    pass
