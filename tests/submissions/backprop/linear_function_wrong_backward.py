"""LinearFunction's backward returns the weight gradient in nn.Linear's (M, D) layout, grad_out.T @ x."""

import torch

FAILS = {
    "test_LinearFunction": ["hand_written_backward", "passes_gradcheck"],
}


class LinearFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, w, b):
        ctx.save_for_backward(x, w)
        return x @ w + b

    @staticmethod
    def backward(ctx, grad_out):
        x, w = ctx.saved_tensors
        return grad_out @ w.T, grad_out.T @ x, grad_out.sum(0)
