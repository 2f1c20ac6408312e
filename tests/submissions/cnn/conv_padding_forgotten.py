"""conv_forward never pads the input: it slides the filters over x itself, whatever `pad` says."""

import numpy as np

FAILS = {"test_conv_forward": ["zero_padding", "stride_and_padding"]}


def conv_forward(x, w, b, conv_param):
    stride = conv_param["stride"]
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    H_out = 1 + (H - HH) // stride
    W_out = 1 + (W - WW) // stride
    out = np.zeros((N, F, H_out, W_out))
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    window = x[n, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
                    out[n, f, i, j] = np.sum(window * w[f]) + b[f]
    return out, (x, w, b, conv_param)
