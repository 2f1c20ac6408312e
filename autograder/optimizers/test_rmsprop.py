"""Hidden tests for `rmsprop`, against `torch.optim.RMSprop(alpha=decay_rate, eps=epsilon)`."""

import pytest

from autograder.optimizers.oracle import (
    TRIALS,
    check_state_in_config,
    close,
    problem,
    student_trajectory,
    torch_trajectory,
)


def _config(rng):
    return {"learning_rate": float(rng.uniform(1e-3, 2e-2)), "decay_rate": float(rng.uniform(0.5, 0.95))}


@pytest.mark.points(1)
@pytest.mark.skill("optimization")
def test_matches_torch_rmsprop(student, rng):
    """Several steps from an empty state with non-default learning rate and decay rate follow torch."""
    for _ in range(TRIALS):
        w0, grads = problem(rng)
        config = _config(rng)
        got = student_trajectory(student, "rmsprop", w0, grads, dict(config))
        assert close(got, torch_trajectory("rmsprop", w0, grads, config)), (
            "The steps differ from torch.optim.RMSprop."
        )


@pytest.mark.points(0.5)
@pytest.mark.skill("optimization")
def test_epsilon_outside_square_root(student, rng):
    """epsilon is added after the square root of the cache, which shows when epsilon is not negligible."""
    for _ in range(TRIALS):
        w0, grads = problem(rng, low=1e-3, high=1e-2)
        config = {**_config(rng), "epsilon": 1e-2}
        got = student_trajectory(student, "rmsprop", w0, grads, dict(config))
        assert close(got, torch_trajectory("rmsprop", w0, grads, config)), (
            "The steps differ from torch.optim.RMSprop when epsilon is not negligible."
        )


@pytest.mark.points(0.5)
@pytest.mark.skill("optimization")
def test_default_hyperparameters(student, rng):
    """Called without a config, rmsprop uses learning_rate=1e-2, decay_rate=0.99, epsilon=1e-8."""
    for _ in range(TRIALS):
        w0, grads = problem(rng)
        got = student_trajectory(student, "rmsprop", w0, grads)
        assert close(got, torch_trajectory("rmsprop", w0, grads)), (
            "Without a config the steps differ from those with the default hyperparameters."
        )


@pytest.mark.points(0.5)
@pytest.mark.skill("optimization")
def test_keeps_cache_in_config(student, rng):
    """The squared-gradient cache lives in the returned config: passing it back continues the run."""
    check_state_in_config(student, "rmsprop", _config(rng), rng)
