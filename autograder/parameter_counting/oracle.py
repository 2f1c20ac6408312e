"""Torch oracles and seeded configurations shared by the parameter-counting hidden tests."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch import nn

from autograder.checks import as_int

TRIALS = 12


def count(module: nn.Module, trainable_only: bool = True) -> int:
    """Parameters torch keeps for `module` (buffers are not parameters)."""
    return sum(p.numel() for p in module.parameters() if p.requires_grad or not trainable_only)


def on_meta(cls, *args, **kwargs) -> nn.Module:
    """Builds a torch module without allocating its weights."""
    return cls(*args, **kwargs, device="meta")


def as_count(value: Any, name: str) -> int:
    """A count the student returned: an int, or a float holding a whole number. Only the case
    `returns_an_int` of each function checks the type, so a float costs that small case alone."""
    if isinstance(value, (float, np.floating)) and np.isfinite(value) and float(value).is_integer():
        return int(value)
    return as_int(value, name)


def check_count(got: int, want: int) -> None:
    """Fails a case saying whether the student's count is too low or too high, never by how much."""
    assert got >= want, "The count is too low: something that holds parameters is left out."
    assert got <= want, (
        "The count is too high: it counts something that is not a trainable parameter, "
        "or counts something twice."
    )


def conv_output(n: int, kernel_size: int, stride: int, padding: int, dilation: int) -> int:
    """The spatial size `nn.Conv2d` gives for an `n x n` input."""
    conv = on_meta(nn.Conv2d, 1, 1, kernel_size, stride=stride, padding=padding, dilation=dilation)
    return int(conv(torch.empty(1, 1, n, n, device="meta")).shape[-1])
