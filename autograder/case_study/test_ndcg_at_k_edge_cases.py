"""Hidden tests for `ndcg_at_k` on ties, lists with nothing relevant and k beyond the list."""

import numpy as np
import pytest

from autograder.case_study.oracle import TRIALS, as_float, binary, close, sklearn_ndcg
from autograder.checks import ONLY_WITH_RIGHT_VALUES


def _ndcg(student, relevance, k):
    return as_float(student.ndcg_at_k(relevance, k), "ndcg_at_k")


@pytest.mark.points(1)
@pytest.mark.skill("evaluation-metrics")
def test_ties(student, rng):
    """Matches sklearn's ndcg_score when several listings share the same relevance."""
    for _ in range(TRIALS):
        n = int(rng.integers(6, 16))
        rel = rng.choice([0.0, 1.0, 1.0, 2.0, 2.0], size=n)
        rel[:4] = [1.0, 2.0, 1.0, 2.0]
        rng.shuffle(rel)
        assert close(_ndcg(student, rel, n), sklearn_ndcg(rel, n)), (
            "Differs from sklearn's ndcg_score with ties."
        )


@pytest.mark.points(1)
@pytest.mark.skill("evaluation-metrics")
def test_nothing_relevant(student, rng):
    """Returns 0.0, not NaN, when no listing is relevant, and when no relevant listing is in the top k."""
    for _ in range(TRIALS):
        n = int(rng.integers(2, 12))
        got = _ndcg(student, np.zeros(n), int(rng.integers(1, n + 4)))
        assert np.isfinite(got), "NaN or inf when no listing is relevant."
        assert close(got, 0.0), "Not 0.0 when no listing is relevant."
        k = int(rng.integers(1, n))
        below = np.zeros(n)
        below[k:] = binary(rng, n - k)
        below[-1] = 1.0
        got = _ndcg(student, below, k)
        assert np.isfinite(got), "NaN or inf when no relevant listing is in the top k."
        assert close(got, sklearn_ndcg(below, k)), "Wrong when no relevant listing is in the top k."
        mixed = binary(rng, n)
        mixed[k - 1] = 1.0  # something relevant in the top k: 0.0 is not the answer there
        assert close(_ndcg(student, mixed, k), sklearn_ndcg(mixed, k)), ONLY_WITH_RIGHT_VALUES


@pytest.mark.points(1)
@pytest.mark.skill("evaluation-metrics")
def test_k_beyond_list_length(student, rng):
    """Matches sklearn's ndcg_score when k is larger than the number of listings."""
    for _ in range(TRIALS):
        n = int(rng.integers(2, 9))
        rel = binary(rng, n)
        rel[0], rel[1] = 0.0, 1.0
        k = n + int(rng.integers(1, 10))
        assert close(_ndcg(student, rel, k), sklearn_ndcg(rel, k)), (
            "Differs from sklearn's ndcg_score when k exceeds the list."
        )
