"""Right numbers, wrong type: returns floats where an int is asked for."""

FAILS = {"test_embedding_params": ["returns_an_int"]}


def embedding_params(num_embeddings, embedding_dim):
    return float(num_embeddings * embedding_dim)
