"""Counts weights only, everywhere: no biases in dense, conv, recurrent or MLP layers."""

FAILS = {
    "test_dense_params": ["counts_weights_and_biases"],
    "test_conv2d_params": ["one_bias_per_filter"],
    "test_recurrent_params": ["two_bias_vectors"],
    "test_mlp_params": ["with_biases"],
}


def dense_params(n_in, n_out, bias=True):
    return n_in * n_out


def conv2d_params(in_channels, out_channels, kernel_size, bias=True, groups=1):
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    return out_channels * (in_channels // groups) * kh * kw


def recurrent_params(cell, input_size, hidden_size, num_layers=1, bidirectional=False, bias=True):
    gates = {"rnn": 1, "gru": 3, "lstm": 4}[cell]
    directions = 2 if bidirectional else 1
    total = 0
    for layer in range(num_layers):
        layer_input = input_size if layer == 0 else hidden_size * directions
        total += directions * gates * hidden_size * (layer_input + hidden_size)
    return total


def mlp_params(layer_sizes, bias=True):
    return sum(a * b for a, b in zip(layer_sizes, layer_sizes[1:]))
