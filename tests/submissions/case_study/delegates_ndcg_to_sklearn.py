"""ndcg_at_k calls sklearn.metrics.ndcg_score with scores that rank the list in its order."""

import numpy as np
from sklearn.metrics import ndcg_score

FAILS = {
    "test_ndcg_at_k": [
        "ideal_from_all_relevances", "leaves_input_unchanged", "linear_gain", "log2_discount",
        "matches_sklearn",
    ],
    "test_ndcg_at_k_edge_cases": ["k_beyond_list_length", "nothing_relevant", "ties"],
}


def ndcg_at_k(relevance, k):
    rel = np.asarray(relevance, dtype=np.float64)
    return float(ndcg_score(rel[None, :], np.arange(rel.size, 0, -1)[None, :], k=k))
