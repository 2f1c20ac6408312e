"""LinearFunction is not an autograd Function: its apply just computes x @ w + b and lets autograd
differentiate it (the gradients are right, but nothing is hand-written)."""

FAILS = {"test_LinearFunction": ["hand_written_backward"]}


class LinearFunction:
    @staticmethod
    def apply(x, w, b):
        return x @ w + b
