"""Gets the ideal order by sorting the caller's array in place: right value, but the input is changed."""

import numpy as np

FAILS = {"test_ndcg_at_k": ["leaves_input_unchanged"]}


def ndcg_at_k(relevance, k):
    rel = np.asarray(relevance, dtype=np.float64)
    top = min(k, rel.size)
    discounts = 1.0 / np.log2(np.arange(2, top + 2))
    dcg = np.sum(rel[:top] * discounts)
    ideal = rel
    ideal[::-1].sort()
    idcg = np.sum(ideal[:top] * discounts)
    return float(dcg / idcg) if idcg > 0 else 0.0
