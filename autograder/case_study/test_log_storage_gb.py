"""Hidden tests for `log_storage_gb`, a back-of-envelope estimate accepted within the stated 1%."""

import pytest

from autograder.case_study.oracle import TRIALS, as_float, within_estimate


def _config(rng):
    return (int(rng.integers(100_000, 10_000_001)), int(rng.integers(10, 51)), int(rng.integers(50, 501)))


@pytest.mark.points(1)
@pytest.mark.skill("model-size")
def test_decimal_gigabytes(student, rng):
    """A week of impression rows (searches x listings shown x bytes a row), in GB of 10^9 bytes."""
    for _ in range(TRIALS):
        searches, shown, size = _config(rng)
        got = as_float(student.log_storage_gb(searches, shown, size), "log_storage_gb")
        assert within_estimate(got, searches * shown * size * 7 / 1e9), "More than 1% off for a week of logs."


@pytest.mark.points(1)
@pytest.mark.skill("model-size")
def test_uses_days(student, rng):
    """Grows with the number of days of logs kept, which is not always a week."""
    for _ in range(TRIALS):
        searches, shown, size = _config(rng)
        days = int(rng.choice([1, 2, 3, 14, 30, 90]))
        got = as_float(student.log_storage_gb(searches, shown, size, days=days), "log_storage_gb")
        assert within_estimate(got, searches * shown * size * days / 1e9), (
            "More than 1% off when the logs are kept for other than a week."
        )
