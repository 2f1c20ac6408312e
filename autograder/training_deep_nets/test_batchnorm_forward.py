"""Hidden tests for `batchnorm_forward`: train-mode output against `nn.BatchNorm1d`, running statistics
in CS231n's convention, and test mode with the running statistics (`nn.BatchNorm1d` in eval mode)."""

import numpy as np
import pytest

from autograder.student import StudentError
from autograder.training_deep_nets import probes
from autograder.training_deep_nets.oracle import (
    TRIALS,
    affine_params,
    as_array,
    batch,
    batchnorm_test,
    batchnorm_train,
    close,
    distinct,
    momentum,
    running_statistics,
)


def _steps(student, steps, gamma, beta, bn_param):
    """The student's outs and running statistics after each step, each checked for its shape."""
    report = student.probe(probes.batchnorm_steps, steps, gamma, beta, bn_param)
    outs = [as_array(out, "batchnorm_forward", x.shape) for out, (_, x) in zip(report["outs"], steps)]
    return outs, report["after"]


def _running(after, d):
    """running_mean and running_var as the student's code left them in bn_param."""
    stats = []
    for key in ("running_mean", "running_var"):
        value = after[key]
        if not isinstance(value, np.ndarray):
            raise StudentError(
                f"After a call in train mode, bn_param['{key}'] should hold a numpy array "
                f"(it holds {value if value else 'nothing'})."
            )
        stats.append(as_array(value, f"bn_param['{key}'] of batchnorm_forward", (d,)))
    return stats


def _shape(rng):
    return distinct(rng, 2, 3, 10)


@pytest.mark.points(1)
@pytest.mark.skill("training-deep-nets")
def test_train_output_matches_batchnorm1d(student, rng):
    """In train mode the output is that of nn.BatchNorm1d in training mode, with the given eps (or 1e-5)."""
    for trial in range(TRIALS + 1):
        n, d = _shape(rng)
        x, (gamma, beta) = batch(rng, n, d), affine_params(rng, d)
        eps = float(rng.uniform(0.05, 0.5)) if trial else 1e-5
        bn_param = {"eps": eps} if trial else {}
        outs, _ = _steps(student, [("train", x)], gamma, beta, bn_param)
        assert close(outs[0], batchnorm_train(x, gamma, beta, eps))


@pytest.mark.points(1)
@pytest.mark.skill("training-deep-nets")
def test_updates_running_statistics(student, rng):
    """Train mode updates bn_param's running_mean and running_var in CS231n's momentum convention."""
    for trial in range(TRIALS):
        n, d = _shape(rng)
        gamma, beta = affine_params(rng, d)
        batches = [batch(rng, n, d) for _ in range(3)]
        m = momentum(rng) if trial else 0.9
        bn_param = {"momentum": m} if trial else {}
        start = (np.zeros(d), np.zeros(d))
        if trial == 2:
            start = (rng.standard_normal(d), rng.uniform(0.5, 2.0, d))
            bn_param.update(running_mean=start[0].copy(), running_var=start[1].copy())
        _, after = _steps(student, [("train", x) for x in batches], gamma, beta, bn_param)
        for got, want in zip(after, running_statistics(batches, m, *start)):
            mean, var = _running(got, d)
            assert close(mean, want[0]) and close(var, want[1])


@pytest.mark.points(1)
@pytest.mark.skill("training-deep-nets")
def test_test_mode_uses_running_statistics(student, rng):
    """Test mode gives nn.BatchNorm1d's eval-mode output with bn_param's running statistics, unchanged."""
    for _ in range(TRIALS):
        n, d = _shape(rng)
        x, (gamma, beta) = batch(rng, n, d), affine_params(rng, d)
        mean, var = rng.standard_normal(d), rng.uniform(0.2, 2.0, d)
        eps = float(rng.uniform(0.05, 0.5))
        bn_param = {
            "eps": eps,
            "momentum": momentum(rng),
            "running_mean": mean.copy(),
            "running_var": var.copy(),
        }
        outs, after = _steps(student, [("test", x)], gamma, beta, bn_param)
        assert close(outs[0], batchnorm_test(x, gamma, beta, eps, mean, var))
        got_mean, got_var = _running(after[0], d)
        assert np.array_equal(got_mean, mean) and np.array_equal(got_var, var)


@pytest.mark.points(1)
@pytest.mark.skill("training-deep-nets")
def test_train_then_test(student, rng):
    """After several train-mode batches, test mode normalises a new batch with what training accumulated."""
    for _ in range(TRIALS):
        n, d = _shape(rng)
        gamma, beta = affine_params(rng, d)
        batches = [batch(rng, n, d) for _ in range(int(rng.integers(2, 5)))]
        x = batch(rng, int(rng.integers(2, 12)), d)
        m, eps = momentum(rng), float(rng.uniform(0.05, 0.5))
        steps = [("train", b) for b in batches] + [("test", x)]
        outs, _ = _steps(student, steps, gamma, beta, {"eps": eps, "momentum": m})
        mean, var = running_statistics(batches, m, np.zeros(d), np.zeros(d))[-1]
        assert close(outs[-1], batchnorm_test(x, gamma, beta, eps, mean, var))
