"""Tries to reach a server on the grading machine's loopback."""

import socket

try:
    socket.create_connection(("127.0.0.1", PORT), timeout=3).sendall(b"leak")  # noqa: F821
    print("ATTACK-NET connected")
except OSError:
    print("ATTACK-NET refused")
