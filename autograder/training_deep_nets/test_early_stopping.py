"""Hidden tests for `early_stopping`, against a reference of Keras's `EarlyStopping` rule on loss curves
built so that each situation the rule decides occurs (losses are multiples of 1/64, so that every
comparison is exact)."""

import pytest

from autograder.student import StudentError
from autograder.training_deep_nets.oracle import (
    TRIALS,
    as_int,
    keras_early_stopping,
    min_delta_sequence,
    rule_sequence,
    stopping_sequence,
    ties_sequence,
)


def _epochs(student, losses, patience, min_delta, pass_default=False):
    """The student's (best_epoch, stop_epoch) as ints (min_delta left to its default if asked)."""
    args = (losses, patience) if pass_default else (losses, patience, min_delta)
    result = student.early_stopping(*args)
    if not (isinstance(result, (tuple, list)) and len(result) == 2):
        raise StudentError("`early_stopping` should return a pair (best_epoch, stop_epoch).")
    return as_int(result[0], "early_stopping"), as_int(result[1], "early_stopping")


@pytest.mark.points(2)
@pytest.mark.skill("training-deep-nets")
def test_matches_the_rule(student, rng):
    """Curves with min_delta > 0 that improve, tie, improve by less than min_delta, rise and stop."""
    for _ in range(TRIALS + 2):
        losses, patience, min_delta = rule_sequence(rng)
        assert _epochs(student, losses, patience, min_delta) == keras_early_stopping(
            losses, patience, min_delta
        )


@pytest.mark.points(0.5)
@pytest.mark.skill("training-deep-nets")
def test_stops_patience_epochs_after_the_last_improvement(student, rng):
    """Curves without ties that stop: stop_epoch comes exactly patience epochs after the last improvement."""
    for trial in range(TRIALS + 1):
        losses, patience, min_delta = stopping_sequence(rng)
        got = _epochs(student, losses, patience, min_delta, pass_default=trial % 2 == 0)
        assert got == keras_early_stopping(losses, patience, min_delta)


@pytest.mark.points(0.5)
@pytest.mark.skill("training-deep-nets")
def test_equal_loss_is_not_an_improvement(student, rng):
    """With min_delta = 0, a loss equal to the best so far does not count as an improvement."""
    for trial in range(TRIALS + 1):
        losses, patience, min_delta = ties_sequence(rng)
        got = _epochs(student, losses, patience, min_delta, pass_default=trial % 2 == 0)
        assert got == keras_early_stopping(losses, patience, min_delta)


@pytest.mark.points(0.5)
@pytest.mark.skill("training-deep-nets")
def test_improvements_within_min_delta_do_not_count(student, rng):
    """With min_delta > 0, a loss below the best by less than min_delta does not count as an improvement."""
    for _ in range(TRIALS + 1):
        losses, patience, min_delta = min_delta_sequence(rng)
        assert _epochs(student, losses, patience, min_delta) == keras_early_stopping(
            losses, patience, min_delta
        )
