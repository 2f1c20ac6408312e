"""Correct in other ways: a plain-Python NDCG over a list, estimates that round or drop the biases."""

import math

FAILS = {}


def ndcg_at_k(relevance, k):
    rel = [float(r) for r in relevance]

    def dcg(values):
        return sum(r / math.log2(rank + 1) for rank, r in enumerate(values[:k], start=1))

    ideal = dcg(sorted(rel, reverse=True))
    if ideal == 0:
        return 0
    return dcg(rel) / ideal


def log_storage_gb(searches_per_day, impressions_per_search, bytes_per_impression, days=7):
    rows = round(searches_per_day * days * impressions_per_search, -3)
    return rows * bytes_per_impression * 1e-9


def model_size_mb(num_listings, embedding_dim, num_query_features, hidden_size, bytes_per_param=4):
    weights = num_query_features * hidden_size + hidden_size * embedding_dim  # biases are noise here
    return (weights + num_listings * embedding_dim) * bytes_per_param / 1e6
