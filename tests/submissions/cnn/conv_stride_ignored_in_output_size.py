"""conv_forward leaves the stride out of the output size and slides the filters one pixel at a time,
as if the stride were always 1."""

import numpy as np

FAILS = {"test_conv_forward": ["stride", "stride_and_padding"]}


def conv_forward(x, w, b, conv_param):
    pad = conv_param["pad"]
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    H_out = H + 2 * pad - HH + 1
    W_out = W + 2 * pad - WW + 1
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    out = np.zeros((N, F, H_out, W_out))
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    out[n, f, i, j] = np.sum(x_pad[n, :, i:i + HH, j:j + WW] * w[f]) + b[f]
    return out, (x, w, b, conv_param)
