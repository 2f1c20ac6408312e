"""relu_backward zeroes entries of dout in place and returns it: the caller's upstream gradient changes."""

FAILS = {"test_relu_backward": ["leaves_dout_unchanged"]}


def relu_backward(dout, cache):
    x = cache
    dout[x <= 0] = 0
    return dout
