"""Runs one grader request on the student's definitions, on whichever side holds them.

The sealed grader's worker (`worker.py`) calls `serve_request` inside the student's kernel; the
project's own tests call it in-process through `autograder.student.LocalTransport`. Replies are
plain data (`codec`): a result, or what went wrong.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Mapping
from typing import Any

from autograder.student_side import codec

_PROBE_MODULE = re.compile(r"^autograder\.[a-z][a-z0-9_]*\.probes$")


class TimeLimitExceeded(BaseException):
    """Raised inside student code that ran past its time; a BaseException so that `except Exception`
    in student code cannot swallow it."""


def serve_request(namespace: Mapping[str, Any], op: str, target: str, payload: str) -> str:
    """On the student's side: runs one request and returns the JSON reply."""
    call = codec.decode(payload)
    if op == "call":
        fn = namespace.get(target)
        if fn is None:
            return codec.encode({"missing": target})
        return _reply(lambda: fn(*_materialise(call["args"]), **_materialise(call["kwargs"])))
    if op == "probe":
        probe = _resolve_probe(target)
        return _reply(lambda: probe(namespace, *call["args"], **call["kwargs"]))
    raise ValueError(f"unknown request {op!r}")


def _resolve_probe(target: str) -> Callable[..., Any]:
    module, _, name = target.partition(":")
    if not _PROBE_MODULE.match(module) or not name.isidentifier():
        raise ValueError(f"not a probe: {target!r}")
    return getattr(importlib.import_module(module), name)


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


def _reply(thunk: Callable[[], Any]) -> str:
    try:
        result = thunk()
    except MissingName as error:
        return codec.encode({"missing": str(error)})
    except StudentCodeFailed as failed:
        return codec.encode({"failed": failed.report})
    except (Exception, SystemExit) as error:  # a failed test, never a crash
        return codec.encode({"raised": type(error).__name__})
    try:
        return codec.encode({"result": result})
    except codec.NotPlainData as error:
        return codec.encode({"unusable": str(error)})


class MissingName(LookupError):
    """A probe looked for a student definition that does not exist."""


class StudentCodeFailed(Exception):
    """In a probe: a student function raised, or returned something that is not plain data.

    The one way a probe reports a failure: the grader turns it into a message naming the function.
    """

    def __init__(self, function: str, **report: str):
        super().__init__(function, report)
        self.report = {"function": function, **report}


def call(function: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """For probes: `fn(*args, **kwargs)`, the student's `function`; its exception becomes a report."""
    try:
        return fn(*args, **kwargs)
    except (Exception, SystemExit) as error:
        raise StudentCodeFailed(function, raised=type(error).__name__) from None


def plain(function: str, value: Any) -> Any:
    """For probes: `value` if it can cross to the grader, else a report that `function` returned it."""
    try:
        codec.encode(value)
    except (codec.NotPlainData, ValueError, TypeError):
        raise StudentCodeFailed(function, returned=type(value).__name__) from None
    return value


def lookup(namespace: Mapping[str, Any], name: str) -> Any:
    """For probes: the student's definition `name`, or `MissingName`."""
    if name not in namespace:
        raise MissingName(name)
    return namespace[name]
