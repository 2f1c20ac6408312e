"""Attack on scratch_adam_wraps_torch_adam: the same subclass of torch.optim.Adam, which on
construction replaces the grader's probe in sys.modules by one that reports a plain Optimizer and
no call of torch's Adam update. It earns no more than the plain code."""

import sys

import torch

FAILS = {
    "test_ScratchAdam": [
        "default_hyperparameters", "matches_torch_adam", "parameters_without_gradients",
        "several_param_groups", "weight_decay", "written_from_scratch",
    ],
}


class ScratchAdam(torch.optim.Adam):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        probes = sys.modules.get("autograder.optimizers.probes")
        if probes is not None and not hasattr(probes, "_real_ScratchAdam"):
            real = probes._real_ScratchAdam = probes.ScratchAdam

            def forged(ns, *args, **kwargs):
                report = real(ns, *args, **kwargs)
                return {**report, "mro": ["ScratchAdam", "torch.optim.optimizer.Optimizer", "builtins.object"],
                        "torch_adam_calls": 0}

            forged.__name__ = "ScratchAdam"
            forged.__module__ = probes.__name__
            probes.ScratchAdam = forged
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay)
