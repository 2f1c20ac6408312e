"""Hidden tests for `dropout_backward` (on the cache of the student's `dropout_forward`): the gradient
goes through the units that forward call kept, scaled by the contract's inverted-dropout factor."""

import numpy as np
import pytest

from autograder.training_deep_nets import probes
from autograder.training_deep_nets.oracle import (
    TRIALS,
    as_array,
    away_from_zero,
    close,
    distinct,
    drop_probability,
    is_masked_copy,
)


def _gradients(student, rng, mode, seed=True):
    """Yields (out, dx, x, dout, p) of forward then backward in `mode`, for several shapes and p."""
    for _ in range(TRIALS):
        shape = tuple(distinct(rng, 2, 20, 50))
        x, dout, p = away_from_zero(rng, shape), away_from_zero(rng, shape), drop_probability(rng)
        report = student.probe(
            probes.dropout_gradients,
            x,
            {"p": p, "mode": mode},
            int(rng.integers(2**32)) if seed else None,
            dout,
        )
        yield (
            as_array(report["out"], "dropout_forward", shape),
            as_array(report["dx"], "dropout_backward", shape),
            x,
            dout,
            p,
        )


@pytest.mark.points(1.5)
@pytest.mark.skill("backpropagation")
def test_reuses_the_forward_mask(student, rng):
    """In train mode dx is nonzero exactly where that forward call kept a unit, scaled like a kept unit."""
    for out, dx, x, dout, p in _gradients(student, rng, "train"):
        assert is_masked_copy(out, x)
        assert close(dx, np.where(out != 0, dout / (1 - p), 0.0))


@pytest.mark.points(0.5)
@pytest.mark.skill("backpropagation")
def test_test_mode_passes_dout_through(student, rng):
    """In test mode dx is dout, while in train mode dx is dout masked and scaled."""
    for (_, train_dx, _, train_dout, _), (_, dx, _, dout, _) in zip(
        _gradients(student, rng, "train"), _gradients(student, rng, "test", seed=False)
    ):
        assert is_masked_copy(train_dx, train_dout)
        assert close(dx, dout)
