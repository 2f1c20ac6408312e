"""ReLUFunction's backward recomputes the forward pass with autograd on and calls torch.autograd.grad."""

import torch

FAILS = {
    "test_ReLUFunction": [
        "forward_matches_relu", "hand_written_backward", "passes_gradcheck", "zero_gradient_at_zero",
    ],
}


class ReLUFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp(min=0)

    @staticmethod
    def backward(ctx, grad_out):
        (x,) = ctx.saved_tensors
        with torch.enable_grad():
            x = x.detach().requires_grad_()
            out = torch.relu(x)
        return torch.autograd.grad(out, x, grad_out)
