"""mlp_params imports torch by a name it computes (importlib) and counts a stack of nn.Linear."""

import importlib

FAILS = {
    "test_mlp_params": ["returns_an_int", "with_biases", "without_biases"],
}


def mlp_params(layer_sizes, bias=True):
    lib = importlib.import_module("tor" + "ch")
    layers = [lib.nn.Linear(a, b, bias=bias, device="meta") for a, b in zip(layer_sizes, layer_sizes[1:])]
    return sum(p.numel() for layer in layers for p in layer.parameters())
