"""Hidden tests for `affine_forward`, against torch."""

import pytest

from autograder.backprop.oracle import TRIALS, affine_inputs, affine_torch, close, forward_output


def _check(student, rng, multidimensional):
    for _ in range(TRIALS):
        x, w, b, dout = affine_inputs(rng, multidimensional)
        want = affine_torch(x, w, b, dout)[0]
        assert close(forward_output(student, "affine", [x, w, b], want.shape), want), (
            "The output differs from x @ w + b."
        )


@pytest.mark.points(1)
@pytest.mark.skill("backpropagation")
def test_matches_torch(student, rng):
    """Computes x @ w + b for a batch of row vectors x of shape (N, D)."""
    _check(student, rng, multidimensional=False)


@pytest.mark.points(1)
@pytest.mark.skill("backpropagation")
def test_flattens_each_example(student, rng):
    """Reshapes an input of shape (N, d_1, ..., d_k) into N rows of D = d_1 * ... * d_k features."""
    _check(student, rng, multidimensional=True)
