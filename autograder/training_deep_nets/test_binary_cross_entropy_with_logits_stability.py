"""Hidden tests that `binary_cross_entropy_with_logits` is stable, one example at a time (so that a
sum and a mean agree), against `F.binary_cross_entropy_with_logits`."""

import numpy as np
import pytest

from autograder.training_deep_nets.oracle import as_float, close, logistic_loss


@pytest.mark.points(1.5)
@pytest.mark.skill("numerical-stability")
def test_finite_and_accurate_for_large_logits(student, rng):
    """Logits of size 40 up to 1e4, of either sign and with either label, give torch's finite loss."""
    for magnitude in (50.0, 800.0, 1e4):
        for sign in (-1.0, 1.0):
            for label in (0.0, 1.0):
                z = np.array([sign * magnitude * rng.uniform(0.8, 1.0)])
                y = np.array([label])
                got = as_float(
                    student.binary_cross_entropy_with_logits(z, y), "binary_cross_entropy_with_logits"
                )
                assert np.isfinite(got) and close(got, logistic_loss(z, y))
