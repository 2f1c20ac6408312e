"""Counts batch norm's running mean and variance as parameters."""

FAILS = {"test_batchnorm_params": ["scale_and_shift", "without_affine", "returns_an_int"]}


def batchnorm_params(num_features, affine=True):
    return (4 if affine else 2) * num_features
