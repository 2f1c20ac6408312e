"""Hidden tests for `embedding_params`, against `nn.Embedding`."""

import pytest
from torch import nn

from autograder.checks import as_int
from autograder.parameter_counting.oracle import TRIALS, as_count, check_count, count, on_meta


@pytest.mark.points(0.75)
@pytest.mark.skill("model-size")
def test_one_vector_per_token(student, rng):
    """An embedding table holds one learned vector per token."""
    for _ in range(TRIALS):
        tokens, dim = int(rng.integers(1, 50_000)), int(rng.integers(1, 1024))
        got = as_count(student.embedding_params(tokens, dim), "embedding_params")
        check_count(got, count(on_meta(nn.Embedding, tokens, dim)))


@pytest.mark.points(0.25)
@pytest.mark.skill("model-size")
def test_returns_an_int(student, rng):
    """Returns the count as an int (and the right one)."""
    for _ in range(TRIALS):
        tokens, dim = int(rng.integers(1, 50_000)), int(rng.integers(1, 1024))
        got = student.embedding_params(tokens, dim)
        check_count(as_count(got, "embedding_params"), count(on_meta(nn.Embedding, tokens, dim)))
        as_int(got, "embedding_params")
