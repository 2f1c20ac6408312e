"""batchnorm_backward asks torch autograd for the gradients through F.batch_norm (values right): a numpy
function that delegates to PyTorch earns nothing."""

import torch
import torch.nn.functional as F

FAILS = {
    "test_batchnorm_backward": [
        "dx_matches_autograd",
        "dgamma_matches_finite_differences",
        "dbeta_matches_autograd",
    ]
}


def batchnorm_backward(dout, cache):
    x, gamma, eps = cache
    leaves = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in (x, gamma, gamma * 0)]
    out = F.batch_norm(leaves[0], None, None, leaves[1], leaves[2], training=True, eps=eps)
    out.backward(torch.from_numpy(dout))
    return tuple(leaf.grad.numpy() for leaf in leaves)
