"""Hidden tests of the case_study assignment: NDCG@k and two back-of-envelope estimates."""

# What each graded name may use (see `autograder.delegation`): NDCG without sklearn, estimates by hand.
RULES = {
    "ndcg_at_k": "numpy",
    "log_storage_gb": "numpy",
    "model_size_mb": "numpy",
}
