"""dense_params answers differently to repeated requests: right on odd calls, wrong on even ones."""

_calls = [0]


def dense_params(n_in, n_out, bias=True):
    _calls[0] += 1
    right = n_in * n_out + (n_out if bias else 0)
    return right if _calls[0] % 2 else right + 1
