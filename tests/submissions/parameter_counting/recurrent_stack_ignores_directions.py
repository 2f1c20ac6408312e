"""Feeds layers after the first with hidden_size inputs even when the layer below is bidirectional."""

FAILS = {"test_recurrent_params": ["bidirectional"]}


def recurrent_params(cell, input_size, hidden_size, num_layers=1, bidirectional=False, bias=True):
    gates = {"rnn": 1, "gru": 3, "lstm": 4}[cell]
    directions = 2 if bidirectional else 1
    total = 0
    for layer in range(num_layers):
        layer_input = input_size if layer == 0 else hidden_size
        per_direction = gates * hidden_size * (layer_input + hidden_size)
        if bias:
            per_direction += 2 * gates * hidden_size
        total += directions * per_direction
    return total
