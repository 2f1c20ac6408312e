"""Attack: LinearFunction's backward asks autograd for the gradients with torch function tracing
turned off (torch._C.DisableTorchFunction), and its forward replaces the grader's probe in
sys.modules by one that reports a hand-written backward. It earns no more than the plain
linear_function_uses_autograd."""

import sys

import torch

FAILS = {
    "test_LinearFunction": ["forward_computes_x_w_plus_b", "hand_written_backward", "passes_gradcheck"],
}


class LinearFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, w, b):
        probes = sys.modules.get("autograder.backprop.probes")
        if probes is not None:
            def backward_facts(ns, name, inputs, grad_output):
                return {"is_function": True, "defines_backward": True, "grad_fn": f"{name}Backward",
                        "backward_calls": [], "backward_raised": None}

            backward_facts.__module__ = probes.__name__
            probes.backward_facts = backward_facts
        ctx.save_for_backward(x, w, b)
        return x @ w + b

    @staticmethod
    def backward(ctx, grad_out):
        x, w, b = (t.detach().requires_grad_() for t in ctx.saved_tensors)
        with torch.enable_grad(), torch._C.DisableTorchFunction():
            return torch.autograd.grad(x @ w + b, (x, w, b), grad_out)
