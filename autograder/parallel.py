"""The Dask side of parallel grading: a worker plugin that keeps one grading process per worker.

`autograder.grade` (the coordinator) registers a `GradingPlugin` holding the course's grading kit
(`autograder/`, `source/<assignment>/`, `nbgrader_config.py`, the course secret, a template
gradebook) and submits one `grade_submission` task per submission. On each worker the plugin
writes the kit into the worker's local folder and starts a grading process
(`autograder.parallel_server`) from it; each task hands its submission to that process and returns
the plain result. So workers need the course's Python packages (nbgrader, torch, ...) but not the
course folder: this module is sent to them by value (cloudpickle), the course files in the kit.

Why a separate grading process rather than grading in the worker's task thread: nbgrader and the
sealed grader then run in a main thread exactly as `nbgrader autograde` does (signals, time limits),
the worker's event loop keeps answering the scheduler while a notebook is graded, and a course kit
that changes between runs on a long-lived cluster gets a fresh process (no stale modules). The
process outlives tasks, so whatever the grader keeps warm between notebooks is reused.

If the grading process dies while grading (a crash or the kernel's OOM killer), the task raises
`GradingProcessDied` and Dask retries it (`retries`); if the whole worker dies, Dask runs the task
on another worker, up to the scheduler's `allowed-failures`, then reports `KilledWorker`.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from distributed import WorkerPlugin, get_worker

PLUGIN_NAME = "dl-course-grading"
SERVER_CODE = (
    "import sys; sys.path.insert(0, sys.argv[3]); "
    "from autograder.parallel_server import serve; serve(int(sys.argv[1]), int(sys.argv[2]))"
)


class GradingProcessDied(RuntimeError):
    """The worker's grading process stopped while grading a submission."""


def digest(files: dict[str, bytes]) -> str:
    """A hash of a set of files (relative path -> bytes)."""
    h = hashlib.sha256()
    for path in sorted(files):
        h.update(path.encode() + b"\0" + hashlib.sha256(files[path]).digest())
    return h.hexdigest()


class GradingPlugin(WorkerPlugin):
    """Keeps the course kit and one grading process on each Dask worker.

    Args:
        kit: the course files the grading process runs from (relative path -> bytes).
        template: the template gradebook (sqlite file bytes).
        env: environment variables for the grading process (None removes one); the coordinator
            passes its own thread settings so that grading runs as `nbgrader autograde` would.
        task_seconds: the longest one submission may take before its grading process is stopped.
    """

    def __init__(
        self, kit: dict[str, bytes], template: bytes, env: dict[str, str | None], task_seconds: float
    ):
        self.kit = kit
        self.kit_hash = digest(kit)
        self.template = template
        self.env = env
        self.task_seconds = task_seconds
        self._reset()

    def _reset(self) -> None:
        self.kit_dir: Path | None = None
        self.template_path: Path | None = None
        self._process: subprocess.Popen | None = None
        self._conn: Connection | None = None
        self._lock = threading.Lock()

    def __getstate__(self) -> dict[str, Any]:
        return {key: self.__dict__[key] for key in ("kit", "kit_hash", "template", "env", "task_seconds")}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._reset()

    def setup(self, worker) -> None:
        base = Path(worker.local_directory)
        self.kit_dir = _materialise(base / f"grading-kit-{self.kit_hash[:16]}", self.kit)
        self.template_path = self.kit_dir / f"template-{hashlib.sha256(self.template).hexdigest()[:16]}.db"
        if not self.template_path.exists():
            partial = self.template_path.with_suffix(f".{os.getpid()}.part")
            partial.write_bytes(self.template)
            partial.replace(self.template_path)
        with self._lock:
            self._start()  # it imports nbgrader and torch while the first tasks are on their way

    def teardown(self, worker) -> None:
        with self._lock:
            self._stop()

    def _start(self) -> None:
        parent, child = socket.socketpair()
        env = dict(os.environ)
        for key, value in self.env.items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = value
        log = open(self.kit_dir / f"grading-process-{os.getpid()}.log", "ab")
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-c", SERVER_CODE, str(child.fileno()), str(os.getpid()), str(self.kit_dir)],
                cwd=self.kit_dir,
                env=env,
                pass_fds=[child.fileno()],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        finally:
            log.close()
            child.close()
        self._conn = Connection(parent.detach())

    def _stop(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._process is not None:  # it exits when the connection closes; nothing of it is kept
            try:
                self._process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None

    def grade(self, job: dict[str, Any]) -> dict[str, Any]:
        """Grades one submission in this worker's grading process and returns its result."""
        with self._lock:
            if self._process is None or self._process.poll() is not None:
                self._stop()
                self._start()
            job = {**job, "kit_dir": str(self.kit_dir), "template": str(self.template_path)}
            try:
                self._conn.send(job)
                if self._conn.poll(self.task_seconds):
                    return self._conn.recv()
                self._process.kill()
                reason = f"no result within {self.task_seconds:g} s"
            except (EOFError, OSError):
                reason = "it stopped"
            try:
                code = self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                code = self._process.wait()
            self._stop()
            if code < 0:
                reason += f" ({signal.Signals(-code).name})"
            raise GradingProcessDied(
                f"the grading process on {socket.gethostname()} died while grading {job['student']}: {reason}"
            )


def _materialise(folder: Path, files: dict[str, bytes]) -> Path:
    """Writes `files` under `folder` once (a finished folder holds `.complete`)."""
    if (folder / ".complete").exists():
        return folder
    partial = folder.with_name(f"{folder.name}.{os.getpid()}.part")
    shutil.rmtree(partial, ignore_errors=True)
    for relpath, data in files.items():
        path = partial / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    if (partial / ".course_secret").exists():
        (partial / ".course_secret").chmod(0o600)
    (partial / ".complete").write_text("")
    try:
        partial.rename(folder)
    except OSError:  # another worker in the same folder finished first
        shutil.rmtree(partial, ignore_errors=True)
    return folder


class ByValue:
    """A function that travels by value (cloudpickle) even inside a task graph, which Dask pickles
    with plain pickle (by reference): the scheduler and the workers need not import this module."""

    def __init__(self, function):
        self.function = function

    def __call__(self, *args, **kwargs):
        return self.function(*args, **kwargs)

    def __reduce__(self):
        import cloudpickle

        return cloudpickle.loads, (cloudpickle.dumps(self.function),)


def grade_submission(job: dict[str, Any]) -> dict[str, Any]:
    """The Dask task: grades one submission on this worker (see `GradingPlugin.grade`)."""
    return get_worker().plugins[PLUGIN_NAME].grade(job)
