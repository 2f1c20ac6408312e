"""The one door between hidden tests and the student's objects.

Hidden tests receive a `Student` through the `student` fixture and call the graded objects as
`student.dense_params(3, 4)`. Arguments and results cross as plain data (`autograder.codec`), so a
test never holds a student object and the transport can move out of the student's process without
touching the tests.

What cannot be asked through plain calls (gradients of a PyTorch function, whether an input was
modified in place, which torch functions a solution calls) is asked through a *probe*:
`student.probe(fn, *args)` runs `fn(namespace, *args)` where the student's code lives and returns
its plain-data result. Probes are module-level functions in `autograder/<assignment>/probes.py`;
they must take and return plain data only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from autograder import codec


class StudentError(Exception):
    """The student's code did not produce a usable answer; the message is shown to the student."""


class Student:
    """Calls graded objects by name in a namespace that holds the student's definitions."""

    def __init__(self, namespace: Mapping[str, Any]):
        self._namespace = namespace

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda *args, **kwargs: self._call(name, args, kwargs)

    def probe(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Runs probe `fn(namespace, *args, **kwargs)` beside the student's code; returns its result."""
        request = codec.encode({"args": args, "kwargs": kwargs})
        reply = _run_probe(self._namespace, fn, request)
        return decode_reply(fn.__name__, reply)

    def _call(self, name: str, args: tuple, kwargs: dict) -> Any:
        request = codec.encode({"args": args, "kwargs": kwargs})
        reply = _run_in_student_space(self._namespace, name, request)
        return decode_reply(name, reply)


def _materialise(value: Any) -> Any:
    """Turns `ModuleSpec` recipes into real modules, on the side that runs student code."""
    if isinstance(value, codec.ModuleSpec):
        return value.build()
    if isinstance(value, list):
        return [_materialise(item) for item in value]
    if isinstance(value, tuple):
        return tuple(_materialise(item) for item in value)
    if isinstance(value, dict):
        return {key: _materialise(item) for key, item in value.items()}
    return value


def _run_in_student_space(namespace: Mapping[str, Any], name: str, request: str) -> str:
    """Runs one call where the student's code lives and returns a JSON reply."""
    target = namespace.get(name)
    if target is None:
        return codec.encode({"missing": name})
    call = codec.decode(request)
    return _reply(lambda: target(*_materialise(call["args"]), **_materialise(call["kwargs"])))


def _run_probe(namespace: Mapping[str, Any], fn: Callable[..., Any], request: str) -> str:
    """Runs a probe where the student's code lives and returns a JSON reply."""
    call = codec.decode(request)
    return _reply(lambda: fn(namespace, *call["args"], **call["kwargs"]))


def _reply(thunk: Callable[[], Any]) -> str:
    try:
        result = thunk()
    except MissingName as error:
        return codec.encode({"missing": str(error)})
    except (Exception, SystemExit) as error:  # a failed test, never a crash
        return codec.encode({"raised": type(error).__name__})
    try:
        return codec.encode({"result": result})
    except codec.NotPlainData as error:
        return codec.encode({"unusable": str(error)})


class MissingName(LookupError):
    """A probe looked for a student definition that does not exist."""


def lookup(namespace: Mapping[str, Any], name: str) -> Any:
    """For probes: the student's definition `name`, or `MissingName`."""
    if name not in namespace:
        raise MissingName(name)
    return namespace[name]


def decode_reply(name: str, reply: str) -> Any:
    """Returns the result in `reply`, or raises `StudentError` saying what went wrong."""
    message = codec.decode(reply)
    if "result" in message:
        return message["result"]
    if "missing" in message:
        raise StudentError(f"`{message['missing']}` is not defined: run its cell, and keep its name.")
    if "raised" in message:
        raise StudentError(f"`{name}` raised {message['raised']}.")
    raise StudentError(f"`{name}` returned {message['unusable']}.")
