"""Correct, but prints to stdout and stderr and raises warnings every time it is called."""

import sys
import warnings

import numpy as np

FAILS = {}


def conv_forward(x, w, b, conv_param):
    print("conv_forward", x.shape, w.shape, conv_param)
    print("debug: padding the input", file=sys.stderr)
    warnings.warn("conv_forward: this is a UserWarning from student code")
    stride, pad = conv_param["stride"], conv_param["pad"]
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    HH, WW = w.shape[2:]
    H_out = (x_pad.shape[2] - HH) // stride + 1
    W_out = (x_pad.shape[3] - WW) // stride + 1
    out = np.empty((x.shape[0], w.shape[0], H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            window = x_pad[:, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
            out[:, :, i, j] = np.einsum("nchw,fchw->nf", window, w) + b
    return out, (x, w, b, conv_param)


def max_pool_backward(dout, cache):
    warnings.warn("max_pool_backward: deprecated-style warning", DeprecationWarning)
    print("max_pool_backward called", file=sys.stderr)
    x, pool_param = cache
    ph, pw, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    dx = np.zeros_like(x)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            rows, cols = slice(i * stride, i * stride + ph), slice(j * stride, j * stride + pw)
            window = x[:, :, rows, cols]
            mask = window == window.max(axis=(2, 3), keepdims=True)
            dx[:, :, rows, cols] += mask * dout[:, :, i:i + 1, j:j + 1]
    return dx


def receptive_field(layers):
    print("layers:", layers)
    print("receptive_field: computing", file=sys.stderr)
    warnings.warn("receptive_field: a warning")
    size, jump = 1, 1
    for kernel_size, stride in layers:
        size, jump = size + (kernel_size - 1) * jump, jump * stride
    return size
