"""Leaves rank 1 undiscounted and divides rank i >= 2 by log2(i): the discount is one rank late."""

import numpy as np

FAILS = {
    "test_ndcg_at_k": [
        "ideal_from_all_relevances", "leaves_input_unchanged", "linear_gain", "log2_discount",
        "matches_sklearn",
    ],
    "test_ndcg_at_k_edge_cases": ["k_beyond_list_length", "nothing_relevant", "ties"],
}


def ndcg_at_k(relevance, k):
    rel = np.asarray(relevance, dtype=np.float64)

    def dcg(values):
        values = values[:k]
        return values[0] + sum(values[i] / np.log2(i + 1) for i in range(1, len(values)))

    ideal = dcg(np.sort(rel)[::-1])
    return float(dcg(rel) / ideal) if ideal > 0 else 0.0
