"""sgd_momentum lets torch.optim.SGD take each step, through a helper in another cell that carries
the optimizer's state in the config as numpy arrays."""

import numpy as np
import torch

FAILS = {
    "test_sgd_momentum": [
        "default_hyperparameters", "first_step_uses_current_gradient", "keeps_velocity_in_config",
        "matches_torch_sgd_momentum", "moves_against_the_gradient",
    ],
}


def torch_step(optimizer_class, w, dw, state, **hyperparameters):
    param = torch.tensor(w, requires_grad=True)
    optimizer = optimizer_class([param], **hyperparameters)
    if state:
        optimizer.state[param] = {k: torch.tensor(v) if isinstance(v, np.ndarray) else v for k, v in state.items()}
    param.grad = torch.tensor(dw)
    optimizer.step()
    new_state = {k: v.detach().numpy().copy() if torch.is_tensor(v) else v
                 for k, v in optimizer.state[param].items()}
    return param.detach().numpy(), new_state


def sgd_momentum(w, dw, config=None):
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    next_w, config["state"] = torch_step(torch.optim.SGD, w, dw, config.get("state"),
                                         lr=config["learning_rate"], momentum=config["momentum"])
    return next_w, config
