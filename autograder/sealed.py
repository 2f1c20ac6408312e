"""Sealed grading: student code runs in a sandboxed kernel; hidden tests run in nbgrader's process.

`SealedExecute` replaces nbgrader's `Execute` preprocessor (see `nbgrader_config.py`). For each
submission it

1. starts the student's Jupyter kernel inside a `sandbox.Box`: bubblewrap, a fresh unprivileged
   user, no network, its own process tree, memory and process limits for the whole sandbox, and a
   size-limited run folder holding a writable scratch copy of the submission; the sandbox sees the
   system's programs and the Python installation, and nothing of the course: not `source/`, the
   hidden tests, the gradebook or other students' files;
2. runs the notebook cell by cell; a cell that runs past its time limit, or kills the kernel
   (`os._exit`, a segfault, a memory bomb), costs that cell: the kernel is restarted, the cells
   before it are replayed, and the rest of the notebook runs;
3. runs the hidden tests here, in the grader's process, against the student's definitions in the
   kernel: a small worker in the kernel (`autograder.student_side.worker`) answers requests over a
   Unix socket (`transport.KernelTransport`), and only plain data (`student_side.codec`) crosses.
   The results go to `resources["sealed"]`, from which `ScoreHiddenTests` writes each grade cell's
   score and feedback.

One budget per notebook (`notebook_seconds`, wall time) covers cells, restarts and hidden tests:
what has not been scored when it runs out scores zero with a message, and the next notebook is
graded. Every limit is set in `autograder/limits.py`. What happened that the student does not see
(restarts, limits hit, files left out, hidden-test modules that failed) is written to the grading
log, `<log_root>/<assignment>/<student>.log`, and nbgrader's log.

Each student's hidden inputs are drawn from a seed derived from a course secret (kept in the
course folder, outside `release/` and outside the sandbox) and the student's id, so neighbours get
different inputs and a regrade reproduces the same grade.
"""

from __future__ import annotations

import asyncio
import atexit
import hashlib
import hmac
import json
import os
import queue
import re
import secrets
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from queue import Empty
from typing import Any

import nbformat
from jupyter_client import BlockingKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute
from traitlets import Bool, Float, Integer, Unicode

from autograder import limits, runner, sandbox
from autograder.nbgrader_plugins import is_test_cell
from autograder.sandbox import Box, bwrap_path  # noqa: F401 (bwrap_path: used by the tests)
from autograder.student import Student
from autograder.transport import CallLimits, KernelTransport

HIDDEN_CALL = re.compile(r"autograder\.grade\(\s*\"([a-z][a-z0-9_]*)\"\s*,\s*\"([A-Za-z][A-Za-z0-9_]*)\"")


def hidden_cells(source: Path) -> dict[str, tuple[str, str]]:
    """Grade cells with hidden tests in an instructor notebook: grade_id -> (assignment, cell)."""
    found = {}
    for cell in nbformat.read(source, as_version=4).cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        match = HIDDEN_CALL.search(cell.source) if meta.get("grade") else None
        if match:
            found[meta["grade_id"]] = (match.group(1), match.group(2))
    return found


def student_seed(secret: str, student: str, assignment: str) -> str:
    """The label every hidden test case of one student's assignment mixes into its seed."""
    return hmac.new(secret.encode(), f"{student}/{assignment}".encode(), hashlib.sha256).hexdigest()


def read_secret(path: Path) -> str:
    """The course secret, created on first use; it never leaves the course folder."""
    if not path.is_file():
        path.write_text(secrets.token_hex(32) + "\n")
        path.chmod(0o600)
    return path.read_text().strip()


class SealedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel lives in a `Box` and talks over Unix sockets in its run folder.

    `SealedExecute` makes a subclass per box with `box` set.
    """

    box: Box

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.transport = "ipc"
        self.ip = os.path.join(self.box.rundir, "kernel")
        self.connection_file = os.path.join(self.box.rundir, f"kernel-{secrets.token_hex(4)}.json")

    def kernel_env(self) -> dict[str, str]:
        from autograder.sandbox import PASSED_ENV

        env = {key: os.environ[key] for key in PASSED_ENV if key in os.environ}
        env.update(
            HOME="/tmp",
            PYTHONPATH=os.path.join(self.box.rundir, "lib"),
            MPLBACKEND="Agg",
            PATH=os.pathsep.join([str(Path(sys.executable).parent), "/usr/bin", "/bin"]),
            PYTHONDONTWRITEBYTECODE="1",
            JUPYTER_PLATFORM_DIRS="1",
        )
        return env

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        command = super().format_kernel_cmd(extra_arguments)
        if not self.box.sandboxed:
            return command
        os.chown(self.connection_file, self.box.uid, self.box.uid)
        return self.box.command(command, self.kernel_env())

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
        kw["cwd"] = os.path.join(self.box.rundir, "work")  # bubblewrap moves it to `sandbox.WORKDIR`
        if not self.box.sandboxed:
            kw["env"] = {**kw.get("env", {}), **self.kernel_env(), "PATH": os.environ.get("PATH", "")}
        await super()._async_launch_kernel(kernel_cmd, **kw)
        process = getattr(self.provisioner, "process", None)
        self.box.kernel_pid = getattr(process, "pid", None)


class SealedExecute(Execute):
    """Runs a submission in a sandboxed kernel, then its hidden tests in this process."""

    _swept = False  # whether this process has removed the boxes killed graders left (`sandbox.sweep`)
    source_root = Unicode("", help="The course's source/ folder.").tag(config=True)
    secret_file = Unicode("", help="File holding the course secret for per-student seeds.").tag(config=True)
    log_root = Unicode("", help="Folder of the per-submission grading logs (none when empty).").tag(
        config=True
    )
    sandbox = Bool(True, help="Sandbox the kernel when bwrap is available.").tag(config=True)
    timeout = Integer(
        int(limits.CELL_SECONDS), allow_none=True, help="CPU seconds for one cell (see autograder/limits.py)."
    ).tag(config=True)
    notebook_seconds = Float(
        limits.NOTEBOOK_SECONDS, help="Wall seconds for one notebook, cells and hidden tests together."
    ).tag(config=True)
    cell_wall_seconds = Float(limits.CELL_WALL_SECONDS, help="Wall seconds for a cell that waits.").tag(
        config=True
    )
    call_seconds = Float(
        limits.CALL_SECONDS, help="CPU seconds for one call of student code by a hidden test."
    ).tag(config=True)
    call_wall_seconds = Float(limits.CALL_WALL_SECONDS, help="Wall seconds for a call that waits.").tag(
        config=True
    )
    connect_seconds = Float(
        limits.CONNECT_SECONDS, help="Wall seconds for the grader to reach the student's functions."
    ).tag(config=True)
    memory_bytes = Integer(limits.MEMORY_BYTES, help="Memory of the whole sandbox.").tag(config=True)
    processes = Integer(limits.PROCESSES, help="Processes in the sandbox.").tag(config=True)
    file_bytes = Integer(limits.FILE_BYTES, help="Largest file student code may write.").tag(config=True)
    disk_bytes = Integer(limits.DISK_BYTES, help="All files student code may write.").tag(config=True)
    disk_files = Integer(limits.DISK_FILES, help="Files student code may create.").tag(config=True)
    max_output_bytes = Integer(limits.CELL_OUTPUT_BYTES, help="Output kept per cell.").tag(config=True)
    max_notebook_output_bytes = Integer(limits.NOTEBOOK_OUTPUT_BYTES, help="Output kept per notebook.").tag(
        config=True
    )
    max_reply_bytes = Integer(limits.REPLY_BYTES, help="Largest reply from student code.").tag(config=True)
    max_restarts = Integer(limits.MAX_RESTARTS, help="Kernel restarts per notebook.").tag(config=True)
    warm_kernels = Bool(
        True,
        help="Start each notebook's sandboxed kernel, with numpy and torch "
        "imported, while the previous notebook is graded.",
    ).tag(config=True)

    # -- one notebook ----------------------------------------------------------------------------

    def preprocess(self, nb, resources, km=None):
        info = resources.get("nbgrader", {})
        assignment, student = info.get("assignment", ""), info.get("student", "")
        source = Path(self.source_root) / assignment / f"{info.get('notebook', '')}.ipynb"
        hidden = hidden_cells(source) if source.is_file() else {}
        sealed = {"sandbox": "", "results": {}, "notes": []}
        resources["sealed"] = sealed
        self._notes: list[str] = []
        self._deadline = time.monotonic() + self.notebook_seconds
        self._restarts = 0
        self._grading = False
        self._skip: set[int] = set()
        self._notebook_output = 0
        self._started = time.monotonic()
        assignments = {a for a, _ in hidden.values()}
        kernel_name = nb.metadata.get("kernelspec", {}).get("name", "")
        if not SealedExecute._swept:  # once per process: what killed graders left on this machine
            SealedExecute._swept = True
            stale = sandbox.sweep()
            if stale:
                self.log.info(
                    "Removed %d sandbox folders and groups of graders that were killed.", len(stale)
                )
        warm = _Spare.take(self._spare_key(kernel_name, assignments)) if self.warm_kernels else None
        self.box = warm.box if warm else self._new_box(assignments)
        self.log.info("Grading in %s.", "a kernel started ahead" if warm else "a new kernel")
        try:
            sealed["sandbox"] = "bubblewrap" if self.box.sandboxed else "none"
            if not self.box.sandboxed:
                self.log.warning(
                    "The student's kernel runs unsandboxed (%s): scores are still decided "
                    "here, but student code can read and write what this user can.",
                    "bwrap is not available" if self.sandbox else "SealedExecute.sandbox is off",
                )
            workdir = os.path.abspath(resources["metadata"]["path"])
            for line in self.box.copy_submission(
                Path(workdir), limits.SUBMISSION_FILES, limits.SUBMISSION_BYTES
            ):
                self.note(f"Not copied into the sandbox: {line}.")
            self.kernel_manager_class = _manager_for(self.box)
            if self.warm_kernels:  # the next notebook's kernel starts while this one is graded
                _Spare.prepare(
                    self._spare_key(kernel_name, assignments),
                    lambda: self._new_box(assignments),
                    kernel_name,
                    self._kernel_arguments(),
                )
            self._warm_km = warm.km if warm else None
            self._run(nb, resources, hidden, sealed, student, assignment)
        finally:
            peak = self.box.peak_memory()
            self.box.close()
            if peak is not None:
                self._notes.append(f"Peak memory {peak >> 20} MiB of {self.memory_bytes >> 20} MiB.")
            sealed["notes"] = list(self._notes)
            self._write_log(assignment, student)
        return self.nb, self.resources

    def _new_box(self, assignments: set[str]) -> Box:
        box = Box(
            sandbox=self.sandbox,
            memory_bytes=self.memory_bytes,
            processes=self.processes,
            file_bytes=self.file_bytes,
            disk_bytes=self.disk_bytes,
            disk_files=self.disk_files,
        )
        box.install_student_side(assignments)
        return box

    def _spare_key(self, kernel_name: str, assignments: set[str]) -> tuple:
        """What a kernel started ahead must share with the notebook that takes it."""
        return (
            kernel_name,
            tuple(sorted(assignments)),
            self.sandbox,
            self.memory_bytes,
            self.processes,
            self.file_bytes,
            self.disk_bytes,
            self.disk_files,
            tuple(self._kernel_arguments()),
        )

    def _kernel_arguments(self) -> list[str]:
        """The kernel's extra arguments, without the history file nbclient adds on each start."""
        return [arg for arg in self.extra_arguments if not arg.startswith("--HistoryManager.hist_file")]

    def seconds_left(self) -> float:
        """Wall seconds left of this notebook's budget."""
        return self._deadline - time.monotonic()

    def seconds_left_for_cells(self) -> float:
        """Wall seconds the cells (and replays) may still use: while the notebook runs, the hidden tests
        keep their share of the budget; once they run, they have all that is left."""
        if self._grading:
            return self.seconds_left()
        return self.seconds_left() - self.notebook_seconds * limits.HIDDEN_TESTS_SHARE

    def _cell_limits(self, cell) -> tuple[float, float]:
        """CPU and wall seconds for a cell: a test cell's visible check gets the time of a call."""
        if cell is not None and is_test_cell(cell):
            return self.call_seconds, self.call_wall_seconds
        return float(self.timeout or self.notebook_seconds), self.cell_wall_seconds

    def note(self, text: str) -> None:
        """Records something the instructor should know about this submission."""
        self._notes.append(text)
        self.log.warning(text)

    def _write_log(self, assignment: str, student: str) -> None:
        if not self.log_root or not assignment or not student:
            return
        folder = Path(self.log_root) / assignment
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        lines = [
            f"{stamp} graded {student}/{assignment} in {time.monotonic() - self._started:.1f} s, "
            f"sandbox: {'bubblewrap' if self.box.sandboxed else 'none'}"
        ]
        lines += [f"  {note}" for note in self._notes] or ["  nothing to report"]
        with open(folder / f"{student}.log", "a") as handle:
            handle.write("\n".join(lines) + "\n")

    def _run(self, nb, resources, hidden, sealed, student, assignment) -> None:
        from nbclient.client import NotebookClient

        NotebookClient.__init__(self, nb, self._warm_km)
        self.reset_execution_trackers()
        self._check_assign_resources(resources)
        with self.setup_kernel(cleanup_kc=True):
            self._kernel_ready()
            for index, cell in enumerate(self.nb.cells):
                if cell.cell_type != "code":
                    continue
                if self.seconds_left_for_cells() <= 0:
                    cell.outputs = [
                        _error(
                            "NotebookTimeLimit",
                            "This cell did not run: the notebook used up the time its cells may take.",
                        )
                    ]
                    self.note(f"Cell {index} did not run: the cells used up their share of the budget.")
                    continue
                self._run_cell(cell, resources, index)
            if hidden and self.kc is not None:
                self._grade(hidden, sealed, student, assignment)
        self.set_widgets_metadata()

    def _run_cell(self, cell, resources, index: int) -> None:
        self._cell_output = 0
        self._stopped = ""
        stop = threading.Event()
        cpu_limit, _ = self._cell_limits(cell)
        watch = threading.Thread(
            target=self._watch_cpu, args=(stop, self.box.cpu_seconds(), cpu_limit), daemon=True
        )
        watch.start()
        try:
            self.preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self._stopped = (
                self._stopped or "it stopped the Python process (os._exit, a crash or the memory limit)"
            )
        except CellTimeoutError:
            self._stopped = self._stopped or "it ran past its time limit"
        finally:
            stop.set()
            watch.join()
        if self._stopped:
            cell.outputs = [out for out in cell.outputs if out.get("output_type") != "error"]
            cell.outputs.append(_error("CellStopped", f"This cell was stopped: {self._stopped}."))
            self.note(f"Cell {index} was stopped: {self._stopped}; restarting the kernel.")
            self._skip.add(index)
            if not self.restart_kernel(reason=f"cell {index}", upto=index):
                self.note("The kernel could not be restarted; the rest of the notebook did not run.")

    def _watch_cpu(self, stop: threading.Event, start: float, limit: float) -> None:
        """Stops the kernel when the running cell has used its CPU time."""
        while not stop.wait(0.1):
            if self.box.cpu_seconds() - start > limit:
                self._stopped = f"it ran past its time limit ({limit:g} seconds of computing)"
                self.box.kill_all()
                return

    def _grade(self, hidden, sealed, student, assignment) -> None:
        self._grading = True
        secret = read_secret(Path(self.secret_file)) if self.secret_file else ""
        transport = KernelTransport(
            self,
            CallLimits(
                cpu_seconds=self.call_seconds,
                wall_seconds=self.call_wall_seconds,
                connect_seconds=self.connect_seconds,
            ),
            self.max_reply_bytes,
        )
        try:
            sources = [
                cell.source for cell in self.nb.cells if cell.cell_type == "code" and not is_test_cell(cell)
            ]
            results = runner.run_cells(
                assignment,
                sorted({cell for _, cell in hidden.values()}),
                Student(transport),
                seconds=self.call_seconds,
                seed=student_seed(secret, student, assignment),
                sources=sources,
            )
        finally:
            transport.close()
        for grade_id, (_, cell) in hidden.items():
            result = results[cell]
            if result.problem:
                self.note(f"Hidden tests of {cell}: {result.problem} {result.detail}".strip())
            sealed["results"][grade_id] = result.to_json()
        if self.seconds_left() <= 0:
            self.note(
                f"The notebook used up its budget of {self.notebook_seconds:g} s; the hidden tests "
                "that had not run score zero."
            )

    # -- the kernel ------------------------------------------------------------------------------

    def _kernel_ready(self) -> None:
        info = self.wait_for_reply(self.kc.kernel_info())
        if info is not None:
            self.nb.metadata["language_info"] = info["content"]["language_info"]

    def execution_finished(self, msg_id: str) -> bool:
        """Whether the kernel has answered request `msg_id`, or is gone."""
        if not run_sync(self.km.is_alive)():
            return True
        try:
            message = run_sync(self.kc.get_shell_msg)(timeout=0)
        except Empty:
            return False
        return message.get("parent_header", {}).get("msg_id") == msg_id

    def restart_kernel(self, reason: str, upto: int | None = None) -> bool:
        """Starts a fresh kernel and replays the code cells before `upto` (all when None)."""
        self._restarts += 1
        if self._restarts > self.max_restarts or self.seconds_left() <= 0:
            return False
        self.log.warning("Restarting the student's kernel (%s).", reason)
        self.box.kill_all()
        self._cleanup_kernel()
        self.owns_km = True
        self.km = self.create_kernel_manager()
        self.start_new_kernel()
        self.start_new_kernel_client()
        self._kernel_ready()
        stop = len(self.nb.cells) if upto is None else upto
        for index, cell in enumerate(self.nb.cells[:stop]):
            if cell.cell_type == "code" and index not in self._skip and not is_test_cell(cell):
                try:
                    reply = self.wait_for_reply(
                        self.kc.execute(cell.source, silent=True, store_history=False, allow_stdin=False)
                    )
                except (DeadKernelError, TimeoutError, RuntimeError):
                    return False
                if reply is None or not run_sync(self.km.is_alive)():
                    return False
        return True

    def _get_timeout(self, cell) -> float | None:
        """Wall time for a cell or a replayed cell, within what the cells may still use of the budget."""
        return max(1.0, min(self._cell_limits(cell)[1], self.seconds_left_for_cells()))

    async def _async_handle_timeout(self, timeout, cell=None):
        """A cell past its wall time: stop the kernel (an interrupt can be caught)."""
        self._stopped = self._stopped or (
            "the notebook's cells used up their time"
            if self.seconds_left_for_cells() <= 1
            else f"it waited past its time limit ({timeout:g} seconds)"
        )
        self.box.kill_all()
        return {
            "content": {
                "status": "error",
                "ename": "CellStopped",
                "evalue": "",
                "traceback": [f"CellStopped: {self._stopped}."],
            }
        }

    def output(self, outs, msg, display_id, cell_index):
        size = len(json.dumps(msg.get("content", {})))
        self._cell_output += size
        self._notebook_output += size
        whole = self._notebook_output > self.max_notebook_output_bytes
        if whole or self._cell_output > self.max_output_bytes:
            if not any(o.get("name") == "stdout" and "output was cut" in o.get("text", "") for o in outs):
                what, limit = (
                    ("notebook", self.max_notebook_output_bytes) if whole else ("cell", self.max_output_bytes)
                )
                outs.append(
                    new_output(
                        "stream",
                        name="stdout",
                        text=(f"[the output was cut: this {what} printed more than {limit // 1024} KiB]\n"),
                    )
                )
                self.note(f"Cell {cell_index}: output cut at the {what}'s limit.")
            return None
        return super().output(outs, msg, display_id, cell_index)


