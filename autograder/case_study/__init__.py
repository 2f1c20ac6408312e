"""Hidden tests of the case_study assignment: NDCG@k and two back-of-envelope estimates."""
