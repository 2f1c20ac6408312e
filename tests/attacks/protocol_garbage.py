"""Replaces the worker with one that answers every request with bytes that are not a message."""

import socket

import autograder.student_side.worker as worker


def _serve(path, namespace, cpu_seconds, token=""):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(path)
    worker.send(sock, token)
    while sock.recv(1 << 16):
        sock.sendall(b"\x00\x00\x00\x00\x00\x00\x00\x10garbage-garbage!")


worker.serve = _serve
