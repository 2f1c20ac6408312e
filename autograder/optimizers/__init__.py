"""Hidden tests of the optimizers assignment: update rules, mini-batches and a from-scratch Adam."""
