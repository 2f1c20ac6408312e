"""Correct, but prints to stderr and raises warnings every time it is called."""

import sys
import warnings

FAILS = {}


def dense_params(n_in, n_out, bias=True):
    print("debug: counting a dense layer", file=sys.stderr)
    warnings.warn("dense_params: this is a UserWarning from student code")
    return n_in * n_out + (n_out if bias else 0)


def count_parameters(model, trainable_only=True):
    import torch

    torch.tensor([1.0, 2.0]).resize_(1)
    warnings.warn("count_parameters: deprecated-style warning", DeprecationWarning)
    print("counting", file=sys.stderr)
    return sum(p.numel() for p in model.parameters() if p.requires_grad or not trainable_only)
