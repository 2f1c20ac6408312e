"""Counts every parameter, ignoring requires_grad."""

FAILS = {"test_count_parameters": ["skips_frozen_parameters"]}


def count_parameters(model, trainable_only=True):
    return sum(p.numel() for p in model.parameters())
