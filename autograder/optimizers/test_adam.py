"""Hidden tests for `adam`, against `torch.optim.Adam`."""

import pytest

from autograder.optimizers.oracle import (
    TRIALS,
    check_state_in_config,
    close,
    problem,
    step,
    student_trajectory,
    torch_trajectory,
)


def _config(rng):
    return {
        "learning_rate": float(rng.uniform(1e-3, 5e-2)),
        "beta1": float(rng.uniform(0.5, 0.85)),
        "beta2": float(rng.uniform(0.9, 0.99)),
    }


@pytest.mark.points(0.5)
@pytest.mark.skill("optimization")
def test_first_step_is_bias_corrected(student, rng):
    """The first step from an empty state uses t = 1 and divides each moment by 1 - beta**t."""
    for _ in range(TRIALS):
        w0, grads = problem(rng, steps=1)
        config = _config(rng)
        next_w, _ = step(student, "adam", w0, grads[0], dict(config))
        assert close([next_w], torch_trajectory("adam", w0, grads, config)), (
            "The first step from an empty state differs from torch.optim.Adam's."
        )


@pytest.mark.points(1)
@pytest.mark.skill("optimization")
def test_matches_torch_adam(student, rng):
    """Several steps from an empty state with non-default learning rate and betas follow torch."""
    for _ in range(TRIALS):
        w0, grads = problem(rng)
        config = _config(rng)
        got = student_trajectory(student, "adam", w0, grads, dict(config))
        assert close(got, torch_trajectory("adam", w0, grads, config)), (
            "The steps differ from torch.optim.Adam."
        )


@pytest.mark.points(0.5)
@pytest.mark.skill("optimization")
def test_epsilon_outside_square_root(student, rng):
    """epsilon is added after the square root of the corrected second moment (epsilon not negligible)."""
    for _ in range(TRIALS):
        w0, grads = problem(rng, low=1e-3, high=1e-2)
        config = {**_config(rng), "epsilon": 1e-2}
        got = student_trajectory(student, "adam", w0, grads, dict(config))
        assert close(got, torch_trajectory("adam", w0, grads, config)), (
            "The steps differ from torch.optim.Adam when epsilon is not negligible."
        )


@pytest.mark.points(0.5)
@pytest.mark.skill("optimization")
def test_default_hyperparameters(student, rng):
    """Called without a config, adam uses learning_rate=1e-3, beta1=0.9, beta2=0.999, epsilon=1e-8."""
    for _ in range(TRIALS):
        w0, grads = problem(rng)
        assert close(student_trajectory(student, "adam", w0, grads), torch_trajectory("adam", w0, grads)), (
            "Without a config the steps differ from those with the default hyperparameters."
        )


@pytest.mark.points(0.5)
@pytest.mark.skill("optimization")
def test_keeps_state_in_config(student, rng):
    """The moments and the step count live in the returned config: passing it back continues the run."""
    check_state_in_config(student, "adam", _config(rng), rng)
