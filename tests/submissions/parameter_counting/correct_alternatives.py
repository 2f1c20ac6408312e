"""Correct in other ways: numpy products (numpy ints), math.prod, named_parameters, a loop over layers."""

import math

FAILS = {}


def dense_params(n_in, n_out, bias=True):
    import numpy as np

    return np.prod([n_in, n_out]) + bias * n_out


def conv2d_params(in_channels, out_channels, kernel_size, bias=True, groups=1):
    kernel = (kernel_size,) * 2 if not isinstance(kernel_size, (tuple, list)) else kernel_size
    per_filter = math.prod(kernel) * in_channels // groups + int(bias)
    return per_filter * out_channels


def conv_output_size(n, kernel_size, stride=1, padding=0, dilation=1):
    span = dilation * (kernel_size - 1) + 1
    return len(range(0, n + 2 * padding - span + 1, stride))


def recurrent_params(cell, input_size, hidden_size, num_layers=1, bidirectional=False, bias=True):
    gates = dict(rnn=1, gru=3, lstm=4)[cell]
    directions = 1 + int(bidirectional)
    first = gates * hidden_size * (input_size + hidden_size + 2 * bias)
    rest = gates * hidden_size * (directions * hidden_size + hidden_size + 2 * bias)
    return directions * (first + (num_layers - 1) * rest)


def mlp_params(layer_sizes, bias=True):
    total = 0
    for i in range(1, len(layer_sizes)):
        total += layer_sizes[i - 1] * layer_sizes[i]
        if bias:
            total += layer_sizes[i]
    return total


def count_parameters(model, trainable_only=True):
    return sum(p.numel() for _, p in model.named_parameters() if p.requires_grad or not trainable_only)
