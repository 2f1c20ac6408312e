"""Hidden tests for `affine_backward` (on the cache of the student's `affine_forward`), against torch
autograd."""

import pytest

from autograder.backprop import probes
from autograder.backprop.oracle import TRIALS, affine_inputs, affine_torch, array, close
from autograder.student import StudentError


def _gradients(student, rng, multidimensional):
    """Yields the student's (dx, dw, db), unchecked, with torch's and the inputs, for several trials."""
    for _ in range(TRIALS):
        x, w, b, dout = affine_inputs(rng, multidimensional)
        grads = student.probe(probes.layer_backward, "affine", [x, w, b], dout)["grads"]
        if not (isinstance(grads, (tuple, list)) and len(grads) == 3):
            raise StudentError("`affine_backward` should return a tuple (dx, dw, db).")
        yield grads, affine_torch(x, w, b, dout)[1:], (x, w, b)


@pytest.mark.points(1)
@pytest.mark.skill("backpropagation")
def test_dx_matches_torch(student, rng):
    """dx is the upstream gradient times the transposed weights, for x of shape (N, D)."""
    for (dx, _, _), (want, _, _), (x, _, _) in _gradients(student, rng, multidimensional=False):
        assert close(array(dx, "`dx` from `affine_backward`", x.shape, "the shape of `x`"), want), (
            "Wrong dx for two-dimensional x."
        )


@pytest.mark.points(1)
@pytest.mark.skill("backpropagation")
def test_dx_has_the_shape_of_x(student, rng):
    """For x of shape (N, d_1, ..., d_k), dx has that same shape (and the right values)."""
    for (dx, _, _), (want, _, _), (x, _, _) in _gradients(student, rng, multidimensional=True):
        assert close(array(dx, "`dx` from `affine_backward`", x.shape, "the shape of `x`"), want), (
            "Right shape, wrong values of dx for x with several dimensions per example."
        )


@pytest.mark.points(1)
@pytest.mark.skill("backpropagation")
def test_dw_matches_torch(student, rng):
    """dw is the flattened input transposed times the upstream gradient, shaped like w."""
    for (_, dw, _), (_, want, _), (_, w, _) in _gradients(student, rng, multidimensional=True):
        assert close(array(dw, "`dw` from `affine_backward`", w.shape, "the shape of `w`"), want), "Wrong dw."


@pytest.mark.points(1)
@pytest.mark.skill("backpropagation")
def test_db_sums_over_the_batch(student, rng):
    """db adds up the upstream gradient over the N examples of the batch, shaped like b."""
    for (_, _, db), (_, _, want), (_, _, b) in _gradients(student, rng, multidimensional=False):
        assert close(array(db, "`db` from `affine_backward`", b.shape, "the shape of `b`"), want), "Wrong db."
