"""Takes the ideal order from the top k of the ranking instead of sorting all relevances."""

import numpy as np

FAILS = {
    "test_ndcg_at_k": ["ideal_from_all_relevances", "leaves_input_unchanged", "matches_sklearn"],
    "test_ndcg_at_k_edge_cases": ["nothing_relevant"],
}


def ndcg_at_k(relevance, k):
    top = np.asarray(relevance, dtype=np.float64)[:k]
    discounts = 1.0 / np.log2(np.arange(2, top.size + 2))
    dcg = np.sum(top * discounts)
    idcg = np.sum(np.sort(top)[::-1] * discounts)
    return float(dcg / idcg) if idcg > 0 else 0.0
