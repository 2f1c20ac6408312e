"""Hidden tests for `sgd_momentum`, against `torch.optim.SGD(momentum=...)`."""

import numpy as np
import pytest

from autograder.optimizers.oracle import (
    ATOL,
    RTOL,
    STEPS,
    TRIALS,
    check_state_in_config,
    close,
    problem,
    step,
    student_trajectory,
    torch_trajectory,
)


def _config(rng):
    return {"learning_rate": float(rng.uniform(0.01, 0.1)), "momentum": float(rng.uniform(0.5, 0.8))}


@pytest.mark.points(1)
@pytest.mark.skill("optimization")
def test_matches_torch_sgd_momentum(student, rng):
    """Several steps from an empty state with non-default learning rate and momentum follow torch."""
    for _ in range(TRIALS):
        w0, grads = problem(rng)
        config = _config(rng)
        got = student_trajectory(student, "sgd_momentum", w0, grads, dict(config))
        assert close(got, torch_trajectory("sgd_momentum", w0, grads, config)), (
            "The steps differ from torch.optim.SGD with momentum."
        )


@pytest.mark.points(0.5)
@pytest.mark.skill("optimization")
def test_default_hyperparameters(student, rng):
    """Called without a config, sgd_momentum uses learning_rate=1e-2 and momentum=0.9."""
    for _ in range(TRIALS):
        w0, grads = problem(rng)
        got = student_trajectory(student, "sgd_momentum", w0, grads)
        assert close(got, torch_trajectory("sgd_momentum", w0, grads)), (
            "Without a config the steps differ from those with the default hyperparameters."
        )


@pytest.mark.points(0.5)
@pytest.mark.skill("optimization")
def test_moves_against_the_gradient(student, rng):
    """Under a constant gradient every step moves the weights downhill, never uphill."""
    for _ in range(TRIALS):
        w, grads = problem(rng, steps=1)
        g, config, total = grads[0], _config(rng), 0.0
        for _ in range(STEPS):
            next_w, config = step(student, "sgd_momentum", w, g, config)
            assert np.all((next_w - w) * g <= 0), "A step moved some weights uphill."
            total, w = total + (next_w - w), next_w
        assert np.all(total * g < 0), "The weights did not move downhill."


@pytest.mark.points(0.5)
@pytest.mark.skill("optimization")
def test_first_step_uses_current_gradient(student, rng):
    """From an empty state the first step already moves by learning_rate times the current gradient."""
    for _ in range(TRIALS):
        w0, (g,) = problem(rng, steps=1)
        config = _config(rng)
        next_w, _ = step(student, "sgd_momentum", w0, g, dict(config))
        moved = np.abs(next_w - w0)
        assert np.allclose(moved, config["learning_rate"] * np.abs(g), rtol=RTOL, atol=ATOL), (
            "The first step from an empty state has the wrong size."
        )


@pytest.mark.points(0.5)
@pytest.mark.skill("optimization")
def test_keeps_velocity_in_config(student, rng):
    """The velocity lives in the returned config: passing it back continues, a fresh config restarts."""
    check_state_in_config(student, "sgd_momentum", _config(rng), rng)
