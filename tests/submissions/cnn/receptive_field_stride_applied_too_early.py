"""receptive_field multiplies in each layer's stride before adding that layer's own kernel, so a
layer's stride already scales its own kernel."""

FAILS = {"test_receptive_field": ["one_layer", "conv_pool_blocks", "strided_stacks"]}


def receptive_field(layers):
    size, jump = 1, 1
    for kernel_size, stride in layers:
        jump *= stride
        size += (kernel_size - 1) * jump
    return size
