"""Counts only the query tower's layers and forgets the listing embedding table, the bulk of the model."""

FAILS = {"test_model_size_mb": ["embedding_table", "query_tower", "bytes_per_param"]}


def model_size_mb(num_listings, embedding_dim, num_query_features, hidden_size, bytes_per_param=4):
    params = (num_query_features + 1) * hidden_size + (hidden_size + 1) * embedding_dim
    return params * bytes_per_param / 1e6
