"""A non-answer: every function returns zeros of the right shape (0 for the receptive field); it
must earn nothing."""

import numpy as np

FAILS = {
    "test_conv_forward": ["matches_torch", "zero_padding", "stride", "stride_and_padding"],
    "test_conv_backward": ["dx_matches_autograd", "dx_with_stride_and_padding", "dw_matches_autograd",
                           "dw_with_stride_and_padding", "db_matches_autograd"],
    "test_max_pool_forward": ["matches_torch", "odd_sizes", "non_square_windows", "overlapping_windows"],
    "test_max_pool_backward": ["matches_autograd", "overlapping_windows"],
    "test_receptive_field": ["one_layer", "stride_one_stack", "conv_pool_blocks", "strided_stacks"],
}


def conv_forward(x, w, b, conv_param):
    stride, pad = conv_param["stride"], conv_param["pad"]
    H_out = (x.shape[2] + 2 * pad - w.shape[2]) // stride + 1
    W_out = (x.shape[3] + 2 * pad - w.shape[3]) // stride + 1
    return np.zeros((x.shape[0], w.shape[0], H_out, W_out)), (x, w, b)


def conv_backward(dout, cache):
    x, w, b = cache
    return np.zeros_like(x), np.zeros_like(w), np.zeros_like(b)


def max_pool_forward(x, pool_param):
    ph, pw, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    H_out, W_out = (x.shape[2] - ph) // stride + 1, (x.shape[3] - pw) // stride + 1
    return np.zeros((x.shape[0], x.shape[1], H_out, W_out)), x


def max_pool_backward(dout, cache):
    return np.zeros_like(cache)


def receptive_field(layers):
    return 0
