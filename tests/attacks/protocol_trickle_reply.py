"""Wraps the worker to send a valid-looking reply one byte every second, forever."""

import socket
import struct
import time

import autograder.student_side.worker as worker


def _serve(path, namespace, cpu_seconds, token=""):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(path)
    worker.send(sock, token)
    while worker.receive(sock, 1 << 30) is not None:
        sock.sendall(struct.pack(">Q", 1000))
        while True:
            sock.sendall(b" ")
            time.sleep(1)


worker.serve = _serve
