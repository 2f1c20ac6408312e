"""Hidden tests for `ScratchAdam`, a `torch.optim.Optimizer` subclass, against `torch.optim.Adam`."""

import pytest

from autograder.checks import ONLY_WITH_RIGHT_VALUES
from autograder.optimizers import probes
from autograder.optimizers.oracle import adam_grads, adam_params, adam_trajectory, same_adam, torch_adam
from autograder.student import StudentError


def _options(rng):
    return {
        "lr": float(rng.uniform(1e-3, 5e-2)),
        "betas": (float(rng.uniform(0.5, 0.85)), float(rng.uniform(0.9, 0.99))),
        "eps": 1e-2,
    }


def _run(student, groups, grads, kwargs, as_groups):
    """Runs the student's optimizer and torch's on the same problem; returns both trajectories."""
    want = torch_adam(groups, grads, kwargs, as_groups)
    result = student.probe(probes.ScratchAdam, groups, grads, kwargs, as_groups)
    return adam_trajectory(result, want), want


@pytest.mark.points(0.5)
@pytest.mark.skill("pytorch")
def test_matches_torch_adam(student, rng):
    """Several steps on a model's parameters with non-default lr, betas and eps follow torch.optim.Adam."""
    for _ in range(2):
        params = adam_params(rng, 3)
        got, want = _run(student, [{"params": params}], adam_grads(rng, [params]), _options(rng), False)
        assert same_adam(got, want), "The steps differ from torch.optim.Adam."


@pytest.mark.points(0.25)
@pytest.mark.skill("pytorch")
def test_default_hyperparameters(student, rng):
    """Built with parameters only, ScratchAdam uses lr=1e-3, betas=(0.9, 0.999), eps=1e-8, no decay."""
    params = adam_params(rng, 2)
    got, want = _run(student, [{"params": params}], adam_grads(rng, [params]), {}, False)
    assert same_adam(got, want), "With the default hyperparameters the steps differ from torch.optim.Adam."


@pytest.mark.points(0.5)
@pytest.mark.skill("pytorch")
def test_several_param_groups(student, rng):
    """Each param group uses its own lr, betas and eps, falling back to the constructor's values."""
    groups = [
        {"params": adam_params(rng, 2)},
        {"params": adam_params(rng, 1), "lr": float(rng.uniform(0.05, 0.1))},
        {"params": adam_params(rng, 2), **_options(rng), "eps": 1e-3},
    ]
    grads = adam_grads(rng, [g["params"] for g in groups])
    got, want = _run(student, groups, grads, _options(rng), True)
    assert same_adam(got, want), "With several param groups the steps differ from torch.optim.Adam."


@pytest.mark.points(0.5)
@pytest.mark.skill("pytorch")
def test_weight_decay(student, rng):
    """weight_decay adds weight_decay * w to the gradient before the moments (L2, not AdamW's decay)."""
    for _ in range(2):
        params = adam_params(rng, 2)
        kwargs = {**_options(rng), "weight_decay": float(rng.uniform(0.1, 0.5))}
        got, want = _run(student, [{"params": params}], adam_grads(rng, [params]), kwargs, False)
        assert same_adam(got, want), "With weight_decay the steps differ from torch.optim.Adam."


@pytest.mark.points(0.75)
@pytest.mark.skill("pytorch")
def test_parameters_without_gradients(student, rng):
    """Parameters whose .grad is None are skipped: not moved, no state, their own step count."""
    params = adam_params(rng, 3)
    grads = adam_grads(rng, [params])
    # Parameter 1 never gets a gradient; parameter 2 misses some steps, its first one included.
    for index, step_grads in enumerate(grads):
        step_grads[0][1] = None
        if index in (0, 2, 5):
            step_grads[0][2] = None
    got, want = _run(student, [{"params": params}], grads, _options(rng), False)
    assert same_adam(got, want), (
        "Parameters that miss gradients are not treated as torch.optim.Adam treats them."
    )


@pytest.mark.points(2.5)
@pytest.mark.skill("pytorch")
def test_written_from_scratch(student, rng, source):
    """ScratchAdam subclasses torch.optim.Optimizer and does its own update, not torch.optim.Adam's."""
    # Decided from the submitted source, here: a subclass of Optimizer with its own step (torch's Adam
    # anywhere in it fails the whole class, see RULES in autograder/optimizers/__init__.py) whose
    # steps follow torch.optim.Adam. What the probe reports from the student's side can only fail it.
    missing = source.subclass("ScratchAdam", "torch.optim.Optimizer", ["step"])
    if missing:
        raise StudentError(missing)
    params = adam_params(rng, 2)
    grads = adam_grads(rng, [params], 2)
    result = student.probe(probes.ScratchAdam, [{"params": params}], grads, {}, False)
    want = torch_adam([{"params": params}], grads, {}, False)
    assert same_adam(adam_trajectory(result, want), want), ONLY_WITH_RIGHT_VALUES
    mro = result["mro"]
    assert "torch.optim.optimizer.Optimizer" in mro, "ScratchAdam is not a torch.optim.Optimizer."
    assert not any(name.startswith(("torch.optim.adam.", "torch.optim.adamw.")) for name in mro), (
        "ScratchAdam subclasses torch.optim.Adam or AdamW."
    )
    assert result["torch_adam_calls"] == 0, "ScratchAdam calls torch.optim.Adam's update."
