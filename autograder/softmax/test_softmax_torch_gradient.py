"""Hidden tests that gradients flow through `softmax_torch` as through `torch.softmax`."""

import pytest

from autograder.softmax import probes
from autograder.softmax.oracle import close, did_not_raise, distinct_dims, logits, torch_softmax_grad
from autograder.student import StudentError

NO_GRADIENT = (
    "No gradient reaches the input of `softmax_torch`: compute it with differentiable torch "
    "operations only (no numpy, no .detach() of the result, no torch.no_grad())."
)


@pytest.mark.points(0.5)
@pytest.mark.skill("pytorch")
def test_matches_torch_gradient(student, rng):
    """Backpropagating a weighted sum of the outputs gives torch.softmax's gradient, along any dim."""
    for ndim in range(1, 4):
        z = logits(rng, distinct_dims(rng, ndim))
        for dim in range(ndim):
            dim -= ndim * int(rng.integers(2))  # positive or negative
            weights = rng.normal(size=z.shape)
            report = did_not_raise(
                student.probe(probes.softmax_torch_gradient, z, dim, weights), "softmax_torch"
            )
            if report["output_type"] != "Tensor":
                raise StudentError(
                    f"`softmax_torch` returned {report['output_type']}; it should return a torch tensor."
                )
            if report["backward_raised"] or report["grad"] is None:
                raise StudentError(NO_GRADIENT)
            grad = report["grad"]
            assert grad.shape == z.shape, "The gradient reaching the input has the wrong shape."
            assert close(grad, torch_softmax_grad(z, dim, weights)), "Differs from torch.softmax's gradient."
