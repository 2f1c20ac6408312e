"""ndcg_at_k divides two DCGs that a helper in another cell takes from sklearn.metrics.dcg_score."""

import numpy as np
from sklearn import metrics as skm

FAILS = {
    "test_ndcg_at_k": [
        "ideal_from_all_relevances", "leaves_input_unchanged", "linear_gain", "log2_discount",
        "matches_sklearn",
    ],
    "test_ndcg_at_k_edge_cases": ["k_beyond_list_length", "nothing_relevant", "ties"],
}


def dcg(relevance, order, k):
    return skm.dcg_score(np.asarray(relevance, dtype=np.float64)[None, :], np.asarray(order)[None, :], k=k)


def ndcg_at_k(relevance, k):
    rel = np.asarray(relevance, dtype=np.float64)
    ideal = dcg(rel, rel, k)
    return float(dcg(rel, np.arange(rel.size, 0, -1), k) / ideal) if ideal > 0 else 0.0
