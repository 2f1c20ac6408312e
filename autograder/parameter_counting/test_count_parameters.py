"""Hidden tests for `count_parameters`, against the parameters torch keeps for a module."""

import pytest

from autograder.checks import as_int
from autograder.parameter_counting.oracle import as_count, check_count, count
from autograder.student_side.codec import ModuleSpec

MODELS = (
    ModuleSpec(
        layers=(
            ("Conv2d", {"in_channels": 3, "out_channels": 8, "kernel_size": (3, 5)}),
            ("BatchNorm2d", {"num_features": 8}),
            ("ReLU", {}),
            ("Flatten", {}),
            ("Linear", {"in_features": 32, "out_features": 10}),
        )
    ),
    ModuleSpec(
        layers=(
            ("Embedding", {"num_embeddings": 97, "embedding_dim": 12}),
            ("LSTM", {"input_size": 12, "hidden_size": 7, "num_layers": 2, "bidirectional": True}),
        )
    ),
    ModuleSpec(
        layers=(
            ("Linear", {"in_features": 5, "out_features": 6, "bias": False}),
            ("LayerNorm", {"normalized_shape": 6}),
            ("GRU", {"input_size": 6, "hidden_size": 4}),
        )
    ),
)


def _frozen_variants(rng):
    for spec in MODELS:
        frozen = tuple(int(i) for i in rng.choice(len(spec.layers), size=2, replace=False))
        yield ModuleSpec(layers=spec.layers, frozen=frozen)


@pytest.mark.points(1)
@pytest.mark.skill("model-size")
def test_counts_every_parameter(student):
    """Counts the elements of every parameter tensor (weights and biases), not buffers or tensors."""
    for spec in MODELS:
        check_count(as_count(student.count_parameters(spec), "count_parameters"), count(spec.build()))


@pytest.mark.points(0.5)
@pytest.mark.skill("model-size")
def test_skips_frozen_parameters(student, rng):
    """By default only parameters with requires_grad=True are counted."""
    for spec in _frozen_variants(rng):
        got = as_count(student.count_parameters(spec), "count_parameters")
        check_count(got, count(spec.build(), trainable_only=True))


@pytest.mark.points(0.25)
@pytest.mark.skill("model-size")
def test_counts_frozen_when_asked(student, rng):
    """With trainable_only=False frozen parameters count too."""
    for spec in _frozen_variants(rng):
        got = as_count(student.count_parameters(spec, trainable_only=False), "count_parameters")
        check_count(got, count(spec.build(), trainable_only=False))


@pytest.mark.points(0.25)
@pytest.mark.skill("model-size")
def test_returns_an_int(student, rng):
    """Returns the count as an int (and the right one)."""
    spec = MODELS[2]  # no buffers: this case is about the type, not about what counts
    got = student.count_parameters(spec)
    check_count(as_count(got, "count_parameters"), count(spec.build()))
    as_int(got, "count_parameters")
