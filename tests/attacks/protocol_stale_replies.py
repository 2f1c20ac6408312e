"""Wraps the worker to answer each request with the previous request's reply and id (answers out of step)."""

import json
import socket

import autograder.student_side.worker as worker
from autograder.student_side.serve import serve_request


def _serve(path, namespace, cpu_seconds, token=""):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(path)
    worker.send(sock, token)
    last = None
    while True:
        text = worker.receive(sock, 1 << 30)
        if text is None:
            return
        message = json.loads(text)
        if message.get("op") == "done":
            return
        current = {
            "id": message["id"],
            "reply": serve_request(namespace, message["op"], message["target"], message["payload"]),
        }
        worker.send(sock, json.dumps(last or current))
        last = current


worker.serve = _serve
