"""model_size_mb builds the two towers as torch modules on the meta device and counts their parameters."""

import torch.nn as layers

FAILS = {
    "test_model_size_mb": ["bytes_per_param", "embedding_table", "query_tower"],
}


def model_size_mb(num_listings, embedding_dim, num_query_features, hidden_size, bytes_per_param=4):
    towers = layers.ModuleList([layers.Linear(num_query_features, hidden_size, device="meta"),
                                layers.Linear(hidden_size, embedding_dim, device="meta"),
                                layers.Embedding(num_listings, embedding_dim, device="meta")])
    return sum(p.numel() for p in towers.parameters()) * bytes_per_param / 1e6
