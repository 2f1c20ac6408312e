"""Mixes the two momentum conventions: CS231n's velocity v = mu*v - lr*dw, then torch's w - v, so
every step climbs the gradient."""

import numpy as np

FAILS = {"test_sgd_momentum": ["matches_torch_sgd_momentum", "default_hyperparameters",
                               "moves_against_the_gradient"]}


def sgd_momentum(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity", np.zeros_like(w))
    v = config["momentum"] * v - config["learning_rate"] * dw
    config["velocity"] = v
    return w - v, config
