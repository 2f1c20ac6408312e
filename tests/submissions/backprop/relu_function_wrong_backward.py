"""ReLUFunction's backward returns the local derivative 1[x > 0] and forgets to multiply by grad_out."""

import torch

FAILS = {
    "test_ReLUFunction": ["hand_written_backward", "passes_gradcheck", "zero_gradient_at_zero"],
}


class ReLUFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return torch.clamp(x, min=0)

    @staticmethod
    def backward(ctx, grad_out):
        (x,) = ctx.saved_tensors
        return (x > 0).to(grad_out.dtype)
