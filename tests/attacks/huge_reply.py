"""dense_params answers with hundreds of megabytes."""

import numpy as np


def dense_params(n_in, n_out, bias=True):
    return np.ones(1 << 26)
