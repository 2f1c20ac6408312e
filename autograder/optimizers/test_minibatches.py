"""Hidden tests for `minibatches`: a partition of range(n) in batches, shuffled only by `rng`."""

import numpy as np
import pytest

from autograder.checks import ONLY_WITH_RIGHT_VALUES
from autograder.optimizers import probes
from autograder.student import StudentError


def _batches(value, n):
    if not isinstance(value, list):
        raise StudentError("`minibatches` should return a list of index arrays.")
    for batch in value:
        if not (isinstance(batch, np.ndarray) and batch.ndim == 1 and batch.dtype.kind in "iu"):
            raise StudentError("`minibatches` should return a list of 1-D integer numpy arrays.")
    return value


def _sizes(n, batch_size):
    full, rest = divmod(n, batch_size)
    return [batch_size] * full + ([rest] if rest else [])


def _shapes(rng):
    """(n, batch_size) pairs: a partial last batch, an exact split, full batch and single samples."""
    n = int(rng.integers(20, 80))
    batch_size = int(rng.integers(3, n // 2))
    if n % batch_size == 0:
        n += 1
    exact = batch_size * (max(3, -(-20 // batch_size)) + int(rng.integers(0, 3)))
    return [(n, batch_size), (exact, batch_size), (n, n), (n // 2, 1)]


def _seed(rng):
    return int(rng.integers(2**32))


@pytest.mark.points(0.5)
@pytest.mark.skill("optimization")
def test_in_order_without_rng(student, rng):
    """Without rng the batches are range(n) cut in order into batch_size pieces, the last possibly shorter."""
    for n, batch_size in _shapes(rng):
        got = _batches(student.minibatches(n, batch_size), n)
        want = [np.arange(start, min(start + batch_size, n)) for start in range(0, n, batch_size)]
        assert len(got) == len(want), "Wrong number of batches without rng."
        assert all(np.array_equal(a, b) for a, b in zip(got, want)), (
            "Without rng the batches are not in order."
        )


@pytest.mark.points(0.5)
@pytest.mark.skill("optimization")
def test_partition_with_rng(student, rng):
    """With rng every index appears in exactly one batch and every batch but the last has batch_size items."""
    for n, batch_size in _shapes(rng):
        got = _batches(student.probe(probes.minibatches, n, batch_size, _seed(rng)), n)
        assert [len(b) for b in got] == _sizes(n, batch_size), "With rng the batch sizes are wrong."
        assert np.array_equal(np.sort(np.concatenate(got)), np.arange(n)), (
            "With rng some index is missing or repeated."
        )


@pytest.mark.points(0.5)
@pytest.mark.skill("optimization")
def test_same_generator_state_same_batches(student, rng):
    """The shuffle draws from rng only: two generators in the same state give the same batches."""
    for n, batch_size in _shapes(rng)[:2]:
        seed = _seed(rng)
        first = _batches(student.probe(probes.minibatches, n, batch_size, seed), n)
        right = [len(b) for b in first] == _sizes(n, batch_size) and np.array_equal(
            np.sort(np.concatenate(first)), np.arange(n)
        )
        assert right, ONLY_WITH_RIGHT_VALUES
        second = _batches(student.probe(probes.minibatches, n, batch_size, seed), n)
        assert len(first) == len(second) and all(np.array_equal(a, b) for a, b in zip(first, second)), (
            "Two generators in the same state gave different batches."
        )


@pytest.mark.points(0.5)
@pytest.mark.skill("optimization")
def test_different_generator_states_shuffle_differently(student, rng):
    """Generators in different states give different orders, and none keeps range(n) in order."""
    for n, batch_size in _shapes(rng)[:2]:
        seeds = rng.choice(2**32, size=2, replace=False)
        orders = [
            np.concatenate(_batches(student.probe(probes.minibatches, n, batch_size, int(s)), n))
            for s in seeds
        ]
        assert not np.array_equal(orders[0], orders[1]), "Generators in different states gave the same order."
        assert not any(np.array_equal(order, np.arange(n)) for order in orders), (
            "With rng the order is not shuffled."
        )
