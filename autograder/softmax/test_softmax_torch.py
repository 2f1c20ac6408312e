"""Hidden tests for `softmax_torch`: values against `torch.softmax`, which it must not call."""

import numpy as np
import pytest

from autograder.checks import ONLY_WITH_RIGHT_VALUES
from autograder.softmax import probes
from autograder.softmax.oracle import (
    TRIALS,
    batch_shape,
    close,
    did_not_raise,
    distinct_dims,
    logits,
    tensor_output,
    torch_softmax,
)


@pytest.mark.points(0.75)
@pytest.mark.skill("pytorch")
def test_matches_torch_along_any_dim(student, rng):
    """Tensors of 1 to 4 dimensions, normalized along the default dim and every dim given."""
    for ndim in range(1, 5):
        z = logits(rng, distinct_dims(rng, ndim))
        report = student.probe(probes.run_softmax_torch, z)
        assert close(tensor_output(report, z.shape), torch_softmax(z, -1)), (
            "Differs from torch.softmax with the default dim."
        )
        for dim in range(-ndim, ndim):
            report = student.probe(probes.run_softmax_torch, z, dim)
            assert close(tensor_output(report, z.shape), torch_softmax(z, dim)), (
                "Differs from torch.softmax along a dim given."
            )


# Every built-in softmax and log-softmax (torch.softmax, F.softmax, F.log_softmax, Tensor.softmax,
# nn.Softmax, torch.special.softmax, F.gumbel_softmax, torch._softmax, torch.ops.aten._softmax, ...)
# shows as a torch function whose name contains "softmax"; F.softmin is softmax(-z).
# (A TorchDispatchMode would also see ATen operators, but it imports torch's decompositions the first
# time some operators run under it, which takes seconds.)
@pytest.mark.points(2)
@pytest.mark.skill("pytorch")
def test_calls_no_builtin_softmax(student, rng):
    """softmax_torch is built from elementary operations, without any built-in softmax or log-softmax."""
    for ndim in (2, 3):
        z = logits(rng, distinct_dims(rng, ndim))
        for dim in (-1, 0):
            got = tensor_output(student.probe(probes.run_softmax_torch, z, dim), z.shape)
            assert close(got, torch_softmax(z, dim)), ONLY_WITH_RIGHT_VALUES
            # Decided from the submitted source (`RULES` in autograder/softmax/__init__.py); the calls
            # traced beside the student's code can only fail the case.
            report = student.probe(probes.torch_calls_of_softmax_torch, z, dim)
            did_not_raise(report, "softmax_torch")
            calls = [call.lower() for call in report["calls"]]
            assert not any("softmax" in call or "softmin" in call for call in calls), (
                "Calls a built-in softmax, log-softmax or softmin."
            )


@pytest.mark.points(0.25)
@pytest.mark.skill("pytorch")
def test_leaves_input_unchanged(student, rng, source):
    """softmax_torch does not modify the tensor it is given."""
    source.unchanged("softmax_torch", 0)
    for _ in range(TRIALS):
        z = logits(rng, batch_shape(rng))
        report = did_not_raise(student.probe(probes.run_softmax_torch, z), "softmax_torch")
        assert close(tensor_output(report, z.shape), torch_softmax(z)), ONLY_WITH_RIGHT_VALUES
        assert np.array_equal(report["input_after"], z), "The input tensor was modified."
