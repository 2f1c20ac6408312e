"""Hidden tests for the scores of `two_layer_net` (y=None), against torch."""

import pytest

from autograder.backprop.oracle import TRIALS, array, close, net_inputs, net_scores


@pytest.mark.points(1)
@pytest.mark.skill("backpropagation")
def test_scores_match_torch(student, rng):
    """Without labels, returns the class scores of affine - relu - affine, one row per example."""
    for _ in range(TRIALS):
        X, _, params = net_inputs(rng)
        want = net_scores(X, params)
        got = array(
            student.two_layer_net(X, params),
            "The scores from `two_layer_net`",
            want.shape,
            "one row per example and one column per class",
        )
        assert close(got, want), "The scores differ from affine - relu - affine."
