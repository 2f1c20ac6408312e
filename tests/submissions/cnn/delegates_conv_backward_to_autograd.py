"""conv_backward rebuilds the convolution in PyTorch and asks autograd for the gradients: right
values, but autograd did the backward pass, which earns nothing for the function."""

import torch
import torch.nn.functional as F

FAILS = {"test_conv_backward": ["dx_matches_autograd", "dx_with_stride_and_padding", "dw_matches_autograd",
                                "dw_with_stride_and_padding", "db_matches_autograd"]}


def conv_backward(dout, cache):
    x, w, b, conv_param = cache
    xt, wt, bt = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    out = F.conv2d(xt, wt, bt, stride=conv_param["stride"], padding=conv_param["pad"])
    dx, dw, db = torch.autograd.grad(out, (xt, wt, bt), torch.from_numpy(dout))
    return dx.numpy(), dw.numpy(), db.numpy()
