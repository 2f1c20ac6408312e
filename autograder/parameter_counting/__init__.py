"""Hidden tests of the parameter_counting assignment: parameters and output sizes of common layers."""

# What each graded name may use (see `autograder.delegation`): the counts are worked out with
# numpy and the standard library, not read off a torch module; `count_parameters` asks a module.
RULES = {
    "dense_params": "numpy",
    "conv2d_params": "numpy",
    "conv_output_size": "numpy",
    "recurrent_params": "numpy",
    "batchnorm_params": "numpy",
    "embedding_params": "numpy",
    "mlp_params": "numpy",
    "count_parameters": ("torch", []),
}
