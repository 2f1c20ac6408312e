"""dense_params ignores the time-limit signal and never returns."""

import signal


def dense_params(n_in, n_out, bias=True):
    signal.signal(signal.SIGALRM, signal.SIG_IGN)
    while True:
        try:
            pass
        except BaseException:
            pass
