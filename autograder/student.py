"""The one door between hidden tests and the student's objects.

Hidden tests receive a `Student` through the `student` fixture and call the graded objects as
`student.dense_params(3, 4)`. Arguments and results cross as plain data (`autograder.codec`), so a
test never holds a student object. Where the student's code runs is the transport's business:
`LocalTransport` calls it in this process (authoring and the project's tests); the sealed grader
(`autograder.sealed`) sends the same requests to the student's sandboxed kernel.

What cannot be asked through plain calls (gradients of a PyTorch function, whether an input was
modified in place, which torch functions a solution calls) is asked through a *probe*:
`student.probe(fn, *args)` runs `fn(namespace, *args)` where the student's code lives and returns
its plain-data result. Probes are module-level functions in `autograder/<assignment>/probes.py`;
they take and return plain data only, and the hidden test checks what they return.

This module runs in the grader; what runs beside the student's code is `autograder.student_side`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

from autograder.student_side import codec
from autograder.student_side.serve import serve_request


class StudentError(Exception):
    """The student's code did not produce a usable answer; the message is shown to the student."""


class Transport(Protocol):
    def request(self, op: str, target: str, payload: str) -> str:
        """Runs one request ("call" a student definition, or "probe") and returns the JSON reply."""


class LocalTransport:
    """Runs requests in this process, on the definitions in `namespace`."""

    def __init__(self, namespace: Mapping[str, Any]):
        self.namespace = namespace

    def request(self, op: str, target: str, payload: str) -> str:
        return serve_request(self.namespace, op, target, payload)


class Student:
    """Calls graded objects by name through a transport (or directly in a namespace)."""

    def __init__(self, where: Mapping[str, Any] | Transport):
        self._transport = where if hasattr(where, "request") else LocalTransport(where)

    @property
    def in_process(self) -> bool:
        """Whether the student's code runs in this process (authoring and the project's tests)."""
        return isinstance(self._transport, LocalTransport)

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda *args, **kwargs: self._send("call", name, name, args, kwargs)

    def probe(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Runs probe `fn(namespace, *args, **kwargs)` beside the student's code; returns its result."""
        return self._send("probe", f"{fn.__module__}:{fn.__name__}", fn.__name__, args, kwargs)

    def _send(self, op: str, target: str, label: str, args: tuple, kwargs: dict) -> Any:
        payload = codec.encode({"args": args, "kwargs": kwargs})
        return decode_reply(label, self._transport.request(op, target, payload))


def decode_reply(name: str, reply: str) -> Any:
    """Returns the result in `reply`, or raises `StudentError` saying what went wrong."""
    try:
        message = codec.decode(reply)
    except (ValueError, codec.NotPlainData):
        raise StudentError(f"`{name}` sent back something the grader cannot read.") from None
    if not isinstance(message, dict):
        raise StudentError(f"`{name}` sent back something the grader cannot read.")
    if "result" in message:
        return message["result"]
    if "missing" in message:
        raise StudentError(f"`{message['missing']}` is not defined: run its cell, and keep its name.")
    if "raised" in message:
        raise StudentError(f"`{name}` raised {message['raised']}.")
    if "failed" in message and isinstance(message["failed"], dict):
        failed = message["failed"]
        function = failed.get("function", name)
        if "raised" in failed:
            raise StudentError(f"`{function}` raised {failed['raised']}.")
        raise StudentError(f"`{function}` returned {failed.get('returned')}, which the grader cannot use.")
    if "timeout" in message:
        raise StudentError(
            f"`{name}` did not finish within its time limit ({message['timeout']:g} seconds of computing)."
        )
    if "crashed" in message:
        raise StudentError(f"`{name}` stopped the Python process ({message['crashed']}).")
    if "garbled" in message:
        raise StudentError(f"`{name}` sent back something the grader cannot read ({message['garbled']}).")
    if "not_called" in message:
        raise StudentError(f"`{name}` was not called again: in an earlier test it {message['not_called']}.")
    if "unreachable" in message:
        raise StudentError(
            f"Your notebook did not let the grader reach your functions: "
            f"{message['unreachable']}. Check that no cell replaces or blocks the "
            "modules the notebook imports."
        )
    if "budget" in message:
        raise StudentError(
            f"Not run: your notebook used up its time budget of {message['budget']:g} "
            "seconds before this test."
        )
    if "unusable" in message:
        raise StudentError(f"`{name}` returned {message['unusable']}.")
    raise StudentError(f"`{name}` sent back something the grader cannot read.")
