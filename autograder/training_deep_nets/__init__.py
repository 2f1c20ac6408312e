"""Hidden tests of the training_deep_nets assignment: batch norm, dropout, the logistic loss,
initialisation, early stopping and a residual block.

`RULES` says, per graded definition, what its code may call (the contract's "the candidate does the
work"): "numpy" = numpy and the standard library only; ("torch", [forbidden dotted names]) = tensor
operations allowed except the listed built-ins.
"""

RULES = {
    "batchnorm_forward": "numpy",
    "batchnorm_backward": "numpy",
    "dropout_forward": "numpy",
    "dropout_backward": "numpy",
    "binary_cross_entropy_with_logits": "numpy",
    "init_weights": "numpy",
    "early_stopping": "numpy",
    "ResidualBlock": ("torch", []),
}
