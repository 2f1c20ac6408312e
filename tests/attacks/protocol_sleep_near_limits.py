"""dense_params sleeps just under the call's wall limit, then computes just under its CPU limit, once each."""

import time

_calls = [0]


def dense_params(n_in, n_out, bias=True):
    _calls[0] += 1
    if _calls[0] == 1:
        time.sleep(7)  # the red-team run allows 8 s of wall time per call
    elif _calls[0] == 2:
        start = time.process_time()
        while time.process_time() - start < 2.5:  # and 3 s of CPU time
            pass
    return n_in * n_out + 1
