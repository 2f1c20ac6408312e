"""Hidden tests for `batchnorm_backward` (on the cache of the student's train-mode `batchnorm_forward`),
against torch autograd through `F.batch_norm` and centered differences of `nn.BatchNorm1d`."""

import pytest

from autograder.student import StudentError
from autograder.training_deep_nets import probes
from autograder.training_deep_nets.oracle import (
    TRIALS,
    affine_params,
    as_array,
    batch,
    batchnorm_gradients,
    batchnorm_loss_in_gamma,
    centered_differences,
    close,
    distinct,
)


def _cases(student, rng):
    """Yields (student's (dx, dgamma, dbeta), inputs) for several shapes and values of eps."""
    for trial in range(TRIALS):
        n, d = distinct(rng, 2, 3, 10)
        x, (gamma, beta), dout = batch(rng, n, d), affine_params(rng, d), rng.standard_normal((n, d))
        eps = float(rng.uniform(0.05, 0.5)) if trial else 1e-5
        grads = student.probe(probes.batchnorm_gradients, x, gamma, beta, {"eps": eps}, dout)
        if not (isinstance(grads, (tuple, list)) and len(grads) == 3):
            raise StudentError("`batchnorm_backward` should return a tuple (dx, dgamma, dbeta).")
        got = (
            as_array(grads[0], "batchnorm_backward", x.shape),
            as_array(grads[1], "batchnorm_backward", gamma.shape),
            as_array(grads[2], "batchnorm_backward", beta.shape),
        )
        yield got, (x, gamma, beta, eps, dout)


@pytest.mark.points(2)
@pytest.mark.skill("backpropagation")
def test_dx_matches_autograd(student, rng):
    """dx is the gradient through the normalisation, whose batch mean and variance depend on x too."""
    for (dx, _, _), (x, gamma, beta, eps, dout) in _cases(student, rng):
        assert close(dx, batchnorm_gradients(x, gamma, beta, eps, dout)[0])


@pytest.mark.points(1)
@pytest.mark.skill("backpropagation")
def test_dgamma_matches_finite_differences(student, rng):
    """dgamma matches centered differences of nn.BatchNorm1d's train-mode output in gamma."""
    for (_, dgamma, _), (x, gamma, beta, eps, dout) in _cases(student, rng):
        want = centered_differences(batchnorm_loss_in_gamma(x, beta, eps, dout), gamma)
        assert close(dgamma, want, atol=1e-8)


@pytest.mark.points(1)
@pytest.mark.skill("backpropagation")
def test_dbeta_matches_autograd(student, rng):
    """dbeta matches torch autograd, shaped like beta."""
    for (_, _, dbeta), (x, gamma, beta, eps, dout) in _cases(student, rng):
        assert close(dbeta, batchnorm_gradients(x, gamma, beta, eps, dout)[2])
