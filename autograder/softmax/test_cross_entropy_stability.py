"""Hidden tests that `cross_entropy` is stable, one example at a time."""

import numpy as np
import pytest

from autograder.softmax.oracle import (
    TRIALS,
    as_scalar,
    close,
    huge_offset,
    labels,
    logits,
    torch_cross_entropy,
    true_class_far_below,
)


@pytest.mark.points(0.5)
@pytest.mark.skill("numerical-stability")
def test_large_logits(student, rng):
    """Logits offset by thousands, above and below zero, give the same loss as without the offset."""
    for trial in range(TRIALS):
        c = int(rng.integers(2, 20))
        x, y = huge_offset(rng, trial) + logits(rng, (1, c)), labels(rng, 1, c)
        got = as_scalar(student.cross_entropy(x, y), "cross_entropy")
        assert np.isfinite(got), "Not finite (nan or inf) for logits offset by thousands."
        assert close(got, torch_cross_entropy(x, y)), "Finite but inaccurate for logits offset by thousands."


@pytest.mark.points(0.5)
@pytest.mark.skill("numerical-stability")
def test_finite_when_true_class_far_below(student, rng):
    """A true-class logit thousands below the largest logit gives a large but finite loss, as in torch."""
    for _ in range(TRIALS):
        x, y = true_class_far_below(rng, int(rng.integers(2, 20)))
        got = as_scalar(student.cross_entropy(x, y), "cross_entropy")
        assert np.isfinite(got), "Not finite (inf or nan) when the true class is far below the largest logit."
        assert close(got, torch_cross_entropy(x, y)), (
            "Finite but inaccurate when the true class is far below the largest logit."
        )
