"""Counts the model's state dict, so batch norm's buffers count as parameters and frozen ones too."""

FAILS = {"test_count_parameters": ["counts_every_parameter", "skips_frozen_parameters",
                                   "counts_frozen_when_asked"]}


def count_parameters(model, trainable_only=True):
    return sum(t.numel() for t in model.state_dict().values())
