"""affine_backward returns dx as the (N, D) matrix instead of in the shape of x."""

FAILS = {"test_affine_backward": ["dx_has_the_shape_of_x"]}


def affine_backward(dout, cache):
    x, w, b = cache
    x_rows = x.reshape(x.shape[0], -1)
    return dout @ w.T, x_rows.T @ dout, dout.sum(axis=0)
