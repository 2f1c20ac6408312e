"""A background thread connects to the grader's socket before the worker does and says nothing."""

import glob
import os
import socket
import threading
import time

_held = []
_rundir = os.environ.get("PYTHONPATH", "/nonexistent").rsplit("/lib", 1)[0]


def _squat():
    while True:
        for path in glob.glob(os.path.join(_rundir, "grader-*.sock")):
            try:
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                sock.connect(path)
                _held.append(sock)
            except OSError:
                pass
        time.sleep(0.005)


threading.Thread(target=_squat, daemon=True).start()
