"""One function raises, another forgets to return."""

FAILS = {
    "test_dense_params": ["counts_weights_and_biases", "without_bias", "returns_an_int"],
    "test_embedding_params": ["one_vector_per_token", "returns_an_int"],
}


def dense_params(n_in, n_out, bias=True):
    raise ValueError("not done yet")


def embedding_params(num_embeddings, embedding_dim):
    num_embeddings * embedding_dim
