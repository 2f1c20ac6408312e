"""conv_forward computes a true convolution, with each filter flipped in both spatial directions,
where F.conv2d (like every deep-learning library) computes a cross-correlation."""

import numpy as np

FAILS = {"test_conv_forward": ["matches_torch", "zero_padding", "stride", "stride_and_padding"]}


def conv_forward(x, w, b, conv_param):
    stride, pad = conv_param["stride"], conv_param["pad"]
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    H_out = 1 + (H + 2 * pad - HH) // stride
    W_out = 1 + (W + 2 * pad - WW) // stride
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    flipped = w[:, :, ::-1, ::-1]
    out = np.zeros((N, F, H_out, W_out))
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    window = x_pad[n, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
                    out[n, f, i, j] = np.sum(window * flipped[f]) + b[f]
    return out, (x, w, b, conv_param)
