"""Hidden tests that `softmax_torch` is stable: finite and accurate where `exp` overflows or underflows."""

import numpy as np
import pytest

from autograder.softmax import probes
from autograder.softmax.oracle import (
    TRIALS,
    batch_shape,
    close,
    huge_offset,
    logits,
    tensor_output,
    torch_softmax,
)


@pytest.mark.points(0.5)
@pytest.mark.skill("numerical-stability")
def test_large_logits(student, rng):
    """Logits offset by thousands, above and below zero, give the same softmax as without the offset."""
    for trial in range(TRIALS):
        shape = batch_shape(rng)
        z = huge_offset(rng, trial) + logits(rng, shape)
        z[:, 0] -= rng.uniform(0.0, 10000.0, size=shape[0])  # differences reach 1e4
        got = tensor_output(student.probe(probes.run_softmax_torch, z), z.shape)
        assert np.all(np.isfinite(got)), "Not finite (nan or inf) for logits offset by thousands."
        assert close(got, torch_softmax(z)), "Finite but inaccurate for logits offset by thousands."
