"""Uses the exponential gain 2**rel - 1 instead of the linear gain rel that sklearn uses."""

import numpy as np

FAILS = {
    "test_ndcg_at_k": [
        "ideal_from_all_relevances", "leaves_input_unchanged", "linear_gain", "matches_sklearn",
    ],
    "test_ndcg_at_k_edge_cases": ["ties"],
}


def ndcg_at_k(relevance, k):
    gain = 2.0 ** np.asarray(relevance, dtype=np.float64) - 1.0
    top = min(k, gain.size)
    discounts = 1.0 / np.log2(np.arange(2, top + 2))
    dcg = np.sum(gain[:top] * discounts)
    idcg = np.sum(np.sort(gain)[::-1][:top] * discounts)
    return float(dcg / idcg) if idcg > 0 else 0.0
