"""Attack on softmax_torch_calls_builtin: the same torch.softmax, called with torch function tracing
turned off (torch._C.DisableTorchFunction), and, each time it runs, the grader's tracing probe
replaced in sys.modules by one that reports no calls. It earns no more than the plain code."""

import sys

import torch

FAILS = {
    "test_softmax_torch": [
        "calls_no_builtin_softmax", "leaves_input_unchanged", "matches_torch_along_any_dim",
    ],
    "test_softmax_torch_gradient": ["matches_torch_gradient"],
    "test_softmax_torch_stability": ["large_logits"],
}


def softmax_torch(z, dim=-1):
    probes = sys.modules.get("autograder.softmax.probes")
    if probes is not None:
        def torch_calls_of_softmax_torch(ns, z, dim):
            return {"raised": None, "calls": []}

        torch_calls_of_softmax_torch.__module__ = probes.__name__
        probes.torch_calls_of_softmax_torch = torch_calls_of_softmax_torch
    with torch._C.DisableTorchFunction():
        return torch.softmax(z, dim)
