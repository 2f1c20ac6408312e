"""affine_backward sums the bias gradient over the wrong axis instead of over the batch."""

import numpy as np

FAILS = {"test_affine_backward": ["db_sums_over_the_batch"]}


def affine_backward(dout, cache):
    x, w, b = cache
    dx = np.dot(dout, w.T).reshape(x.shape)
    dw = np.dot(x.reshape(x.shape[0], -1).T, dout)
    db = np.sum(dout, axis=1)
    return dx, dw, db
