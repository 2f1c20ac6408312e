"""Gives every gate one bias vector, where PyTorch keeps two (b_ih and b_hh)."""

FAILS = {"test_recurrent_params": ["two_bias_vectors"]}


def recurrent_params(cell, input_size, hidden_size, num_layers=1, bidirectional=False, bias=True):
    gates = {"rnn": 1, "gru": 3, "lstm": 4}[cell]
    directions = 2 if bidirectional else 1
    total = 0
    for layer in range(num_layers):
        layer_input = input_size if layer == 0 else hidden_size * directions
        weights = gates * hidden_size * (layer_input + hidden_size)
        total += directions * (weights + (gates * hidden_size if bias else 0))
    return total
