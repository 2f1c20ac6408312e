"""Oracles, checks and input strategies shared by the case-study hidden tests."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import ndcg_score
from torch import nn

from autograder.student import StudentError

RTOL, ATOL = 1e-6, 1e-9
# The notebook tells students that a back-of-envelope estimate within 1% earns the points.
ESTIMATE_RTOL = 1e-2
TRIALS = 10


def as_float(value, name: str) -> float:
    """Returns a real number the student returned as a float, or raises `StudentError`."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise StudentError(f"`{name}` returned {type(value).__name__}; it should return a float.")
    return float(value)


def close(got: float, want: float) -> bool:
    """The contract's float64 tolerance."""
    return bool(np.isclose(got, want, rtol=RTOL, atol=ATOL))


def within_estimate(got: float, want: float) -> bool:
    """Whether an estimate is within the 1% the notebook states."""
    return bool(np.isfinite(got)) and abs(got - want) <= ESTIMATE_RTOL * abs(want)


# NDCG


def sklearn_ndcg(relevance: np.ndarray, k: int) -> float:
    """NDCG@k of one ranked list as sklearn computes it, with scores that rank it in the given order."""
    rel = np.asarray(relevance, dtype=np.float64)
    scores = np.arange(rel.size, 0, -1, dtype=np.float64)
    return float(ndcg_score(rel[None, :], scores[None, :], k=k))


def graded(rng: np.random.Generator, n: int) -> np.ndarray:
    """Relevances 0 (shown) to 3 (booked) of `n` listings."""
    return rng.integers(0, 4, size=n).astype(np.float64)


def binary(rng: np.random.Generator, n: int) -> np.ndarray:
    """Relevances 0 or 1 of `n` listings (clicked or not)."""
    return rng.integers(0, 2, size=n).astype(np.float64)


# Back-of-envelope estimates


def two_tower_mb(
    num_listings: int, embedding_dim: int, num_query_features: int, hidden_size: int, bytes_per_param: int = 4
) -> float:
    """Megabytes of the two-tower model's parameters, counted by torch on the meta device."""
    towers = [
        nn.Linear(num_query_features, hidden_size, device="meta"),
        nn.Linear(hidden_size, embedding_dim, device="meta"),
        nn.Embedding(num_listings, embedding_dim, device="meta"),
    ]
    params = sum(p.numel() for tower in towers for p in tower.parameters())
    return params * bytes_per_param / 1e6


def tower_config(rng: np.random.Generator, table_to_tower: tuple[float, float]) -> dict[str, int]:
    """A two-tower configuration whose embedding table is `table_to_tower` times the query tower.

    With at least 200 query features and an embedding of at least 32, the biases stay under 0.7% of
    the model (a fair thing to leave out of an estimate within 1%), while each weight matrix of the
    query tower is over 1% of it whenever the table is at most 4 times the tower.
    """
    embedding_dim = int(rng.integers(32, 129))
    num_query_features = int(rng.integers(200, 401))
    hidden_size = int(rng.integers(128, 513))
    tower = num_query_features * hidden_size + hidden_size * embedding_dim
    ratio = rng.uniform(*table_to_tower)
    return {
        "num_listings": max(1, round(ratio * tower / embedding_dim)),
        "embedding_dim": embedding_dim,
        "num_query_features": num_query_features,
        "hidden_size": hidden_size,
    }
