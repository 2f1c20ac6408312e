"""Hidden tests for `recurrent_params`, against `nn.RNN`, `nn.GRU` and `nn.LSTM`."""

import pytest
from torch import nn

from autograder.checks import as_int
from autograder.parameter_counting.oracle import TRIALS, check_count, count, on_meta

CELLS = {"rnn": nn.RNN, "gru": nn.GRU, "lstm": nn.LSTM}


def _check(student, cell, input_size, hidden_size, num_layers=1, bidirectional=False, bias=True):
    got = as_int(student.recurrent_params(cell, input_size, hidden_size, num_layers=num_layers,
                                          bidirectional=bidirectional, bias=bias),
                 "recurrent_params")
    want = count(on_meta(CELLS[cell], input_size, hidden_size, num_layers=num_layers,
                         bidirectional=bidirectional, bias=bias))
    check_count(got, want)


def _sizes(rng):
    return (int(v) for v in rng.integers(1, 200, size=2))


@pytest.mark.points(1)
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
            _check(student, cell, *_sizes(rng), num_layers=int(rng.integers(1, 4)),
                   bidirectional=True, bias=False)
