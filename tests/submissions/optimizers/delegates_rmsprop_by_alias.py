"""rmsprop lets torch.optim.RMSprop take each step, with torch.optim imported under another name."""

import numpy as np
import torch
from torch import optim as O

FAILS = {
    "test_rmsprop": [
        "default_hyperparameters", "epsilon_outside_square_root", "keeps_cache_in_config",
        "matches_torch_rmsprop",
    ],
}


def rmsprop(w, dw, config=None):
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("decay_rate", 0.99)
    config.setdefault("epsilon", 1e-8)
    param = torch.tensor(w, requires_grad=True)
    optimizer = O.RMSprop([param], lr=config["learning_rate"], alpha=config["decay_rate"], eps=config["epsilon"])
    if "square_avg" in config:
        optimizer.state[param] = {"step": torch.tensor(float(config["step"])),
                                  "square_avg": torch.tensor(config["square_avg"])}
    param.grad = torch.tensor(dw)
    optimizer.step()
    config["step"] = float(optimizer.state[param]["step"])
    config["square_avg"] = np.array(optimizer.state[param]["square_avg"])
    return param.detach().numpy(), config
