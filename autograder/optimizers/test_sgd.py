"""Hidden tests for `sgd`, against `torch.optim.SGD`."""

import pytest

from autograder.optimizers.oracle import TRIALS, close, problem, student_trajectory, torch_trajectory


@pytest.mark.points(1)
@pytest.mark.skill("optimization")
def test_matches_torch_sgd(student, rng):
    """Several steps with a non-default learning rate follow torch.optim.SGD."""
    for _ in range(TRIALS):
        w0, grads = problem(rng)
        config = {"learning_rate": float(rng.uniform(0.05, 0.5))}
        got = student_trajectory(student, "sgd", w0, grads, dict(config))
        assert close(got, torch_trajectory("sgd", w0, grads, config)), (
            "The steps differ from torch.optim.SGD."
        )


@pytest.mark.points(0.5)
@pytest.mark.skill("optimization")
def test_default_learning_rate(student, rng):
    """Called without a config, sgd uses learning_rate=1e-2."""
    for _ in range(TRIALS):
        w0, grads = problem(rng)
        assert close(student_trajectory(student, "sgd", w0, grads), torch_trajectory("sgd", w0, grads)), (
            "Without a config the steps differ from those with the default hyperparameters."
        )
