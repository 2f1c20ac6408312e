"""Correct, naive: scalar loops over every image, filter, output position and kernel entry, lists as
caches, pooling one window at a time with np.argmax, and the receptive field by walking the size of
the input span layer by layer in plain Python."""

import numpy as np

FAILS = {}


def conv_forward(x, w, b, conv_param):
    stride, pad = conv_param["stride"], conv_param["pad"]
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    H_out = (H + 2 * pad - HH) // stride + 1
    W_out = (W + 2 * pad - WW) // stride + 1
    out = np.zeros((N, F, H_out, W_out))
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    total = b[f]
                    for c in range(C):
                        for di in range(HH):
                            for dj in range(WW):
                                r, s = i * stride + di - pad, j * stride + dj - pad
                                if 0 <= r < H and 0 <= s < W:
                                    total += x[n, c, r, s] * w[f, c, di, dj]
                    out[n, f, i, j] = total
    return out, [x, w, b, stride, pad]


def conv_backward(dout, cache):
    x, w, b, stride, pad = cache
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    dx, dw, db = np.zeros(x.shape), np.zeros(w.shape), np.zeros(b.shape)
    for n in range(N):
        for f in range(F):
            for i in range(dout.shape[2]):
                for j in range(dout.shape[3]):
                    g = dout[n, f, i, j]
                    db[f] += g
                    for c in range(C):
                        for di in range(HH):
                            for dj in range(WW):
                                r, s = i * stride + di - pad, j * stride + dj - pad
                                if 0 <= r < H and 0 <= s < W:
                                    dw[f, c, di, dj] += x[n, c, r, s] * g
                                    dx[n, c, r, s] += w[f, c, di, dj] * g
    return dx, dw, db


def max_pool_forward(x, pool_param):
    ph, pw, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    N, C, H, W = x.shape
    H_out, W_out = (H - ph) // stride + 1, (W - pw) // stride + 1
    out = np.zeros((N, C, H_out, W_out))
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    out[n, c, i, j] = np.max(x[n, c, i * stride:i * stride + ph, j * stride:j * stride + pw])
    return out, [x, ph, pw, stride]


def max_pool_backward(dout, cache):
    x, ph, pw, stride = cache
    dx = np.zeros(x.shape)
    N, C, H_out, W_out = dout.shape
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    window = x[n, c, i * stride:i * stride + ph, j * stride:j * stride + pw]
                    di, dj = np.unravel_index(np.argmax(window), window.shape)
                    dx[n, c, i * stride + di, j * stride + dj] += dout[n, c, i, j]
    return dx


def receptive_field(layers):
    # The span of input pixels under units first..last of the current layer, for the two ends of
    # one unit of the last layer: walk back from one unit, widening the span layer by layer.
    first, last = 0, 0
    for kernel_size, stride in layers[::-1]:
        first, last = first * stride, last * stride + kernel_size - 1
    return last - first + 1
