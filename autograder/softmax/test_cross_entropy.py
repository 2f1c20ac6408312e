"""Hidden tests for `cross_entropy`, against `F.cross_entropy`."""

import pytest

from autograder.checks import ONLY_WITH_RIGHT_VALUES
from autograder.softmax.oracle import (
    TRIALS,
    as_scalar,
    batch_shape,
    close,
    labels,
    logits,
    torch_cross_entropy,
    unchanged,
)


@pytest.mark.points(0.25)
@pytest.mark.skill("losses-and-probabilities")
def test_matches_torch_per_example(student, rng):
    """For one example (N = 1) the loss is minus the log-softmax of its true class."""
    for _ in range(2 * TRIALS):
        c = int(rng.integers(2, 20))
        x, y = logits(rng, (1, c)), labels(rng, 1, c)
        got = as_scalar(student.cross_entropy(x, y), "cross_entropy")
        assert close(got, torch_cross_entropy(x, y)), "Wrong loss for a single example."


@pytest.mark.points(1.5)
@pytest.mark.skill("losses-and-probabilities")
def test_averages_over_the_batch(student, rng):
    """For a batch of N > 1 examples the loss is the mean over the examples, not their sum."""
    for _ in range(TRIALS):
        n, c = batch_shape(rng, n_low=3, n_high=30)
        x, y = logits(rng, (n, c)), labels(rng, n, c)
        got = as_scalar(student.cross_entropy(x, y), "cross_entropy")
        assert close(got, torch_cross_entropy(x, y)), "Wrong loss for a batch of several examples."


@pytest.mark.points(0.25)
@pytest.mark.skill("losses-and-probabilities")
def test_leaves_input_unchanged(student, rng, source):
    """cross_entropy modifies neither the logits nor the labels."""
    source.unchanged("cross_entropy", 0, 1)
    for _ in range(TRIALS):
        n, c = batch_shape(rng)
        x, y = logits(rng, (n, c)), labels(rng, n, c)
        got = as_scalar(student.cross_entropy(x, y), "cross_entropy")
        assert close(got, torch_cross_entropy(x, y)), ONLY_WITH_RIGHT_VALUES
        assert unchanged(student, "cross_entropy", x, y), "The logits or the labels were modified."
