"""Hidden tests for `ResidualBlock`: its fc1 and fc2 layers, its output and the gradients that reach the
input and the parameters, against torch autograd of x + fc2(relu(fc1(x)))."""

import pytest

from autograder.student import StudentError
from autograder.training_deep_nets import probes
from autograder.training_deep_nets.oracle import (
    TRIALS,
    as_array,
    close,
    distinct,
    residual_torch,
    residual_weights,
)

NAMES = ("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias")


def _blocks(student, rng):
    """Yields the student's report, the weights, x and torch's out, dx and parameter gradients."""
    for _ in range(TRIALS):
        n, dim, hidden = distinct(rng, 3, 2, 12)
        weights = residual_weights(rng, dim, hidden)
        x, dout = rng.standard_normal((n, dim)), rng.standard_normal((n, dim))
        report = student.probe(probes.residual_block, dim, hidden, weights, x, dout)
        report["out"] = as_array(report["out"], "ResidualBlock.forward", x.shape)
        yield report, weights, x, residual_torch(weights, x, dout)


@pytest.mark.points(1)
@pytest.mark.skill("pytorch")
def test_has_linear_fc1_and_fc2(student, rng):
    """Its parameters are exactly those of nn.Linear fc1 (dim -> hidden) and fc2 (hidden -> dim)."""
    for report, weights, x, (want, _, _) in _blocks(student, rng):
        dim, hidden = x.shape[1], weights["fc1.bias"].size
        assert report["fc1"] == {"type": "Linear", "in": dim, "out": hidden, "bias": True}
        assert report["fc2"] == {"type": "Linear", "in": hidden, "out": dim, "bias": True}
        assert report["parameters"] == {name: list(value.shape) for name, value in weights.items()}
        # What the probe reports about the module only takes points away: the output must be right too.
        assert close(report["out"], want)


@pytest.mark.points(1.5)
@pytest.mark.skill("training-deep-nets")
def test_forward_matches_torch(student, rng):
    """The output for a batch of N inputs of size dim matches the block's definition in torch."""
    for report, _, _, (want, _, _) in _blocks(student, rng):
        assert close(report["out"], want)


@pytest.mark.points(1.5)
@pytest.mark.skill("training-deep-nets")
def test_gradients_reach_input_and_parameters(student, rng):
    """Autograd through the block gives the input and all four parameters torch's gradients."""
    for report, weights, x, (_, want_dx, want_grads) in _blocks(student, rng):
        if report["dx"] is None or any(report["grads"][name] is None for name in NAMES):
            raise StudentError("No gradient reached the input or a parameter of `ResidualBlock`.")
        assert close(as_array(report["dx"], "ResidualBlock", x.shape), want_dx)
        for name in NAMES:
            assert close(
                as_array(report["grads"][name], "ResidualBlock", weights[name].shape), want_grads[name]
            )
