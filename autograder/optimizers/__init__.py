"""Hidden tests of the optimizers assignment: update rules, mini-batches and a from-scratch Adam."""

# torch's own Adam in every form: the optimizer classes, their modules and the functional updates.
TORCH_ADAM = [
    "torch.optim.Adam",
    "torch.optim.AdamW",
    "torch.optim.adam",
    "torch.optim.adamw",
    "torch.optim.Adamax",
    "torch.optim.adamax",
    "torch.optim.NAdam",
    "torch.optim.nadam",
    "torch.optim.RAdam",
    "torch.optim.radam",
    "torch.optim.SparseAdam",
    "torch.optim.sparse_adam",
    "torch.optim._functional",
    "torch.optim._multi_tensor",
]

# What each graded name may use (see `autograder.delegation`): the update rules are numpy, not torch.optim.
RULES = {
    "sgd": "numpy",
    "sgd_momentum": "numpy",
    "rmsprop": "numpy",
    "adam": "numpy",
    "minibatches": "numpy",
    "fit_linear_regression": "numpy",
    "ScratchAdam": ("torch", TORCH_ADAM),
}
