"""max_pool_backward runs F.max_pool2d on a tensor and calls .backward(): right values, but autograd
did the backward pass, which earns nothing for the function."""

import torch
import torch.nn.functional as F

FAILS = {"test_max_pool_backward": ["matches_autograd", "overlapping_windows"]}


def max_pool_backward(dout, cache):
    x, pool_param = cache
    xt = torch.tensor(x, requires_grad=True)
    out = F.max_pool2d(xt, (pool_param["pool_height"], pool_param["pool_width"]), stride=pool_param["stride"])
    out.backward(torch.from_numpy(dout))
    return xt.grad.numpy()
