"""ndcg_at_k imports sklearn.metrics by a computed name and calls its ndcg_score."""

import importlib

import numpy as np

FAILS = {
    "test_ndcg_at_k": [
        "ideal_from_all_relevances", "leaves_input_unchanged", "linear_gain", "log2_discount",
        "matches_sklearn",
    ],
    "test_ndcg_at_k_edge_cases": ["k_beyond_list_length", "nothing_relevant", "ties"],
}


def ndcg_at_k(relevance, k):
    metrics = importlib.import_module("sk" + "learn.metrics")
    rel = np.asarray(relevance, dtype=np.float64)
    return float(metrics.ndcg_score(rel[None, :], np.arange(rel.size, 0, -1)[None, :], k=k))
