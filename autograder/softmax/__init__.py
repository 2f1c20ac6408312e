"""Hidden tests of the softmax assignment: softmax, log-softmax, cross-entropy, their gradients."""

# Every built-in softmax, log-softmax or softmin of torch, as functions, methods and modules.
SOFTMAX_BUILTINS = [
    "torch.softmax",
    "torch.log_softmax",
    "torch.Tensor.softmax",
    "torch.Tensor.log_softmax",
    "torch.nn.functional.softmax",
    "torch.nn.functional.log_softmax",
    "torch.nn.functional.softmin",
    "torch.nn.functional.gumbel_softmax",
    "torch.nn.Softmax",
    "torch.nn.LogSoftmax",
    "torch.nn.Softmin",
    "torch.nn.Softmax2d",
    "torch.special.softmax",
    "torch.special.log_softmax",
    "torch.sparse.softmax",
    "torch.sparse.log_softmax",
    "torch.distributions",
]

# What each graded name may use (see `autograder.delegation`).
RULES = {
    "softmax": "numpy",
    "log_softmax": "numpy",
    "cross_entropy": "numpy",
    "softmax_jacobian": "numpy",
    "softmax_loss": "numpy",
    "softmax_torch": ("torch", SOFTMAX_BUILTINS),
}
