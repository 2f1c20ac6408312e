"""Plain data between the grader and the student's code.

Everything that crosses between the hidden tests and the student's objects goes through
`encode` and `decode`: numbers, strings, None, lists, tuples, dicts with string keys, numpy
arrays and scalars of numeric dtypes, and `ModuleSpec` recipes for PyTorch modules. The
encoded form is JSON, so nothing executes on load, and decoding checks every tag.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np

_NUMERIC_KINDS = "biufc"


class NotPlainData(TypeError):
    """A value that cannot cross between the student's code and the grader."""


@dataclass(frozen=True)
class ModuleSpec:
    """A recipe for a PyTorch module, rebuilt on whichever side runs the student's code.

    Attributes:
        layers: `(class name in torch.nn, keyword arguments)` pairs, stacked in an `nn.Sequential`.
        frozen: indices of layers whose parameters get `requires_grad=False`.
    """

    layers: tuple[tuple[str, dict], ...]
    frozen: tuple[int, ...] = field(default=())

    def build(self):
        """Returns the `nn.Sequential` this spec describes (weights seeded, values irrelevant)."""
        import torch
        from torch import nn

        torch.manual_seed(0)
        modules = []
        for index, (name, kwargs) in enumerate(self.layers):
            module = getattr(nn, name)(**kwargs)
            if index in self.frozen:
                module.requires_grad_(False)
            modules.append(module)
        return nn.Sequential(*modules)


def _to_tree(value: Any) -> Any:
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)) and type(value) in (int, float):
        return value
    if isinstance(value, np.generic) and value.dtype.kind in _NUMERIC_KINDS:
        return {"__t": "scalar", "dtype": value.dtype.str, "v": _array_payload(np.asarray(value))}
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in _NUMERIC_KINDS:
            raise NotPlainData(f"a numpy array of dtype {value.dtype} is not plain data")
        return {
            "__t": "ndarray",
            "dtype": value.dtype.str,
            "shape": list(value.shape),
            "v": _array_payload(value),
        }
    if type(value) is list:
        return [_to_tree(item) for item in value]
    if type(value) is tuple:
        return {"__t": "tuple", "v": [_to_tree(item) for item in value]}
    if type(value) is dict:
        if not all(type(key) is str for key in value):
            raise NotPlainData("a dict whose keys are not all strings is not plain data")
        return {"__t": "dict", "v": {key: _to_tree(item) for key, item in value.items()}}
    if type(value) is ModuleSpec:
        return {
            "__t": "module",
            "layers": [[name, _to_tree(kwargs)] for name, kwargs in value.layers],
            "frozen": list(value.frozen),
        }
    raise NotPlainData(f"an object of type {type(value).__name__} is not plain data")


def _array_payload(array: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(array).tobytes()).decode("ascii")


def _from_tree(tree: Any) -> Any:
    if tree is None or isinstance(tree, (bool, int, float, str)):
        return tree
    if isinstance(tree, list):
        return [_from_tree(item) for item in tree]
    if not isinstance(tree, dict):
        raise NotPlainData(f"unexpected {type(tree).__name__} in encoded data")
    tag = tree.get("__t")
    if tag in ("ndarray", "scalar"):
        dtype = np.dtype(tree["dtype"])
        if dtype.kind not in _NUMERIC_KINDS:
            raise NotPlainData(f"dtype {dtype} is not plain data")
        raw = base64.b64decode(tree["v"].encode("ascii"), validate=True)
        if tag == "scalar":
            return np.frombuffer(raw, dtype=dtype)[0]
        shape = tuple(int(n) for n in tree["shape"])
        return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
    if tag == "tuple":
        return tuple(_from_tree(item) for item in tree["v"])
    if tag == "dict":
        return {str(key): _from_tree(item) for key, item in tree["v"].items()}
    if tag == "module":
        layers = tuple((str(name), _from_tree(kwargs)) for name, kwargs in tree["layers"])
        return ModuleSpec(layers=layers, frozen=tuple(int(i) for i in tree["frozen"]))
    raise NotPlainData(f"unknown tag {tag!r} in encoded data")


def encode(value: Any) -> str:
    """Returns `value` as JSON text; raises `NotPlainData` for anything else."""
    return json.dumps(_to_tree(value), allow_nan=True)


def decode(text: str) -> Any:
    """Returns the value `encode` turned into `text`."""
    return _from_tree(json.loads(text))
