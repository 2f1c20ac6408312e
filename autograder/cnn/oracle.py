"""Oracles, input strategies and answer checks shared by the cnn hidden tests.

Expected values come from PyTorch in float64, computed here on inputs drawn from the test's seeded
`rng`: `F.conv2d` and `F.max_pool2d` for the forward passes, autograd for the backward passes, and
autograd through a stack of convolutions for the receptive field. Shapes are non-square with N > 1
and sizes that differ from axis to axis, so a swapped axis or a missing sum shows.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from autograder.checks import as_array
from autograder.cnn import probes
from autograder.student import StudentError

TRIALS = 3


# talking to the student's code -------------------------------------------------------------------


def forward_out(student, layer: str, inputs: list, shape: tuple[int, ...]) -> np.ndarray:
    """The `out` of the student's `<layer>_forward(*inputs)`, checked to be a float array of `shape`."""
    report = student.probe(probes.layer_forward, layer, inputs)
    if "out" not in report:
        raise StudentError(
            f"`{layer}_forward` returned a {report['type']}; it should return a pair (out, cache)."
        )
    return as_array(report["out"], f"{layer}_forward", shape)


def backward_grads(student, layer: str, inputs: list, dout: np.ndarray, count: int) -> Any:
    """What the student's `<layer>_backward(dout, cache)` returned on the cache of its own forward
    pass: a tuple of `count` items when `count` > 1 (items unchecked), else the one answer."""
    grads = student.probe(probes.layer_backward, layer, inputs, dout)["grads"]
    if count > 1 and not (isinstance(grads, (tuple, list)) and len(grads) == count):
        raise StudentError(f"`{layer}_backward` should return a tuple of {count} arrays.")
    return grads


def grad_array(value: Any, name: str, like: np.ndarray) -> np.ndarray:
    """A gradient as a float array shaped like the array it is the gradient of, or a StudentError."""
    return as_array(value, name, like.shape)


# inputs ------------------------------------------------------------------------------------------


def distinct(rng: np.random.Generator, count: int, low: int, high: int) -> list[int]:
    """`count` different sizes in [low, high): no two axes can be confused."""
    return [int(v) for v in rng.choice(np.arange(low, high), size=count, replace=False)]


def conv_inputs(rng: np.random.Generator, stride: int, pad: int):
    """(x, w, b, conv_param, dout) for a convolution with this stride and padding.

    N, C and F differ, as do H and W (one of them odd) and HH and WW (both at least 2, so a flipped
    kernel differs from the kernel), and the padded input is at least one pixel larger than the
    kernel along each axis, so the stride changes the output size.
    """
    n, c, f = distinct(rng, 3, 2, 6)
    hh, ww = distinct(rng, 2, 2, 5)
    h, w = distinct(rng, 2, 5, 12)
    if h % 2 == 0 and w % 2 == 0:
        h += 1
    x = rng.standard_normal((n, c, h, w))
    weights = rng.standard_normal((f, c, hh, ww))
    bias = rng.standard_normal(f)
    conv_param = {"stride": stride, "pad": pad}
    out_shape = conv_torch(x, weights, bias, conv_param)[0].shape
    return x, weights, bias, conv_param, rng.standard_normal(out_shape)


def distinct_values(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Random values in about [-2, 2], all different by at least 1 / size: no window has a tie."""
    size = int(np.prod(shape))
    ranks = rng.permutation(size) + rng.uniform(0.1, 0.9, size)
    return (4.0 * ranks / size - 2.0).reshape(shape)


def pool_inputs(
    rng: np.random.Generator,
    pool_height: int,
    pool_width: int,
    stride: int,
    height: int,
    width: int,
    shared_maximum: bool = False,
):
    """(x, pool_param, dout) with N != C, no ties within any window and a random upstream gradient.

    With `shared_maximum`, each (n, c) slice gets its largest value where two neighbouring windows
    overlap, so that one input is the maximum of several windows (the windows must overlap).
    """
    n, c = distinct(rng, 2, 2, 5)
    x = distinct_values(rng, (n, c, height, width))
    if shared_maximum:
        if not stride < min(pool_height, pool_width):
            raise ValueError("a shared maximum needs windows that overlap along both axes")
        top = x.max()
        for i in range(n):
            for j in range(c):
                row = int(rng.integers(stride, pool_height))
                col = int(rng.integers(stride, pool_width))
                x[i, j, row, col] = top + 1.0 + i * c + j
    pool_param = {"pool_height": pool_height, "pool_width": pool_width, "stride": stride}
    out_shape = pool_torch(x, pool_param)[0].shape
    return x, pool_param, rng.standard_normal(out_shape)


# oracles -----------------------------------------------------------------------------------------


def _leaf(a: np.ndarray) -> torch.Tensor:
    return torch.tensor(np.asarray(a, dtype=np.float64), requires_grad=True)


def conv_torch(x, w, b, conv_param, dout=None):
    """out of F.conv2d(x, w, b, stride, padding=pad) and, given dout, dx, dw and db by autograd."""
    xt, wt, bt = _leaf(x), _leaf(w), _leaf(b)
    out = F.conv2d(xt, wt, bt, stride=conv_param["stride"], padding=conv_param["pad"])
    if dout is None:
        return (out.detach().numpy(),)
    out.backward(torch.from_numpy(np.asarray(dout, dtype=np.float64)))
    return out.detach().numpy(), xt.grad.numpy(), wt.grad.numpy(), bt.grad.numpy()


def pool_torch(x, pool_param, dout=None):
    """out of F.max_pool2d(x, (pool_height, pool_width), stride) and, given dout, dx by autograd."""
    xt = _leaf(x)
    out = F.max_pool2d(xt, (pool_param["pool_height"], pool_param["pool_width"]), stride=pool_param["stride"])
    if dout is None:
        return (out.detach().numpy(),)
    out.backward(torch.from_numpy(np.asarray(dout, dtype=np.float64)))
    return out.detach().numpy(), xt.grad.numpy()


def receptive_field_torch(layers: list[tuple[int, int]]) -> int:
    """The side of the input region that reaches one output unit of a stack of convolutions.

    Builds the stack as `F.conv2d` layers with positive weights on an input of ones, just large
    enough for at least one output unit, backpropagates from output unit (0, 0) and measures the
    extent of the input pixels whose gradient is not zero.
    """
    side = 1
    while True:
        x = torch.ones(1, 1, side, side, dtype=torch.float64, requires_grad=True)
        h = x
        for kernel_size, stride in layers:
            if h.shape[-1] < kernel_size:
                break
            h = F.conv2d(h, torch.ones(1, 1, kernel_size, kernel_size, dtype=torch.float64), stride=stride)
        else:
            break
        side *= 2
    h[0, 0, 0, 0].backward()
    reached = x.grad[0, 0] != 0
    rows = torch.nonzero(reached.any(dim=1)).flatten()
    cols = torch.nonzero(reached.any(dim=0)).flatten()
    extent = int(rows.max() - rows.min()) + 1
    if extent != int(cols.max() - cols.min()) + 1:
        raise RuntimeError("the receptive field of a stack of square kernels should be square")
    return extent
