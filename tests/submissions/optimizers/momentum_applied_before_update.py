"""Moves the weights with the old velocity and only then adds the current gradient to it, so each
step lags one gradient behind (the first step does not move at all)."""

import numpy as np

FAILS = {"test_sgd_momentum": ["matches_torch_sgd_momentum", "default_hyperparameters",
                               "first_step_uses_current_gradient"]}


def sgd_momentum(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity", np.zeros_like(w))
    next_w = w + v
    config["velocity"] = config["momentum"] * v - config["learning_rate"] * dw
    return next_w, config