def _manager_for(box: Box) -> type[SealedKernelManager]:
    return type("NotebookKernelManager", (SealedKernelManager,), {"box": box})


def start_kernel(
    box: Box, kernel_name: str, extra_arguments: list[str], warm_up: str = "", **popen: Any
) -> SealedKernelManager:
    """Starts a kernel in `box` and waits until it answers; then runs `warm_up` in it, if given (silently,
    outside its history). `popen` goes to the kernel's process (e.g. `stdout`)."""
    km = _manager_for(box)(kernel_name=kernel_name) if kernel_name else _manager_for(box)()
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(
            km.start_kernel(
                extra_arguments=[*extra_arguments, "--HistoryManager.hist_file=:memory:"], **popen
            )
        )
    finally:
        loop.close()
    run_silently(km, warm_up)
    return km


def run_silently(km: Any, code: str) -> None:
    """Waits until the kernel of `km` answers, then runs `code` in it (if any), outside its history."""
    client = BlockingKernelClient()
    client.load_connection_info(km.get_connection_info())
    client.start_channels()
    try:
        client.wait_for_ready(timeout=limits.CONNECT_SECONDS)
        if code:
            client.execute_interactive(code, silent=True, store_history=False, timeout=limits.CONNECT_SECONDS)
    finally:
        client.stop_channels()


