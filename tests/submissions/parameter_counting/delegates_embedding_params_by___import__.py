"""embedding_params builds nn.Embedding from a module it gets from __import__ with a computed name."""

FAILS = {
    "test_embedding_params": ["one_vector_per_token", "returns_an_int"],
}


def embedding_params(num_embeddings, embedding_dim):
    nn = __import__("torch.nn", fromlist=["Embedding"])
    return nn.Embedding(num_embeddings, embedding_dim, device="meta").weight.numel()
