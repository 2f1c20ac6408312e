"""dense_params counts an nn.Linear through helpers in another cell of the notebook."""

import torch

FAILS = {
    "test_dense_params": ["counts_weights_and_biases", "returns_an_int", "without_bias"],
}


def count_module(layer):
    return sum(p.numel() for p in layer.parameters())


def linear_layer(n_in, n_out, bias):
    return torch.nn.Linear(n_in, n_out, bias=bias, device="meta")


def dense_params(n_in, n_out, bias=True):
    return count_module(linear_layer(n_in, n_out, bias))
