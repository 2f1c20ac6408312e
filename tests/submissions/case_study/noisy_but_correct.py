"""Correct, but prints to stderr and raises warnings every time it is called."""

import sys
import warnings

import numpy as np

FAILS = {}


def ndcg_at_k(relevance, k):
    print("debug: ndcg_at_k called", file=sys.stderr)
    warnings.warn("ndcg_at_k: this is a UserWarning from student code")
    rel = np.asarray(relevance, dtype=np.float64)
    top = min(k, rel.size)
    discounts = 1.0 / np.log2(np.arange(2, top + 2))
    idcg = np.sum(np.sort(rel)[::-1][:top] * discounts)
    if idcg == 0:
        np.log(np.zeros(1))  # a RuntimeWarning from numpy
        return 0.0
    return np.sum(rel[:top] * discounts) / idcg


def model_size_mb(num_listings, embedding_dim, num_query_features, hidden_size, bytes_per_param=4):
    warnings.warn("model_size_mb: deprecated-style warning", DeprecationWarning)
    print("estimating", file=sys.stderr)
    params = (num_query_features + 1) * hidden_size + (hidden_size + 1) * embedding_dim
    return (params + num_listings * embedding_dim) * bytes_per_param / 1e6
