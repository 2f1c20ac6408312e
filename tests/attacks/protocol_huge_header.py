"""Wraps the worker to announce a reply of 2**60 bytes, then send almost nothing."""

import socket
import struct

import autograder.student_side.worker as worker


def _serve(path, namespace, cpu_seconds, token=""):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(path)
    worker.send(sock, token)
    while worker.receive(sock, 1 << 30) is not None:
        sock.sendall(struct.pack(">Q", 1 << 60) + b"{")


worker.serve = _serve
