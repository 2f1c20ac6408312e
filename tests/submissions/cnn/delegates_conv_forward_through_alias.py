"""conv_forward reaches F.conv2d through an import by another name and a nested helper, so that no
`F.conv2d` appears in its body: still a delegation, which earns nothing for the function."""

import numpy as np
from torch import from_numpy as tensor
from torch.nn.functional import conv2d as correlate

FAILS = {"test_conv_forward": ["matches_torch", "zero_padding", "stride", "stride_and_padding"]}


def conv_forward(x, w, b, conv_param):
    def slide(images, filters, biases, step, border):
        return correlate(tensor(images), tensor(filters), tensor(biases), stride=step, padding=border).numpy()

    out = slide(x, w, b, conv_param["stride"], conv_param["pad"])
    return np.array(out), (x, w, b, conv_param)
