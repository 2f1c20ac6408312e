"""Hidden tests for `ndcg_at_k`: the definition, against `sklearn.metrics.ndcg_score`."""

import numpy as np
import pytest

from autograder.case_study import probes
from autograder.case_study.oracle import TRIALS, as_float, binary, close, graded, sklearn_ndcg
from autograder.checks import ONLY_WITH_RIGHT_VALUES


def _ndcg(student, relevance, k):
    return as_float(student.ndcg_at_k(relevance, k), "ndcg_at_k")


@pytest.mark.points(1)
@pytest.mark.skill("evaluation-metrics")
def test_matches_sklearn(student, rng):
    """Matches sklearn's ndcg_score on graded relevances (0 to 3, and real values) for k within the list."""
    for trial in range(TRIALS):
        n = int(rng.integers(6, 16))
        k = int(rng.integers(2, n))
        rel = graded(rng, n) if trial % 3 else rng.uniform(0, 5, size=n) * (rng.random(n) < 0.6)
        # A non-ideal top k with two grades, and a more relevant listing just below k.
        rel[0], rel[1], rel[k] = 1.0, 2.0, 3.0 if trial % 3 else 6.0
        assert close(_ndcg(student, rel, k), sklearn_ndcg(rel, k)), "Differs from sklearn's ndcg_score."


@pytest.mark.points(1.5)
@pytest.mark.skill("evaluation-metrics")
def test_log2_discount(student, rng):
    """Rank i is divided by log2(i + 1): rank 1 by 1, rank 2 by log2(3), rank 3 by 2, and so on."""
    for _ in range(TRIALS):
        n = int(rng.integers(3, 12))
        rel = binary(rng, n)
        rel[0], rel[1] = 0.0, 1.0
        assert close(_ndcg(student, rel, n), sklearn_ndcg(rel, n)), (
            "Differs from sklearn's ndcg_score on clicked-or-not relevances."
        )


@pytest.mark.points(1)
@pytest.mark.skill("evaluation-metrics")
def test_linear_gain(student, rng):
    """The gain of a listing is its relevance itself, so scaling every relevance leaves NDCG unchanged."""
    for _ in range(TRIALS):
        n = int(rng.integers(3, 12))
        rel = graded(rng, n)
        rel[0], rel[1] = 1.0, 3.0
        factor = float(rng.integers(2, 6))
        assert close(_ndcg(student, rel, n), sklearn_ndcg(rel, n)), ONLY_WITH_RIGHT_VALUES
        assert close(_ndcg(student, rel * factor, n), _ndcg(student, rel, n)), (
            "Scaling every relevance by the same factor changed NDCG."
        )


@pytest.mark.points(1)
@pytest.mark.skill("evaluation-metrics")
def test_ideal_from_all_relevances(student, rng):
    """The ideal DCG sorts all relevances, so a top k that misses a more relevant listing scores below 1."""
    for _ in range(TRIALS):
        k = int(rng.integers(2, 7))
        top = np.sort(rng.integers(0, 3, size=k).astype(np.float64))[::-1]
        top[0] = max(top[0], 1.0)
        tail = graded(rng, int(rng.integers(1, 6)))
        tail[rng.integers(tail.size)] = 3.0
        rel = np.concatenate([top, tail])
        got = _ndcg(student, rel, k)
        assert close(got, sklearn_ndcg(rel, k)), ONLY_WITH_RIGHT_VALUES
        assert np.isfinite(got) and got < 1 - 1e-6, (
            "A top k that misses a more relevant listing below it scored 1."
        )


@pytest.mark.points(0.5)
@pytest.mark.skill("evaluation-metrics")
def test_leaves_input_unchanged(student, rng, source):
    """Does not modify the relevance array it is given (for instance by sorting it in place)."""
    source.unchanged("ndcg_at_k", 0)
    for _ in range(TRIALS):
        n = int(rng.integers(3, 12))
        rel = graded(rng, n)
        rel[0], rel[-1] = 0.0, 3.0
        k = int(rng.integers(1, n + 3))
        assert close(_ndcg(student, rel, k), sklearn_ndcg(rel, k)), ONLY_WITH_RIGHT_VALUES
        after = student.probe(probes.ndcg_input_after_call, rel, k)
        assert isinstance(after, np.ndarray) and np.array_equal(after, rel), (
            "The relevance array was modified."
        )
