"""Hidden tests of the backprop assignment: layers forward and backward, gradient check, Functions."""

# What asks autograd for a gradient: a hand-written backward uses none of it.
AUTOGRAD = [
    "torch.autograd.grad",
    "torch.autograd.backward",
    "torch.autograd.functional",
    "torch.autograd.forward_ad",
    "torch.Tensor.backward",
    "torch.Tensor.grad",
    "torch.func",
    "torch.vmap",
    "torch.enable_grad",
    "torch.set_grad_enabled",
]

# What each graded name may use (see `autograder.delegation`).
RULES = {
    "numerical_gradient": "numpy",
    "affine_forward": "numpy",
    "affine_backward": "numpy",
    "relu_forward": "numpy",
    "relu_backward": "numpy",
    "two_layer_net": "numpy",
    "LinearFunction": ("torch", AUTOGRAD),
    "ReLUFunction": ("torch", AUTOGRAD),
}
