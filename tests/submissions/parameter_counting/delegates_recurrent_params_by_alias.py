"""recurrent_params counts torch's own recurrent layers, reached through an alias of torch.nn and
module attributes bound at the top level of a cell."""

from torch import nn as layers

FAILS = {
    "test_recurrent_params": [
        "bidirectional", "returns_an_int", "stacked_layers", "two_bias_vectors", "weights_per_gate",
    ],
}

KINDS = {"rnn": layers.RNN, "gru": layers.GRU, "lstm": layers.LSTM}


def recurrent_params(cell, input_size, hidden_size, num_layers=1, bidirectional=False, bias=True):
    module = KINDS[cell](input_size, hidden_size, num_layers=num_layers, bidirectional=bidirectional,
                         bias=bias, device="meta")
    return sum(p.numel() for p in module.parameters())
