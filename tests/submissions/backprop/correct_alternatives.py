"""Correct in other ways: einsum, a dict or the output as cache, boolean masks, a numerical gradient
that never touches x, a network built from the layer functions, torch.addmm with tensors kept on ctx,
and a ReLUFunction in the setup_context style that saves a mask."""

import numpy as np
import torch

FAILS = {}


def numerical_gradient(f, x, h=1e-5):
    grad = np.empty(x.size)
    for i in range(x.size):
        step = np.zeros(x.size)
        step[i] = h
        step = step.reshape(x.shape)
        grad[i] = (f(x + step) - f(x - step)) / (2 * h)
    return grad.reshape(x.shape)


def affine_forward(x, w, b):
    rows = x.reshape(len(x), np.prod(x.shape[1:], dtype=int))
    out = np.einsum("nd,dm->nm", rows, w) + b
    return out, {"x_shape": x.shape, "rows": rows, "w": w}


def affine_backward(dout, cache):
    dx = np.einsum("nm,dm->nd", dout, cache["w"]).reshape(cache["x_shape"])
    dw = np.einsum("nd,nm->dm", cache["rows"], dout)
    db = np.einsum("nm->m", dout)
    return dx, dw, db


def relu_forward(x):
    out = x.copy()
    out[out < 0] = 0
    return out, out


def relu_backward(dout, cache):
    dx = dout.copy()
    dx[cache <= 0] = 0
    return dx


def two_layer_net(X, params, y=None, reg=0.0):
    a1, cache1 = affine_forward(X, params["W1"], params["b1"])
    h1, cache_relu = relu_forward(a1)
    scores, cache2 = affine_forward(h1, params["W2"], params["b2"])
    if y is None:
        return scores
    n = len(y)
    log_norm = scores.max(axis=1) + np.log(np.exp(scores - scores.max(axis=1, keepdims=True)).sum(axis=1))
    loss = np.mean(log_norm - scores[np.arange(n), y])
    loss += 0.5 * reg * sum(np.sum(params[k] ** 2) for k in ("W1", "W2"))
    dscores = np.exp(scores - log_norm[:, None])
    dscores[np.arange(n), y] -= 1
    dh1, dW2, db2 = affine_backward(dscores / n, cache2)
    _, dW1, db1 = affine_backward(relu_backward(dh1, cache_relu), cache1)
    return loss, {"W1": dW1 + reg * params["W1"], "b1": db1, "W2": dW2 + reg * params["W2"], "b2": db2}


class LinearFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, w, b):
        ctx.x, ctx.w = x, w
        return torch.addmm(b, x, w)

    @staticmethod
    def backward(ctx, grad_out):
        return grad_out.mm(ctx.w.t()), ctx.x.t().mm(grad_out), grad_out.sum(dim=0)


class ReLUFunction(torch.autograd.Function):
    @staticmethod
    def forward(x):
        return torch.where(x > 0, x, torch.zeros_like(x))

    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(inputs[0] > 0)

    @staticmethod
    def backward(ctx, grad_out):
        (positive,) = ctx.saved_tensors
        return grad_out * positive
