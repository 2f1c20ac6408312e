"""Hidden tests for `relu_forward`, against torch.relu."""

import numpy as np
import pytest

from autograder.backprop import probes
from autograder.backprop.oracle import TRIALS, close, forward_output, relu_torch, with_exact_zeros
from autograder.checks import ONLY_WITH_RIGHT_VALUES


def _inputs(rng):
    shape = tuple(int(v) for v in rng.integers(2, 6, size=int(rng.integers(2, 4))))
    return with_exact_zeros(rng, shape)


@pytest.mark.points(0.75)
@pytest.mark.skill("backpropagation")
def test_matches_torch(student, rng):
    """Keeps positive entries and sets the others to 0, for inputs of any shape."""
    for _ in range(TRIALS):
        x = _inputs(rng)
        want = relu_torch(x, np.ones_like(x))[0]
        got = forward_output(student, "relu", [x], x.shape)
        assert close(got, want), "The output differs from torch.relu."


@pytest.mark.points(0.25)
@pytest.mark.skill("backpropagation")
def test_leaves_x_unchanged(student, rng, source):
    """Returns a new array and leaves its input x as it was."""
    source.unchanged("relu_forward", 0)
    for _ in range(TRIALS):
        x = _inputs(rng)
        want = relu_torch(x, np.ones_like(x))[0]
        assert close(forward_output(student, "relu", [x], x.shape), want), ONLY_WITH_RIGHT_VALUES
        after = student.probe(probes.layer_forward, "relu", [x.copy()])["inputs_after"][0]
        assert np.array_equal(after, x), "x was modified."
