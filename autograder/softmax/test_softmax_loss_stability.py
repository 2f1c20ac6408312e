"""Hidden tests that `softmax_loss` is stable, one example at a time."""

import numpy as np
import pytest

from autograder.softmax.oracle import (
    TRIALS,
    as_loss_and_gradient,
    close,
    huge_offset,
    labels,
    logits,
    torch_cross_entropy,
    torch_cross_entropy_grad,
    true_class_far_below,
)


def _check(student, x, y):
    loss, dx = as_loss_and_gradient(student.softmax_loss(x, y), x.shape)
    assert np.isfinite(loss), "The loss is not finite (nan or inf)."
    assert np.all(np.isfinite(dx)), "dx is not finite (nan or inf)."
    assert close(loss, torch_cross_entropy(x, y)), "The loss is finite but inaccurate."
    assert close(dx, torch_cross_entropy_grad(x, y)), "dx is finite but inaccurate."


@pytest.mark.points(0.25)
@pytest.mark.skill("numerical-stability")
def test_large_logits(student, rng):
    """Scores offset by thousands, above and below zero, give the same loss and gradient as without."""
    for trial in range(TRIALS):
        c = int(rng.integers(2, 20))
        _check(student, huge_offset(rng, trial) + logits(rng, (1, c)), labels(rng, 1, c))


@pytest.mark.points(0.25)
@pytest.mark.skill("numerical-stability")
def test_finite_when_true_class_far_below(student, rng):
    """A true-class score thousands below the largest score gives a large but finite loss, as in torch."""
    for _ in range(TRIALS):
        _check(student, *true_class_far_below(rng, int(rng.integers(2, 20))))