class _Spare:
    """A sandboxed kernel started ahead, in a box of its own, for whichever notebook comes next.

    Each kernel serves one notebook only: it has run nothing but the imports of `WARM_UP`, and its box
    (user, sandbox, limits, folder) is new, so nothing of the previous student reaches the next.
    """

    WARM_UP = "import numpy, torch, torch.nn"
    _lock = threading.Lock()
    _ready: tuple[tuple, Box, Any] | None = None
    _requests: queue.Queue = queue.Queue()
    _launcher: threading.Thread | None = None
    _idle = threading.Event()

    def __init__(self, box: Box, km: Any):
        self.box, self.km = box, km

    @classmethod
    def _serve(cls) -> None:
        # Kernels are started from this one thread, which lives as long as the process: bubblewrap
        # stops a sandbox when the thread that started it ends (--die-with-parent).
        while True:
            start = cls._requests.get()
            cls._idle.clear()
            try:
                start()
            finally:
                cls._idle.set()

    @classmethod
    def take(cls, key: tuple) -> _Spare | None:
        """The kernel started ahead for `key`, when it is ready and alive; None otherwise."""
        if cls._launcher is None:  # nothing was started ahead in this process
            return None
        cls._idle.wait(timeout=limits.CONNECT_SECONDS)
        with cls._lock:
            ready, cls._ready = cls._ready, None
        if ready is None:
            return None
        ready_key, box, km = ready
        alive = (
            km.provisioner is not None
            and km.provisioner.process is not None
            and km.provisioner.process.poll() is None
        )
        if ready_key != key or not alive:
            box.close()
            return None
        return cls(box, km)

    @classmethod
    def prepare(cls, key: tuple, new_box, kernel_name: str, extra_arguments: list[str]) -> None:
        """Starts a kernel for the next notebook in the background."""

        def start() -> None:
            box = new_box()
            try:
                km = start_kernel(box, kernel_name, extra_arguments, warm_up=cls.WARM_UP)
            except Exception:  # a kernel that could not start ahead: the next notebook starts its own
                box.close()
                return
            with cls._lock:
                stale, cls._ready = cls._ready, (key, box, km)
            if stale is not None:
                stale[1].close()

        with cls._lock:
            if cls._launcher is None:
                cls._idle.set()
                cls._launcher = threading.Thread(target=cls._serve, name="warm-kernels", daemon=True)
                cls._launcher.start()
        cls._idle.clear()
        cls._requests.put(start)

    @classmethod
    def discard(cls) -> None:
        """Stops a kernel started ahead that no notebook took (at exit)."""
        if cls._launcher is None:
            return
        cls._idle.wait(timeout=limits.CONNECT_SECONDS)
        with cls._lock:
            ready, cls._ready = cls._ready, None
        if ready is not None:
            ready[1].close()


atexit.register(_Spare.discard)


def _error(name: str, text: str):
    return new_output("error", ename=name, evalue="", traceback=[f"{name}: {text}"])
