"""Non-answers that hand their inputs back (the input as the output, dout as dx, a constant draw, an
epoch range that never stops, a block that is the identity): they score nothing on any case."""

import numpy as np
from torch import nn

FAILS = {
    "test_batchnorm_forward": [
        "train_output_matches_batchnorm1d",
        "updates_running_statistics",
        "test_mode_uses_running_statistics",
        "train_then_test",
    ],
    "test_batchnorm_backward": [
        "dx_matches_autograd",
        "dgamma_matches_finite_differences",
        "dbeta_matches_autograd",
    ],
    "test_dropout_forward": [
        "values_are_zero_or_scaled",
        "kept_fraction_follows_p",
        "test_mode_returns_x",
        "draws_from_the_given_rng",
    ],
    "test_dropout_backward": ["reuses_the_forward_mask", "test_mode_passes_dout_through"],
    "test_binary_cross_entropy_with_logits": ["matches_torch"],
    "test_binary_cross_entropy_with_logits_stability": ["finite_and_accurate_for_large_logits"],
    "test_init_weights": [
        "xavier_standard_deviation",
        "he_standard_deviation_with_more_inputs",
        "he_standard_deviation_with_more_outputs",
        "draws_from_a_zero_mean_normal",
        "draws_from_the_given_rng",
    ],
    "test_early_stopping": [
        "matches_the_rule",
        "stops_patience_epochs_after_the_last_improvement",
        "equal_loss_is_not_an_improvement",
        "improvements_within_min_delta_do_not_count",
    ],
    "test_ResidualBlock": [
        "has_linear_fc1_and_fc2",
        "forward_matches_torch",
        "gradients_reach_input_and_parameters",
    ],
}


def batchnorm_forward(x, gamma, beta, bn_param):
    return x, (x, gamma, beta)


def batchnorm_backward(dout, cache):
    return dout, cache[1], cache[2]


def dropout_forward(x, dropout_param):
    return x, x


def dropout_backward(dout, cache):
    return dout


def binary_cross_entropy_with_logits(z, y):
    return z


def init_weights(fan_in, fan_out, scheme, rng):
    return np.ones((fan_in, fan_out))


def early_stopping(val_losses, patience, min_delta=0.0):
    return 0, len(val_losses) - 1


class ResidualBlock(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return x
