"""Starts t at 1 and increments it before use, so the first step is corrected as step 2."""

import numpy as np

FAILS = {"test_adam": ["first_step_is_bias_corrected", "matches_torch_adam", "epsilon_outside_square_root",
                      "default_hyperparameters"]}


def adam(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-3)
    config.setdefault("beta1", 0.9)
    config.setdefault("beta2", 0.999)
    config.setdefault("epsilon", 1e-8)
    beta1, beta2, eps = config["beta1"], config["beta2"], config["epsilon"]
    t = config.get("t", 1) + 1
    config["t"] = t
    m = beta1 * config.get("m", np.zeros_like(w)) + (1 - beta1) * dw
    v = beta2 * config.get("v", np.zeros_like(w)) + (1 - beta2) * dw**2
    config["m"], config["v"] = m, v
    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
    next_w = w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + eps)
    return next_w, config
