"""Hidden tests for `softmax_jacobian`, against `torch.autograd.functional.jacobian` of `torch.softmax`."""

import numpy as np
import pytest

from autograder.checks import ONLY_WITH_RIGHT_VALUES, as_array
from autograder.softmax.oracle import TRIALS, close, huge_offset, logits, torch_jacobian, unchanged


def _jacobian(student, z):
    return as_array(student.softmax_jacobian(z), "softmax_jacobian", (z.size, z.size))


@pytest.mark.points(1.25)
@pytest.mark.skill("backpropagation")
def test_matches_autograd_jacobian(student, rng):
    """J[i, j] = d p_i / d z_j, with the off-diagonal terms, for vectors of 2 to 12 logits."""
    for _ in range(TRIALS):
        z = logits(rng, (int(rng.integers(2, 13)),))
        assert close(_jacobian(student, z), torch_jacobian(z)), "Differs from the autograd Jacobian."


@pytest.mark.points(0.5)
@pytest.mark.skill("numerical-stability")
def test_large_logits(student, rng):
    """Logits offset by thousands, above and below zero, give the same Jacobian as without the offset."""
    for trial in range(TRIALS):
        z = huge_offset(rng, trial) + logits(rng, (int(rng.integers(2, 13)),))
        got = _jacobian(student, z)
        assert np.all(np.isfinite(got)), "Not finite (nan or inf) for logits offset by thousands."
        assert close(got, torch_jacobian(z)), "Finite but inaccurate for logits offset by thousands."


@pytest.mark.points(0.25)
@pytest.mark.skill("backpropagation")
def test_leaves_input_unchanged(student, rng, source):
    """softmax_jacobian does not modify the vector it is given."""
    source.unchanged("softmax_jacobian", 0)
    for _ in range(TRIALS):
        z = logits(rng, (int(rng.integers(2, 13)),))
        assert close(_jacobian(student, z), torch_jacobian(z)), ONLY_WITH_RIGHT_VALUES
        assert unchanged(student, "softmax_jacobian", z), "The input vector was modified."
