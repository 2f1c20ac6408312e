"""Reads the state from config but never writes it back, so every call starts from an empty state:
momentum becomes plain SGD, RMSprop's cache and Adam's moments and t restart at every step."""

import numpy as np

FAILS = {
    "test_sgd_momentum": ["matches_torch_sgd_momentum", "default_hyperparameters", "keeps_velocity_in_config"],
    "test_rmsprop": ["matches_torch_rmsprop", "epsilon_outside_square_root", "default_hyperparameters",
                     "keeps_cache_in_config"],
    "test_adam": ["matches_torch_adam", "epsilon_outside_square_root", "default_hyperparameters",
                  "keeps_state_in_config"],
}


def sgd_momentum(w, dw, config=None):
    config = config if config is not None else {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity", np.zeros_like(w))
    v = config["momentum"] * v + dw
    return w - config["learning_rate"] * v, config


def rmsprop(w, dw, config=None):
    config = config if config is not None else {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("decay_rate", 0.99)
    config.setdefault("epsilon", 1e-8)
    cache = config.get("cache", np.zeros_like(w))
    cache = config["decay_rate"] * cache + (1 - config["decay_rate"]) * dw**2
    return w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"]), config


def adam(w, dw, config=None):
    config = config if config is not None else {}
    config.setdefault("learning_rate", 1e-3)
    config.setdefault("beta1", 0.9)
    config.setdefault("beta2", 0.999)
    config.setdefault("epsilon", 1e-8)
    b1, b2 = config["beta1"], config["beta2"]
    t = config.get("t", 0) + 1
    m = b1 * config.get("m", np.zeros_like(w)) + (1 - b1) * dw
    v = b2 * config.get("v", np.zeros_like(w)) + (1 - b2) * dw**2
    m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)
    return w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"]), config
