"""receptive_field adds up kernel_size - 1 over the layers as if every stride were 1."""

FAILS = {"test_receptive_field": ["conv_pool_blocks", "strided_stacks"]}


def receptive_field(layers):
    return 1 + sum(kernel_size - 1 for kernel_size, _ in layers)
