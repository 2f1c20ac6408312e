"""Hidden tests of the cnn assignment: convolution and max-pooling layers, forward and backward, and
the receptive field of a stack of layers.

`RULES` says, for each graded function, what its code may use to compute its answer: `"numpy"` means
numpy and the Python standard library only (the contract's "the candidate does the work"); handing
the asked computation to PyTorch, scipy or another library earns nothing for that function.
"""

RULES = {
    "conv_forward": "numpy",
    "conv_backward": "numpy",
    "max_pool_forward": "numpy",
    "max_pool_backward": "numpy",
    "receptive_field": "numpy",
}
