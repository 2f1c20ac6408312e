"""Hidden tests for `softmax_loss`: `F.cross_entropy`, its autograd gradient and finite differences."""

import pytest

from autograder.checks import ONLY_WITH_RIGHT_VALUES
from autograder.softmax.oracle import (
    TRIALS,
    as_loss_and_gradient,
    batch_shape,
    close,
    finite_difference_cross_entropy_grad,
    labels,
    logits,
    torch_cross_entropy,
    torch_cross_entropy_grad,
    unchanged,
)


def _one_example(rng):
    c = int(rng.integers(2, 20))
    return logits(rng, (1, c)), labels(rng, 1, c)


def _batch(rng):
    n, c = batch_shape(rng, n_low=3)
    return logits(rng, (n, c)), labels(rng, n, c)


@pytest.mark.points(0.25)
@pytest.mark.skill("losses-and-probabilities")
def test_loss_per_example(student, rng):
    """For one example (N = 1) the loss is minus the log-softmax of its true class."""
    for _ in range(TRIALS):
        x, y = _one_example(rng)
        loss, _ = as_loss_and_gradient(student.softmax_loss(x, y), x.shape)
        assert close(loss, torch_cross_entropy(x, y)), "Wrong loss for a single example."


@pytest.mark.points(0.5)
@pytest.mark.skill("losses-and-probabilities")
def test_loss_is_the_mean(student, rng):
    """For a batch of N > 1 examples the loss is the mean over the examples, not their sum."""
    for _ in range(TRIALS):
        x, y = _batch(rng)
        loss, _ = as_loss_and_gradient(student.softmax_loss(x, y), x.shape)
        assert close(loss, torch_cross_entropy(x, y)), "Wrong loss for a batch of several examples."


@pytest.mark.points(0.5)
@pytest.mark.skill("backpropagation")
def test_gradient_single_example(student, rng):
    """For one example dx is the gradient of the loss with respect to the scores, as autograd gives it."""
    for _ in range(TRIALS):
        x, y = _one_example(rng)
        _, dx = as_loss_and_gradient(student.softmax_loss(x, y), x.shape)
        assert close(dx, torch_cross_entropy_grad(x, y)), "Wrong dx for a single example."


@pytest.mark.points(2)
@pytest.mark.skill("backpropagation")
def test_gradient_of_the_batch_mean(student, rng):
    """For a batch, dx is the gradient of the mean loss (checked by finite differences): it shrinks with N."""
    for _ in range(TRIALS):
        x, y = _batch(rng)
        _, dx = as_loss_and_gradient(student.softmax_loss(x, y), x.shape)
        # Centered differences with h = 1e-5 are off by about 1e-10 here, well inside atol = 1e-9;
        # a gradient not divided by N is off by a factor N >= 3.
        assert close(dx, finite_difference_cross_entropy_grad(x, y)), (
            "Wrong dx for a batch of several examples."
        )


@pytest.mark.points(0.25)
@pytest.mark.skill("backpropagation")
def test_leaves_input_unchanged(student, rng, source):
    """softmax_loss modifies neither the scores nor the labels."""
    source.unchanged("softmax_loss", 0, 1)
    for _ in range(TRIALS):
        x, y = _batch(rng)
        loss, dx = as_loss_and_gradient(student.softmax_loss(x, y), x.shape)
        right = close(loss, torch_cross_entropy(x, y)) and close(dx, torch_cross_entropy_grad(x, y))
        assert right, ONLY_WITH_RIGHT_VALUES
        assert unchanged(student, "softmax_loss", x, y), "The scores or the labels were modified."
