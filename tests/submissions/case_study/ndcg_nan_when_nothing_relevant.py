"""Divides by the ideal DCG even when it is 0, so a list with nothing relevant gives NaN."""

import numpy as np

FAILS = {"test_ndcg_at_k_edge_cases": ["nothing_relevant"]}


def ndcg_at_k(relevance, k):
    rel = np.asarray(relevance, dtype=np.float64)
    top = min(k, rel.size)
    discounts = 1.0 / np.log2(np.arange(2, top + 2))
    with np.errstate(invalid="ignore"):
        return float(np.sum(rel[:top] * discounts) / np.sum(np.sort(rel)[::-1][:top] * discounts))
