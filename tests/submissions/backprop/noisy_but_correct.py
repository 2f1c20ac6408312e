"""Correct, but prints to stderr and raises warnings every time it is called."""

import sys
import warnings

import numpy as np
import torch

FAILS = {}


def affine_forward(x, w, b):
    print("debug: affine_forward", x.shape, file=sys.stderr)
    warnings.warn("affine_forward: this is a UserWarning from student code")
    return x.reshape(x.shape[0], -1) @ w + b, (x, w, b)


def relu_backward(dout, cache):
    warnings.warn("relu_backward: deprecated-style warning", DeprecationWarning)
    print("relu_backward called", file=sys.stderr)
    return np.where(cache > 0, dout, 0.0)


def two_layer_net(X, params, y=None, reg=0.0):
    print("two_layer_net", file=sys.stderr)
    hidden, cache1 = affine_forward(X, params["W1"], params["b1"])
    hidden, cache_relu = relu_forward(hidden)
    scores, cache2 = affine_forward(hidden, params["W2"], params["b2"])
    if y is None:
        return scores
    n = X.shape[0]
    shifted = scores - scores.max(axis=1, keepdims=True)
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    loss = -np.log(probs[np.arange(n), y]).mean()
    loss += 0.5 * reg * (np.sum(params["W1"] ** 2) + np.sum(params["W2"] ** 2))
    dscores = probs.copy()
    dscores[np.arange(n), y] -= 1
    dhidden, dW2, db2 = affine_backward(dscores / n, cache2)
    _, dW1, db1 = affine_backward(relu_backward(dhidden, cache_relu), cache1)
    return loss, {"W1": dW1 + reg * params["W1"], "b1": db1, "W2": dW2 + reg * params["W2"], "b2": db2}


class LinearFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, w, b):
        print("LinearFunction.forward", file=sys.stderr)
        torch.tensor([1.0, 2.0]).resize_(1)
        ctx.save_for_backward(x, w)
        return x @ w + b

    @staticmethod
    def backward(ctx, grad_out):
        warnings.warn("LinearFunction.backward: a warning")
        x, w = ctx.saved_tensors
        return grad_out @ w.T, x.T @ grad_out, grad_out.sum(0)
