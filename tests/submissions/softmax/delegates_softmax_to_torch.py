"""softmax converts to a tensor and calls torch.softmax: right values, but torch did the work."""

import torch

FAILS = {
    "test_softmax": ["along_any_axis", "leaves_input_unchanged", "matches_torch_on_rows"],
    "test_softmax_stability": ["large_logits", "rows_of_different_scale"],
}


def softmax(z, axis=-1):
    return torch.softmax(torch.from_numpy(z), dim=axis).numpy()
