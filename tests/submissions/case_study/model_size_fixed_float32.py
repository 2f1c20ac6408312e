"""Always counts 4 bytes a parameter and ignores `bytes_per_param`."""

FAILS = {"test_model_size_mb": ["bytes_per_param"]}


def model_size_mb(num_listings, embedding_dim, num_query_features, hidden_size, bytes_per_param=4):
    params = (num_query_features * hidden_size + hidden_size + hidden_size * embedding_dim + embedding_dim
              + num_listings * embedding_dim)
    return params * 4 / 1e6
