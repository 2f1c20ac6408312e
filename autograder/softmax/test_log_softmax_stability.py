"""Hidden tests that `log_softmax` is finite and accurate wherever the exact value is finite."""

import numpy as np
import pytest

from autograder.checks import as_array
from autograder.softmax.oracle import (
    TRIALS,
    batch_shape,
    close,
    far_below_the_max,
    huge_offset,
    logits,
    torch_log_softmax,
)


@pytest.mark.points(0.25)
@pytest.mark.skill("numerical-stability")
def test_large_logits(student, rng):
    """Logits offset by thousands, above and below zero, give the same log-softmax as without the offset."""
    for trial in range(TRIALS):
        z = huge_offset(rng, trial) + logits(rng, batch_shape(rng))
        got = as_array(student.log_softmax(z), "log_softmax", z.shape)
        assert np.all(np.isfinite(got)), "Not finite (nan or inf) for logits offset by thousands."
        assert close(got, torch_log_softmax(z)), "Finite but inaccurate for logits offset by thousands."


@pytest.mark.points(1.5)
@pytest.mark.skill("numerical-stability")
def test_finite_far_below_the_max(student, rng):
    """Entries thousands below their row's maximum get a large negative but finite value, not -inf."""
    for _ in range(TRIALS):
        z = far_below_the_max(rng, batch_shape(rng))
        got = as_array(student.log_softmax(z), "log_softmax", z.shape)
        assert np.all(np.isfinite(got)), "-inf or nan for entries far below their row's maximum."
        assert close(got, torch_log_softmax(z)), "Inaccurate for entries far below their row's maximum."
