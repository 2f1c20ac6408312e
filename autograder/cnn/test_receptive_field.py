"""Hidden tests for `receptive_field`, against the input pixels that reach one output unit of the
same stack of convolutions built in torch (autograd from that unit)."""

import pytest

from autograder.checks import as_int
from autograder.cnn.oracle import receptive_field_torch


def _check(student, layers):
    got = as_int(student.receptive_field(layers), "receptive_field")
    assert got == receptive_field_torch(layers), (
        "The size differs from the input region that reaches one unit."
    )


@pytest.mark.points(0.5)
@pytest.mark.skill("model-size")
def test_one_layer(student, rng):
    """A unit of a single convolution or pooling layer, with a stride above 1."""
    for _ in range(3):
        _check(student, [(int(rng.integers(2, 8)), int(rng.integers(2, 4)))])


@pytest.mark.points(1)
@pytest.mark.skill("model-size")
def test_stride_one_stack(student, rng):
    """A stack of several convolutions with stride 1."""
    for _ in range(3):
        layers = [(int(k), 1) for k in rng.integers(1, 6, size=int(rng.integers(2, 5)))]
        layers[0] = (int(rng.integers(2, 6)), 1)
        _check(student, layers)


@pytest.mark.points(1.25)
@pytest.mark.skill("model-size")
def test_conv_pool_blocks(student, rng):
    """A typical CNN: blocks of stride-1 convolutions, each followed by a pooling layer with stride 2."""
    for _ in range(3):
        layers = []
        for _ in range(int(rng.integers(2, 4))):
            layers += [(int(rng.choice([3, 5])), 1)] * int(rng.integers(1, 3)) + [(2, 2)]
        if rng.random() < 0.5:
            layers.append((3, 1))
        _check(student, layers)


@pytest.mark.points(1.25)
@pytest.mark.skill("model-size")
def test_strided_stacks(student, rng):
    """Stacks of layers with various kernel sizes (1 included) and strides above 1 in several layers."""
    for _ in range(3):
        count = int(rng.integers(3, 6))
        layers = [(int(rng.integers(1, 6)), int(rng.integers(1, 4))) for _ in range(count)]
        layers[0] = (int(rng.integers(2, 6)), int(rng.integers(2, 4)))
        layers[1] = (layers[1][0], int(rng.integers(2, 4)))
        layers[-1] = (int(rng.integers(2, 6)), layers[-1][1])
        _check(student, layers)
