"""Correct, but prints to stderr and raises warnings every time it is called."""

import sys
import warnings

import numpy as np
import torch

FAILS = {}


def sgd(w, dw, config=None):
    print("debug: sgd step", file=sys.stderr)
    warnings.warn("sgd: this is a UserWarning from student code")
    config = config or {}
    config.setdefault("learning_rate", 1e-2)
    return w - config["learning_rate"] * dw, config


def adam(w, dw, config=None):
    warnings.warn("adam: deprecated-style warning", DeprecationWarning)
    print("adam called", file=sys.stderr)
    config = config or {}
    for key, value in {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}.items():
        config.setdefault(key, value)
    t = config.get("t", 0) + 1
    m = config["beta1"] * config.get("m", np.zeros_like(w)) + (1 - config["beta1"]) * dw
    v = config["beta2"] * config.get("v", np.zeros_like(w)) + (1 - config["beta2"]) * dw**2
    config.update(m=m, v=v, t=t)
    m_hat, v_hat = m / (1 - config["beta1"] ** t), v / (1 - config["beta2"] ** t)
    return w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"]), config


def minibatches(n, batch_size, rng=None):
    print(f"minibatches of {n}", file=sys.stderr)
    order = np.arange(n) if rng is None else rng.permutation(n)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]


class ScratchAdam(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        warnings.warn("ScratchAdam: constructing")
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay))

    @torch.no_grad()
    def step(self, closure=None):
        print("step", file=sys.stderr)
        warnings.warn("ScratchAdam.step: a UserWarning", UserWarning)
        torch.tensor([1.0, 2.0]).resize_(1)
        for group in self.param_groups:
            b1, b2 = group["betas"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad + group["weight_decay"] * p
                s = self.state[p]
                s["t"] = s.get("t", 0) + 1
                s["m"] = b1 * s.get("m", torch.zeros_like(p)) + (1 - b1) * g
                s["v"] = b2 * s.get("v", torch.zeros_like(p)) + (1 - b2) * g * g
                m_hat, v_hat = s["m"] / (1 - b1 ** s["t"]), s["v"] / (1 - b2 ** s["t"])
                p -= group["lr"] * m_hat / (v_hat.sqrt() + group["eps"])
        return None
