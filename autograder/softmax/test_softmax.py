"""Hidden tests for `softmax`, against `torch.softmax`."""

import pytest

from autograder.checks import ONLY_WITH_RIGHT_VALUES, as_array
from autograder.softmax.oracle import (
    TRIALS,
    batch_shape,
    close,
    distinct_dims,
    logits,
    torch_softmax,
    unchanged,
)


@pytest.mark.points(0.5)
@pytest.mark.skill("losses-and-probabilities")
def test_matches_torch_on_rows(student, rng):
    """For an (N, C) array and the default axis, each row becomes the softmax of that row."""
    for _ in range(TRIALS):
        z = logits(rng, batch_shape(rng))
        assert close(as_array(student.softmax(z), "softmax", z.shape), torch_softmax(z)), (
            "Differs from torch.softmax on a batch of rows."
        )


@pytest.mark.points(0.75)
@pytest.mark.skill("losses-and-probabilities")
def test_along_any_axis(student, rng):
    """Arrays of 1 to 4 dimensions, normalized along every axis given as positive or negative."""
    for ndim in range(1, 5):
        z = logits(rng, distinct_dims(rng, ndim))
        assert close(as_array(student.softmax(z), "softmax", z.shape), torch_softmax(z, -1)), (
            "Differs from torch.softmax with the default axis."
        )
        for axis in range(-ndim, ndim):
            got = as_array(student.softmax(z, axis=axis), "softmax", z.shape)
            assert close(got, torch_softmax(z, axis)), "Differs from torch.softmax along an axis given."


@pytest.mark.points(0.25)
@pytest.mark.skill("losses-and-probabilities")
def test_leaves_input_unchanged(student, rng, source):
    """softmax does not modify the array it is given."""
    source.unchanged("softmax", 0)
    for _ in range(TRIALS):
        z = logits(rng, batch_shape(rng))
        got = as_array(student.softmax(z), "softmax", z.shape)
        assert close(got, torch_softmax(z)), ONLY_WITH_RIGHT_VALUES
        assert unchanged(student, "softmax", z), "The input array was modified."
