"""two_layer_net regularizes with reg * sum(W**2) (and 2 * reg * W) instead of 0.5 * reg * sum(W**2)."""

import numpy as np

FAILS = {
    "test_two_layer_net_loss": ["regularization_in_the_loss"],
    "test_two_layer_net_gradients": ["regularization_in_the_gradients"],
}


def two_layer_net(X, params, y=None, reg=0.0):
    hidden, cache1 = affine_forward(X, params["W1"], params["b1"])
    hidden, cache_relu = relu_forward(hidden)
    scores, cache2 = affine_forward(hidden, params["W2"], params["b2"])
    if y is None:
        return scores
    n = X.shape[0]
    shifted = scores - scores.max(axis=1, keepdims=True)
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    loss = -np.log(probs[np.arange(n), y]).mean()
    loss += reg * (np.sum(params["W1"] ** 2) + np.sum(params["W2"] ** 2))
    dscores = probs.copy()
    dscores[np.arange(n), y] -= 1
    dscores /= n
    dhidden, dW2, db2 = affine_backward(dscores, cache2)
    dX, dW1, db1 = affine_backward(relu_backward(dhidden, cache_relu), cache1)
    return loss, {"W1": dW1 + 2 * reg * params["W1"], "b1": db1, "W2": dW2 + 2 * reg * params["W2"], "b2": db2}
