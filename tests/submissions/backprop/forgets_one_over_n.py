"""two_layer_net averages the loss over the batch but forgets the 1/N in its gradient."""

import numpy as np

FAILS = {
    "test_two_layer_net_gradients": ["gradients_match_autograd"],
    "test_two_layer_net_training": ["learns_the_spirals"],
}


def two_layer_net(X, params, y=None, reg=0.0):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    hidden_in = X @ W1 + b1
    hidden = np.maximum(hidden_in, 0)
    scores = hidden @ W2 + b2
    if y is None:
        return scores
    n = X.shape[0]
    exp = np.exp(scores - scores.max(axis=1, keepdims=True))
    probs = exp / exp.sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(probs[np.arange(n), y])) + 0.5 * reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
    dscores = probs.copy()
    dscores[np.arange(n), y] -= 1
    dhidden = dscores @ W2.T
    dhidden[hidden_in <= 0] = 0
    grads = {"W1": X.T @ dhidden + reg * W1, "b1": dhidden.sum(axis=0),
             "W2": hidden.T @ dscores + reg * W2, "b2": dscores.sum(axis=0)}
    return loss, grads
