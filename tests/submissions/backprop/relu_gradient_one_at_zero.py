"""relu_backward passes the gradient where x >= 0, so the gradient at exactly 0 is dout, not 0."""

FAILS = {
    "test_relu_backward": ["leaves_dout_unchanged", "zero_gradient_at_zero"],
}


def relu_backward(dout, cache):
    x = cache
    return dout * (x >= 0)
