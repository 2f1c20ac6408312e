"""Hidden tests for `numerical_gradient`, against torch autograd and centered differences computed
here, on a smooth function of a multi-dimensional x."""

import numpy as np
import pytest

from autograder.backprop import probes
from autograder.backprop.oracle import (
    TRIALS,
    array,
    centered_differences,
    close,
    smooth,
    smooth_coefficients,
    smooth_gradient,
)
from autograder.checks import ONLY_WITH_RIGHT_VALUES


def _inputs(rng):
    shape = tuple(int(v) for v in rng.integers(2, 5, size=int(rng.integers(1, 4))))
    return (*smooth_coefficients(rng, shape), rng.uniform(-1.0, 1.0, shape))


def _grad(student, a, b, c, x, *h):
    report = student.probe(probes.numerical_gradient_of_smooth, a, b, c, x, *h)
    return array(report["grad"], "The result of `numerical_gradient`", x.shape, "the shape of `x`"), report


@pytest.mark.points(1)
@pytest.mark.skill("backpropagation")
def test_matches_autograd(student, rng):
    """With the default step, gives the gradient of a smooth function, in the shape of x."""
    for _ in range(TRIALS):
        a, b, c, x = _inputs(rng)
        # Loose on purpose: this case checks the value; test_centered_difference checks the error order
        # (a one-sided difference is off by about h f''/2 <= 2e-5 here).
        got = _grad(student, a, b, c, x)[0]
        assert close(got, smooth_gradient(a, b, c, x), rtol=1e-4, atol=1e-4), (
            "Far from the true gradient with the default step."
        )


@pytest.mark.points(1.5)
@pytest.mark.skill("backpropagation")
def test_centered_difference(student, rng):
    """Uses the centered difference (f(x + h) - f(x - h)) / 2h with the step h it is given."""
    for _ in range(TRIALS):
        a, b, c, x = _inputs(rng)
        h = float(rng.uniform(0.02, 0.05))
        got = _grad(student, a, b, c, x, h)[0]
        assert close(got, centered_differences(smooth(a, b, c), x, h)), (
            "Not the centered difference with the step h given."
        )


@pytest.mark.points(0.5)
@pytest.mark.skill("backpropagation")
def test_leaves_x_unchanged(student, rng):
    """Puts every entry of x back: x is unchanged afterwards."""
    for _ in range(TRIALS):
        a, b, c, x = _inputs(rng)
        grad, report = _grad(student, a, b, c, x.copy())
        assert close(grad, smooth_gradient(a, b, c, x), rtol=1e-4, atol=1e-4), ONLY_WITH_RIGHT_VALUES
        after = report["x_after"]
        # Restoring by `x[i] += h` after `x[i] -= 2 * h` may leave an error of an ulp, which is fine.
        assert isinstance(after, np.ndarray) and np.allclose(after, x, rtol=0, atol=1e-12), (
            "x is changed after the call."
        )
