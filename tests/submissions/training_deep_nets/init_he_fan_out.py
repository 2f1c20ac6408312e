"""init_weights uses fan_out instead of fan_in for He initialisation."""

import numpy as np

FAILS = {
    "test_init_weights": ["he_standard_deviation_with_more_inputs", "he_standard_deviation_with_more_outputs"]
}


def init_weights(fan_in, fan_out, scheme, rng):
    std = np.sqrt(2.0 / (fan_in + fan_out)) if scheme == "xavier" else np.sqrt(2.0 / fan_out)
    return rng.normal(0.0, std, size=(fan_in, fan_out))
