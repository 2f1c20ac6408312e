"""affine_backward multiplies in the wrong order: dw = dout.T @ x has the shape of w transposed."""

FAILS = {"test_affine_backward": ["dw_matches_torch"]}


def affine_backward(dout, cache):
    x, w, b = cache
    x_rows = x.reshape(x.shape[0], -1)
    dx = (dout @ w.T).reshape(x.shape)
    dw = dout.T @ x_rows
    db = dout.sum(axis=0)
    return dx, dw, db
