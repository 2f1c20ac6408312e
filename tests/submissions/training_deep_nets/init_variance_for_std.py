"""init_weights scales the draws by the variance of the scheme instead of its standard deviation."""

FAILS = {
    "test_init_weights": [
        "xavier_standard_deviation",
        "he_standard_deviation_with_more_inputs",
        "he_standard_deviation_with_more_outputs",
    ]
}


def init_weights(fan_in, fan_out, scheme, rng):
    variance = 2.0 / (fan_in + fan_out) if scheme == "xavier" else 2.0 / fan_in
    return variance * rng.standard_normal((fan_in, fan_out))
