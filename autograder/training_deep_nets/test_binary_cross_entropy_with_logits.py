"""Hidden tests for `binary_cross_entropy_with_logits` on moderate logits, against
`F.binary_cross_entropy_with_logits`."""

import pytest

from autograder.training_deep_nets.oracle import as_float, close, logistic_loss


@pytest.mark.points(1.5)
@pytest.mark.skill("losses-and-probabilities")
def test_matches_torch(student, rng):
    """Batches of several examples with logits of both signs and both labels give torch's loss."""
    for _ in range(6):
        n = int(rng.integers(2, 40))
        z = rng.standard_normal(n) * rng.uniform(0.5, 4.0)
        y = rng.integers(0, 2, size=n).astype(float)
        y[:2] = [0.0, 1.0]
        got = as_float(student.binary_cross_entropy_with_logits(z, y), "binary_cross_entropy_with_logits")
        assert close(got, logistic_loss(z, y))
