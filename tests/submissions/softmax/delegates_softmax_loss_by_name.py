"""softmax_loss imports torch by a computed name and takes the loss and dx from autograd."""

import importlib

FAILS = {
    "test_softmax_loss": [
        "gradient_of_the_batch_mean", "gradient_single_example", "leaves_input_unchanged",
        "loss_is_the_mean", "loss_per_example",
    ],
    "test_softmax_loss_stability": ["finite_when_true_class_far_below", "large_logits"],
}


def softmax_loss(x, y):
    lib = importlib.import_module("tor" + "ch")
    scores = lib.tensor(x, requires_grad=True)
    loss = lib.nn.functional.cross_entropy(scores, lib.as_tensor(y))
    loss.backward()
    return float(loss), scores.grad.numpy()
