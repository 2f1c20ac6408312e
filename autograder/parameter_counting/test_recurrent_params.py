"""Hidden tests for `recurrent_params`, against `nn.RNN`, `nn.GRU` and `nn.LSTM`."""

import pytest
from torch import nn

from autograder.checks import as_int
from autograder.parameter_counting.oracle import TRIALS, as_count, check_count, count, on_meta

CELLS = {"rnn": nn.RNN, "gru": nn.GRU, "lstm": nn.LSTM}


def _check(student, cell, input_size, hidden_size, num_layers=1, bidirectional=False, bias=True):
    got = as_count(
        student.recurrent_params(
            cell, input_size, hidden_size, num_layers=num_layers, bidirectional=bidirectional, bias=bias
        ),
        "recurrent_params",
    )
    want = count(
        on_meta(
            CELLS[cell],
            input_size,
            hidden_size,
            num_layers=num_layers,
            bidirectional=bidirectional,
            bias=bias,
        )
    )
    check_count(got, want)


def _sizes(rng):
    return (int(v) for v in rng.integers(1, 200, size=2))


@pytest.mark.points(0.75)
@pytest.mark.skill("model-size")
def test_weights_per_gate(student, rng):
    """An RNN has one gate, a GRU three, an LSTM four; each sees the input and the hidden state."""
    for _ in range(TRIALS):
        for cell in CELLS:
            _check(student, cell, *_sizes(rng), bias=False)


@pytest.mark.points(1.5)
@pytest.mark.skill("model-size")
def test_two_bias_vectors(student, rng):
    """PyTorch keeps two bias vectors per gate (b_ih and b_hh), for every cell type."""
    for _ in range(TRIALS):
        for cell in CELLS:
            _check(student, cell, *_sizes(rng), bias=True)


@pytest.mark.points(0.25)
@pytest.mark.skill("model-size")
def test_stacked_layers(student, rng):
    """Layers after the first take the previous layer's hidden state as their input."""
    for _ in range(TRIALS):
        for cell in CELLS:
            _check(student, cell, *_sizes(rng), num_layers=int(rng.integers(2, 5)), bias=False)


@pytest.mark.points(0.25)
@pytest.mark.skill("model-size")
def test_bidirectional(student, rng):
    """Each direction has its own weights, and deeper layers see both directions' states."""
    for _ in range(TRIALS):
        for cell in CELLS:
            _check(
                student,
                cell,
                *_sizes(rng),
                num_layers=int(rng.integers(1, 4)),
                bidirectional=True,
                bias=False,
            )


@pytest.mark.points(0.25)
@pytest.mark.skill("model-size")
def test_returns_an_int(student, rng):
    """Returns the count as an int (and the right one)."""
    for _ in range(TRIALS):
        cell = str(rng.choice(list(CELLS)))
        input_size, hidden_size = _sizes(rng)
        got = student.recurrent_params(cell, input_size, hidden_size, bias=False)
        want = count(on_meta(CELLS[cell], input_size, hidden_size, bias=False))
        check_count(as_count(got, "recurrent_params"), want)
        as_int(got, "recurrent_params")
