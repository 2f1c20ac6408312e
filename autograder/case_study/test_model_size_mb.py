"""Hidden tests for `model_size_mb`, a back-of-envelope estimate accepted within the stated 1%."""

import pytest

from autograder.case_study.oracle import (
    ESTIMATE_RTOL,
    TRIALS,
    as_float,
    tower_config,
    two_tower_mb,
    within_estimate,
)


def _check(student, config, **kwargs):
    got = as_float(student.model_size_mb(**config, **kwargs), "model_size_mb")
    want = two_tower_mb(**config, **kwargs)
    assert got >= (1 - ESTIMATE_RTOL) * want, "More than 1% too small: a term that matters is missing."
    assert within_estimate(got, want), "More than 1% too large."


@pytest.mark.points(1)
@pytest.mark.skill("model-size")
def test_embedding_table(student, rng):
    """Counts the listing tower: one vector of embedding_dim values per listing, in MB of 10^6 bytes."""
    for _ in range(TRIALS):
        _check(student, tower_config(rng, (150, 1000)))


@pytest.mark.points(1)
@pytest.mark.skill("model-size")
def test_query_tower(student, rng):
    """Counts both layers of the query tower, which matter when the catalogue is small."""
    for _ in range(TRIALS):
        _check(student, tower_config(rng, (1, 4)))


@pytest.mark.points(1)
@pytest.mark.skill("model-size")
def test_bytes_per_param(student, rng):
    """Uses bytes_per_param (1, 2 or 8 bytes, not only float32's 4)."""
    for _ in range(TRIALS):
        _check(student, tower_config(rng, (150, 1000)), bytes_per_param=int(rng.choice([1, 2, 8])))
