"""dense_params answers differently to repeated requests: right on odd calls, wrong on even ones."""
_calls = [0]


def dense_params(n_in, n_out, bias=True):
    _calls[0] += 1
    return n_in * n_out + (n_out if bias and _calls[0] % 2 else 0)
