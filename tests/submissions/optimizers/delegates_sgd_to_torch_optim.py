"""sgd builds a torch.optim.SGD for each call and lets it take the step."""

import torch

FAILS = {
    "test_sgd": ["default_learning_rate", "matches_torch_sgd"],
}


def sgd(w, dw, config=None):
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-2)
    param = torch.tensor(w, requires_grad=True)
    param.grad = torch.tensor(dw)
    torch.optim.SGD([param], lr=config["learning_rate"]).step()
    return param.detach().numpy(), config
