"""Hidden tests for `embedding_params`, against `nn.Embedding`."""

import pytest
from torch import nn

from autograder.checks import as_int
from autograder.parameter_counting.oracle import TRIALS, check_count, count, on_meta


@pytest.mark.points(1)
@pytest.mark.skill("model-size")
def test_one_vector_per_token(student, rng):
    """An embedding table holds one learned vector per token."""
    for _ in range(TRIALS):
        tokens, dim = int(rng.integers(1, 50_000)), int(rng.integers(1, 1024))
        got = as_int(student.embedding_params(tokens, dim), "embedding_params")
        check_count(got, count(on_meta(nn.Embedding, tokens, dim)))
