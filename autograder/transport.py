"""The grader's end of the conversation with the worker in the student's kernel.

Every wait here has a deadline kept on the grader's side: connecting, each request, and the
notebook's whole budget. A request carries an id and only the reply with that id answers it; after a
request that did not end cleanly (time limit, crash, garbage), the kernel is replaced before the next
one, so no reply can answer a later request. A function that already ran past its limit, crashed the
kernel or sent garbage is not called again: its later cases fail at once, and the functions that
work are still graded within the budget.
"""

from __future__ import annotations

import json
import os
import secrets
import select
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass

from autograder.student_side import codec, worker

POLL_SECONDS = 0.05
HELLO_SECONDS = 2.0  # for a new connection to say it is the grader's worker


@dataclass
class CallLimits:
    """How long one call of student code may take, and how the grader measures it."""

    cpu_seconds: float  # CPU time of the whole sandbox during the call
    wall_seconds: float  # a ceiling for calls that sleep or wait instead of computing
    connect_seconds: float  # for the worker in the kernel to answer the grader's socket


class KernelTransport:
    """Sends the hidden tests' requests to the worker in the student's kernel.

    Args:
        executor: the `SealedExecute` running this notebook: it owns the kernel (`kc`, `restart_kernel`),
            the box (CPU time, `kill_all`), the budget (`seconds_left`) and the log (`note`).
        limits: the per-call limits.
        max_reply_bytes: the largest reply accepted.
    """

    def __init__(self, executor, limits: CallLimits, max_reply_bytes: int):
        self.executor = executor
        self.limits = limits
        self.max_reply_bytes = max_reply_bytes
        self.sock: socket.socket | None = None
        self.unreachable = ""
        self.needs_restart = False
        self.failed: dict[str, str] = {}  # target -> why it is not called again
        self.count = 0

    # -- connecting ------------------------------------------------------------------------------

    def _connect(self) -> None:
        path = os.path.join(self.executor.box.rundir, f"grader-{secrets.token_hex(4)}.sock")
        token = secrets.token_hex(16)
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(path)
        os.chmod(path, 0o777)
        server.listen(64)
        server.setblocking(False)
        code = (
            f"import autograder.student_side.worker as _grader_worker; "
            f"_grader_worker.serve({path!r}, globals(), {self.limits.cpu_seconds!r}, {token!r})"
        )
        msg_id = self.executor.kc.execute(code, silent=True, store_history=False, allow_stdin=False)
        deadline = time.monotonic() + min(self.limits.connect_seconds, self.executor.seconds_left())
        pending: dict[socket.socket, tuple[float, bytes]] = {}  # connections yet to say who they are
        try:
            while True:
                readable, _, _ = select.select([server, *pending], [], [], POLL_SECONDS)
                for ready in readable:
                    if ready is server:
                        connection, _ = server.accept()
                        connection.setblocking(False)
                        pending[connection] = (time.monotonic(), b"")
                        continue
                    opened, heard = pending.pop(ready)
                    try:
                        chunk = ready.recv(4096)
                    except OSError:
                        chunk = b""
                    heard += chunk
                    expected = worker.HEADER.pack(len(token)) + token.encode()
                    if heard == expected:
                        ready.setblocking(True)
                        self.sock = ready
                        return
                    if chunk and expected.startswith(heard):
                        pending[ready] = (opened, heard)
                    else:
                        ready.close()  # not the worker this grader started
                for connection, (opened, _) in list(pending.items()):
                    if time.monotonic() - opened > HELLO_SECONDS:
                        del pending[connection]
                        connection.close()
                if not readable and self.executor.execution_finished(msg_id):
                    self.unreachable = "the code that answers the grader stopped before it started"
                    return
                if time.monotonic() > deadline:
                    self.unreachable = (
                        f"the code that answers the grader did not start within "
                        f"{self.limits.connect_seconds:g} seconds"
                    )
                    return
        finally:
            for connection in pending:
                connection.close()
            server.close()
            os.unlink(path)
            if self.unreachable:
                self.executor.note(
                    f"The grader could not reach the student's functions: {self.unreachable} "
                    "(a solution cell may replace the grader's modules or block the kernel)."
                )

    # -- requests --------------------------------------------------------------------------------

    def request(self, op: str, target: str, payload: str) -> str:
        key = _key(target, payload)
        if key in self.failed:
            return codec.encode({"not_called": self.failed[key]})
        if self.executor.seconds_left() <= 0:
            return codec.encode({"budget": self.executor.notebook_seconds})
        if self.needs_restart:
            self.needs_restart = False
            self.close()
            self.unreachable = ""
            if not self.executor.restart_kernel(reason="after a call that did not end cleanly"):
                self.unreachable = "the kernel could not be restarted"
        if self.sock is None and not self.unreachable:
            self._connect()
        if self.unreachable:
            return codec.encode({"unreachable": self.unreachable})
        outcome = self._exchange(op, target, payload)
        if "reply" in outcome:
            return outcome["reply"]
        self.needs_restart = True
        reason = outcome["failed"]
        self.failed[key] = reason["why"]
        self.executor.note(f"Request {op} {target}: {reason['why']}; the kernel will be restarted.")
        return codec.encode(reason["message"])

    def _exchange(self, op: str, target: str, payload: str) -> dict:
        self.count += 1
        request_id = f"{self.count}-{secrets.token_hex(4)}"
        started_cpu = self.executor.box.cpu_seconds()
        started = time.monotonic()
        wall = min(self.limits.wall_seconds, self.executor.seconds_left())
        grace = 1.0  # the worker's own alarm stops most loops first, at the same CPU limit
        try:
            worker.send(
                self.sock, json.dumps({"id": request_id, "op": op, "target": target, "payload": payload})
            )
        except OSError as error:
            return _failed(f"sending failed ({type(error).__name__})", {"crashed": "the kernel stopped"})

        def over_limit() -> dict | None:
            if self.executor.box.cpu_seconds() - started_cpu > self.limits.cpu_seconds + grace:
                return _failed("ran past its CPU time limit", {"timeout": self.limits.cpu_seconds})
            if time.monotonic() - started > wall:
                if self.executor.seconds_left() <= 0:
                    return _failed(
                        "the notebook's time budget ran out", {"budget": self.executor.notebook_seconds}
                    )
                return _failed("ran past its wall-time limit", {"timeout": self.limits.cpu_seconds})
            return None

        while True:
            try:
                text = _receive(self.sock, self.max_reply_bytes, over_limit)
            except _LimitHit as hit:
                self.executor.box.kill_all()
                return hit.outcome
            except (OSError, ValueError, UnicodeDecodeError) as error:
                return _failed(
                    f"the reply was unreadable ({type(error).__name__})",
                    {"garbled": "the reply could not be read"},
                )
            if text is None:
                return _failed(
                    "the kernel stopped during the call", {"crashed": "os._exit, a crash or the memory limit"}
                )
            try:
                message = json.loads(text)
            except ValueError:
                return _failed("the reply was not JSON", {"garbled": "the reply could not be read"})
            if not isinstance(message, dict) or message.get("id") != request_id:
                return _failed("a reply answered another request", {"garbled": "a reply was out of step"})
            reply = message.get("reply")
            if not isinstance(reply, str):
                return _failed("the reply had no answer", {"garbled": "the reply could not be read"})
            if time.monotonic() - started > wall:
                return _failed("ran past its wall-time limit", {"timeout": self.limits.cpu_seconds})
            return {"reply": reply}

    def close(self) -> None:
        if self.sock is not None:
            try:
                self.sock.settimeout(1.0)
                worker.send(self.sock, json.dumps({"op": "done"}))
            except OSError:
                pass
            self.sock.close()
            self.sock = None


def _key(target: str, payload: str) -> str:
    """What a failure is remembered by: the target, and the student function a probe names first."""
    try:
        args = codec.decode(payload).get("args", ())
    except (ValueError, codec.NotPlainData, AttributeError):
        args = ()
    named = next((arg for arg in args if isinstance(arg, str)), "")
    return f"{target}|{named}"


class _LimitHit(Exception):
    def __init__(self, outcome: dict):
        super().__init__(outcome["failed"]["why"])
        self.outcome = outcome


def _failed(why: str, message: dict) -> dict:
    return {"failed": {"why": why, "message": message}}


def _receive(sock: socket.socket, limit: int, over_limit: Callable[[], dict | None]) -> str | None:
    """One message (see `worker.receive`), polling `over_limit` while waiting; None when the peer closed."""

    def wait() -> None:
        while not select.select([sock], [], [], POLL_SECONDS)[0]:
            outcome = over_limit()
            if outcome is not None:
                raise _LimitHit(outcome)

    return worker.receive(sock, limit, wait)
