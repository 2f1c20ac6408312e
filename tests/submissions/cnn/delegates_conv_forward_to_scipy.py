"""conv_forward hands each image-filter cross-correlation to scipy.signal.correlate: right values,
but another library did the work, which earns nothing for the function."""

import numpy as np
from scipy import signal

FAILS = {"test_conv_forward": ["matches_torch", "zero_padding", "stride", "stride_and_padding"]}


def conv_forward(x, w, b, conv_param):
    stride, pad = conv_param["stride"], conv_param["pad"]
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    full = np.stack([np.stack([signal.correlate(image, kernel, mode="valid")[0] for kernel in w])
                     for image in x_pad])
    return full[:, :, ::stride, ::stride] + b[None, :, None, None], (x, w, b, conv_param)
