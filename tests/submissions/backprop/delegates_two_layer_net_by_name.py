"""two_layer_net imports torch by a computed name and takes the loss and gradients from autograd."""

import importlib

FAILS = {
    "test_two_layer_net_scores": ["scores_match_torch"],
    "test_two_layer_net_loss": ["data_loss_matches_cross_entropy", "regularization_in_the_loss"],
    "test_two_layer_net_gradients": ["gradients_match_autograd", "regularization_in_the_gradients"],
    "test_two_layer_net_training": ["learns_the_spirals"],
}


def two_layer_net(X, params, y=None, reg=0.0):
    lib = importlib.import_module("".join(["to", "rch"]))
    p = {k: lib.tensor(v, requires_grad=True) for k, v in params.items()}
    scores = lib.relu(lib.from_numpy(X) @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"]
    if y is None:
        return scores.detach().numpy()
    loss = lib.nn.functional.cross_entropy(scores, lib.as_tensor(y)) + 0.5 * reg * (
        (p["W1"] ** 2).sum() + (p["W2"] ** 2).sum())
    loss.backward()
    return float(loss), {k: v.grad.numpy() for k, v in p.items()}
