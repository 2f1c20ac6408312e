"""Correct in other ways: in-place updates, CS231n's momentum form, torch's Adam arithmetic,
np.split batches, a half mean squared error, and a torch-style ScratchAdam."""

import math

import numpy as np
import torch

FAILS = {}


def sgd(w, dw, config=None):
    config = {} if config is None else config
    w -= config.setdefault("learning_rate", 1e-2) * dw
    return w, config


def sgd_momentum(w, dw, config=None):
    config = config or {}
    mu = config.setdefault("momentum", 0.9)
    lr = config.setdefault("learning_rate", 1e-2)
    v = config.setdefault("velocity", np.zeros_like(w))
    v *= mu
    v -= lr * dw
    w += v
    return w, config


def rmsprop(w, dw, config=None):
    config = dict(config or {})
    rho = config.setdefault("decay_rate", 0.99)
    cache = config.setdefault("cache", np.zeros_like(w))
    cache *= rho
    cache += (1 - rho) * np.square(dw)
    next_w = w - config.get("learning_rate", 1e-2) * dw / (cache ** 0.5 + config.get("epsilon", 1e-8))
    return next_w, config


def adam(w, dw, config=None):
    config = {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, **(config or {})}
    b1, b2 = config["beta1"], config["beta2"]
    state = config.setdefault("state", {"step": 0, "exp_avg": np.zeros_like(w), "exp_avg_sq": np.zeros_like(w)})
    state["step"] += 1
    state["exp_avg"] = state["exp_avg"] + (dw - state["exp_avg"]) * (1 - b1)
    state["exp_avg_sq"] = b2 * state["exp_avg_sq"] + (1 - b2) * dw * dw
    step_size = config["learning_rate"] / (1 - b1 ** state["step"])
    denom = np.sqrt(state["exp_avg_sq"]) / math.sqrt(1 - b2 ** state["step"]) + config["epsilon"]
    return w - step_size * state["exp_avg"] / denom, config


def minibatches(n, batch_size, rng=None):
    idx = np.arange(n)
    if rng is not None:
        rng.shuffle(idx)
    return np.split(idx, np.arange(batch_size, n, batch_size))


def fit_linear_regression(X, y, batch_size, learning_rate, epochs, rng=None):
    w = np.zeros(X.shape[1])
    for _ in range(epochs):
        for batch in minibatches(len(y), batch_size, rng):
            grad = X[batch].T @ (X[batch] @ w - y[batch]) / len(batch)  # of half the mean squared error
            w -= learning_rate * grad
    return w


class ScratchAdam(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        super().__init__(params, {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay})

    def step(self, closure=None):
        loss = closure() if closure is not None else None
        with torch.no_grad():
            for group in self.param_groups:
                lr, (b1, b2), eps, wd = group["lr"], group["betas"], group["eps"], group["weight_decay"]
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    g = p.grad.add(p, alpha=wd) if wd else p.grad
                    st = self.state[p]
                    if len(st) == 0:
                        st["step"] = torch.tensor(0.0)
                        st["exp_avg"] = torch.zeros_like(p)
                        st["exp_avg_sq"] = torch.zeros_like(p)
                    st["step"] += 1
                    step = st["step"].item()
                    st["exp_avg"].lerp_(g, 1 - b1)
                    st["exp_avg_sq"].mul_(b2).addcmul_(g, g, value=1 - b2)
                    denom = (st["exp_avg_sq"].sqrt() / math.sqrt(1 - b2**step)).add_(eps)
                    p.addcdiv_(st["exp_avg"], denom, value=-lr / (1 - b1**step))
        return loss
