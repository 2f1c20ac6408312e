"""Hidden tests for `log_softmax`, against `F.log_softmax`."""

import pytest

from autograder.checks import ONLY_WITH_RIGHT_VALUES, as_array
from autograder.softmax.oracle import (
    TRIALS,
    batch_shape,
    close,
    distinct_dims,
    logits,
    torch_log_softmax,
    unchanged,
)


@pytest.mark.points(1)
@pytest.mark.skill("losses-and-probabilities")
def test_matches_torch_along_any_axis(student, rng):
    """Arrays of 1 to 4 dimensions, normalized along the default axis and every axis given."""
    for ndim in range(1, 5):
        z = logits(rng, distinct_dims(rng, ndim))
        got = as_array(student.log_softmax(z), "log_softmax", z.shape)
        assert close(got, torch_log_softmax(z, -1)), "Differs from F.log_softmax with the default axis."
        for axis in range(-ndim, ndim):
            got = as_array(student.log_softmax(z, axis=axis), "log_softmax", z.shape)
            assert close(got, torch_log_softmax(z, axis)), "Differs from F.log_softmax along an axis given."


@pytest.mark.points(0.25)
@pytest.mark.skill("losses-and-probabilities")
def test_leaves_input_unchanged(student, rng, source):
    """log_softmax does not modify the array it is given."""
    source.unchanged("log_softmax", 0)
    for _ in range(TRIALS):
        z = logits(rng, batch_shape(rng))
        got = as_array(student.log_softmax(z), "log_softmax", z.shape)
        assert close(got, torch_log_softmax(z)), ONLY_WITH_RIGHT_VALUES
        assert unchanged(student, "log_softmax", z), "The input array was modified."
