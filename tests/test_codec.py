"""Only plain data crosses between the grader and the student's code."""

import json

import numpy as np
import pytest

from autograder.student_side import codec


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        3,
        -2.5,
        float("inf"),
        "text",
        [1, [2, 3]],
        (1, "a"),
        {"k": (1.5, None)},
        np.arange(6, dtype=np.float64).reshape(2, 3),
        np.array([1, 2], dtype=np.int32),
        np.float64(0.25),
        np.int64(7),
        np.zeros((0, 3)),
        codec.ModuleSpec(layers=(("Linear", {"in_features": 2, "out_features": 3}),), frozen=(0,)),
    ],
)
def test_round_trip_keeps_value_and_type(value):
    back = codec.decode(codec.encode(value))
    assert type(back) is type(value)
    if isinstance(value, np.ndarray):
        assert back.dtype == value.dtype and back.shape == value.shape
        np.testing.assert_array_equal(back, value)
    elif isinstance(value, np.generic):
        assert back.dtype == value.dtype and back == value
    else:
        assert back == value


class Sneaky:
    def __eq__(self, other):
        return True


@pytest.mark.parametrize(
    "value",
    [
        Sneaky(),
        np.array([Sneaky()], dtype=object),
        {1: "non-string key"},
        lambda: 0,
        np.array(["a"]),
        type("IntLike", (int,), {})(3),
    ],
)
def test_refuses_anything_else(value):
    with pytest.raises(codec.NotPlainData):
        codec.encode(value)


def test_decoding_refuses_unknown_tags_and_object_dtypes():
    with pytest.raises(codec.NotPlainData):
        codec.decode(json.dumps({"__t": "pickle", "v": "gASVAAAAAAAAAAA="}))
    with pytest.raises(codec.NotPlainData):
        codec.decode(json.dumps({"__t": "ndarray", "dtype": "|O", "shape": [1], "v": ""}))
