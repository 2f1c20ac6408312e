"""The student's side of sealed grading: answers the grader's requests inside the student's kernel.

The sealed grader starts `serve` in the kernel once the notebook has run. It connects to the
grader's socket and answers each request by calling the student's definitions
(`serve.serve_request`), then returns when the grader says it is done. Each reply carries the id
of its request. Nothing here decides a score: the grader checks every reply and keeps the time.
"""

from __future__ import annotations

import contextlib
import io
import json
import signal
import socket
import struct
from collections.abc import Callable, Mapping
from typing import Any

from autograder.student_side import codec
from autograder.student_side.serve import TimeLimitExceeded, serve_request

HEADER = struct.Struct(">Q")


def send(sock: socket.socket, text: str) -> None:
    """Sends one length-prefixed message."""
    data = text.encode("utf-8")
    sock.sendall(HEADER.pack(len(data)) + data)


def receive(sock: socket.socket, limit: int, wait: Callable[[], None] | None = None) -> str | None:
    """Receives one length-prefixed message of at most `limit` bytes; None when the peer closed.

    `wait`, when given, is called before each read and returns once the socket has data (the
    grader's side uses it to keep its deadlines while it waits).
    """
    header = _exactly(sock, HEADER.size, wait)
    if header is None:
        return None
    (size,) = HEADER.unpack(header)
    if size > limit:
        raise ValueError(f"message of {size} bytes exceeds the limit of {limit}")
    data = _exactly(sock, size, wait)
    return None if data is None else data.decode("utf-8")


def _exactly(sock: socket.socket, size: int, wait: Callable[[], None] | None) -> bytes | None:
    chunks, remaining = [], size
    while remaining:
        if wait is not None:
            wait()
        chunk = sock.recv(min(remaining, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _expire(signum, frame):
    raise TimeLimitExceeded()


def serve(path: str, namespace: Mapping[str, Any], cpu_seconds: float, token: str = "") -> None:
    """Answers requests on the grader's socket at `path` until the grader is done.

    The first message is `token`, which tells the grader this connection is the one it started.

    Each call gets `cpu_seconds` of CPU time (the grader enforces the same limit from outside; this
    alarm only spares the kernel a restart when the student's code can be interrupted).
    """
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(path)
    send(sock, token)
    previous = signal.signal(signal.SIGPROF, _expire)
    try:
        while True:
            text = receive(sock, 1 << 30)
            if text is None:
                return
            message = json.loads(text)
            if message.get("op") == "done":
                return
            sink = io.StringIO()
            try:
                with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
                    signal.setitimer(signal.ITIMER_PROF, cpu_seconds)
                    try:
                        reply = serve_request(namespace, message["op"], message["target"], message["payload"])
                    finally:
                        signal.setitimer(signal.ITIMER_PROF, 0)
            except (TimeLimitExceeded, KeyboardInterrupt):
                reply = codec.encode({"timeout": cpu_seconds})
            send(sock, json.dumps({"id": message.get("id"), "reply": reply}))
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
        sock.close()
