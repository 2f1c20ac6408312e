"""Sealed grading: student code runs in a sandboxed kernel; hidden tests run in nbgrader's process.

`SealedExecute` replaces nbgrader's `Execute` preprocessor (see `nbgrader_config.py`). For each
submission it

1. starts the student's Jupyter kernel inside a bubblewrap sandbox, as a fresh unprivileged user, with no
   network, its own process tree and resource limits; the sandbox sees the system's programs, the
   Python installation, the student's own submission folder (read only) and a private /tmp, and
   nothing else: not the course's `source/`, `autograder/` tests, gradebook or other students' files;
2. runs the notebook cell by cell; a cell that runs past its time limit, or kills the kernel
   (`os._exit`, a segfault, a memory bomb), costs that cell: the kernel is restarted, the cells
   before it are replayed, and the rest of the notebook runs;
3. runs the hidden tests here, in the grader's process, against the student's definitions in the
   kernel: a small worker in the kernel (`autograder.student_side.worker`) answers requests over a
   Unix socket, and only plain data (`student_side.codec`) crosses. The results go to
   `resources["sealed"]`, from which `ScoreHiddenTests` writes each grade cell's score and feedback.

Each student's hidden inputs are drawn from a seed derived from a course secret (kept in the
course folder, outside `release/` and outside the sandbox) and the student's id, so neighbours get
different inputs and a regrade reproduces the same grade.

Without bubblewrap (`bwrap`) the kernel runs unsandboxed: scores are still decided here, but the
student's code can read and write whatever the grading user can.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from functools import cache
from pathlib import Path
from typing import Any

import nbformat
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute
from traitlets import Bool, Float, Integer, Unicode

from autograder import runner
from autograder.nbgrader_plugins import is_test_cell
from autograder.student import Student
from autograder.student_side import codec, worker

PACKAGE_DIR = Path(__file__).resolve().parent
SANDBOX_UIDS = (200_000, 300_000)  # a fresh unused uid per notebook: its own process limit
HIDDEN_CALL = re.compile(r"autograder\.grade\(\s*\"([a-z][a-z0-9_]*)\"\s*,\s*\"([A-Za-z][A-Za-z0-9_]*)\"")
STUB_INIT = '"""The grader\'s student-side package: hidden tests do not run here."""\n\n\n' \
            'def grade(*args, **kwargs):\n    return None\n'
PASSED_ENV = ("LANG", "LC_ALL", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OMP_NUM_THREADS",
              "MKL_NUM_THREADS", "NBGRADER_EXECUTION")


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


@cache
def bwrap_path() -> str | None:
    """The bubblewrap program, if it is installed and can build a sandbox here."""
    found = shutil.which("bwrap")
    if not found or os.geteuid() != 0:
        return None
    probe = subprocess.run([found, "--ro-bind", "/", "/", "--unshare-pid", "--unshare-net",
                            "--die-with-parent", "true"], capture_output=True)
    return found if probe.returncode == 0 else None


def _binds_for_system() -> list[str]:
    args = []
    for top in ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/etc"):
        path = Path(top)
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), top]
        elif path.is_dir():
            args += ["--ro-bind", top, top]
    return args


def sandbox_command(command: list[str], *, workdir: str, rundir: str, env: dict[str, str], uid: int,
                    memory_bytes: int, processes: int, file_bytes: int) -> list[str]:
    """Wraps a kernel command in bubblewrap, resource limits and an unprivileged user `uid`."""
    args = [bwrap_path() or "bwrap", "--die-with-parent", "--new-session", "--unshare-pid",
            "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
            *_binds_for_system(), "--proc", "/proc", "--dev", "/dev", "--perms", "1777",
            "--tmpfs", "/tmp"]
    made = {"/", "/tmp", "/usr", "/etc"}

    def bind(option: str, path: str) -> None:
        parents = list(reversed(Path(path).parents))
        for parent in map(str, parents):
            if parent not in made:
                args.extend(["--perms", "0755", "--dir", parent])  # bwrap would make them 0700
                made.add(parent)
        args.extend([option, path, path])
        made.add(path)

    for top in sorted({os.path.realpath(sys.base_prefix), os.path.realpath(sys.prefix), sys.prefix}):
        if not top.startswith(("/usr/", "/bin/", "/lib")):
            bind("--ro-bind", top)
    bind("--ro-bind", workdir)
    bind("--bind", rundir)
    args += ["--chdir", workdir, "--clearenv"]
    for key, value in env.items():
        args += ["--setenv", key, value]
    limits = ["prlimit", f"--as={memory_bytes}", f"--nproc={processes}", f"--fsize={file_bytes}",
              "--nofile=512", "--core=0", "--"]
    drop = ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
            "--inh-caps=-all", "--"]
    return [*args, "--", *limits, *drop, *command]


class SealedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel talks over Unix sockets in a run folder, sandboxed if it can be.

    `SealedExecute` makes a subclass per notebook with `rundir`, `workdir` and the limits set.
    """

    rundir = ""
    workdir = ""
    uid = 0
    sandboxed = False
    limits: dict[str, int] = {}

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.transport = "ipc"
        self.ip = os.path.join(self.rundir, "kernel")
        self.connection_file = os.path.join(self.rundir, f"kernel-{secrets.token_hex(4)}.json")

    def kernel_env(self) -> dict[str, str]:
        env = {key: os.environ[key] for key in PASSED_ENV if key in os.environ}
        env.update(HOME="/tmp", PYTHONPATH=os.path.join(self.rundir, "lib"), MPLBACKEND="Agg",
                   PATH=os.pathsep.join([str(Path(sys.executable).parent), "/usr/bin", "/bin"]),
                   PYTHONDONTWRITEBYTECODE="1", JUPYTER_PLATFORM_DIRS="1")
        return env

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        command = super().format_kernel_cmd(extra_arguments)
        if not self.sandboxed:
            return command
        os.chown(self.connection_file, self.uid, self.uid)
        return sandbox_command(command, workdir=self.workdir, rundir=self.rundir,
                               env=self.kernel_env(), uid=self.uid, **self.limits)

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
        if not self.sandboxed:
            kw["env"] = {**kw.get("env", {}), **self.kernel_env(),
                         "PATH": os.environ.get("PATH", "")}
        return await super()._async_launch_kernel(kernel_cmd, **kw)


class KernelTransport:
    """Sends the hidden tests' requests to the worker in the student's kernel."""

    def __init__(self, executor: SealedExecute, call_seconds: float):
        self.executor = executor
        self.call_seconds = call_seconds
        self.sock: socket.socket | None = None
        self.broken = ""
        self.needs_restart = False
        self.count = 0

    def _connect(self) -> None:
        path = os.path.join(self.executor.rundir, f"grader-{self.count}.sock")
        self.count += 1
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(path)
        os.chmod(path, 0o777)
        server.listen(1)
        server.settimeout(self.executor.startup_timeout)
        code = (f"import autograder.student_side.worker as _grader_worker; "
                f"_grader_worker.serve({path!r}, globals(), {self.call_seconds!r})")
        self.executor.kc.execute(code, silent=True, store_history=False, allow_stdin=False)
        try:
            self.sock, _ = server.accept()
        except OSError:
            self.broken = "the grader could not reach your code"
        finally:
            server.close()
            os.unlink(path)

    def request(self, op: str, target: str, payload: str) -> str:
        if self.needs_restart:
            self.close()
            if not self.executor.restart_kernel(reason="grading"):
                self.broken = "your kernel could not be restarted"
            self.needs_restart = False
        if self.sock is None and not self.broken:
            self._connect()
        if self.broken:
            return codec.encode({"crashed": self.broken})
        try:
            self.sock.settimeout(self.call_seconds + 10)
            worker.send(self.sock, json.dumps({"op": op, "target": target, "payload": payload}))
            reply = worker.receive(self.sock, self.executor.max_reply_bytes)
        except TimeoutError:
            self.needs_restart = True
            return codec.encode({"timeout": self.call_seconds})
        except (OSError, ValueError) as error:
            self.needs_restart = True
            return codec.encode({"crashed": f"the connection to your code broke: {type(error).__name__}"})
        if reply is None:
            self.needs_restart = True
            return codec.encode({"crashed": "os._exit, a crash or the memory limit"})
        return reply

    def close(self) -> None:
        if self.sock is not None:
            try:
                worker.send(self.sock, json.dumps({"op": "done"}))
            except OSError:
                pass
            self.sock.close()
            self.sock = None


class SealedExecute(Execute):
    """Runs a submission in a sandboxed kernel, then its hidden tests in this process."""

    source_root = Unicode("", help="The course's source/ folder.").tag(config=True)
    secret_file = Unicode("", help="File holding the course secret for per-student seeds.").tag(config=True)
    sandbox = Bool(True, help="Sandbox the kernel when bwrap is available.").tag(config=True)
    notebook_seconds = Float(600, help="Wall time for one notebook and its tests.").tag(config=True)
    case_seconds = Float(60, help="Wall time for one hidden test case.").tag(config=True)
    call_seconds = Float(10, help="Wall time for one call of student code by a hidden test.").tag(config=True)
    memory_bytes = Integer(6 << 30, help="Address-space limit of the student's kernel.").tag(config=True)
    processes = Integer(256, help="Process limit of the sandbox user.").tag(config=True)
    file_bytes = Integer(64 << 20, help="Largest file the student's code may write.").tag(config=True)
    max_output_bytes = Integer(1 << 20, help="Output kept per cell; the rest is dropped.").tag(config=True)
    max_reply_bytes = Integer(256 << 20, help="Largest reply accepted from student code.").tag(config=True)
    max_restarts = Integer(5, help="Kernel restarts allowed per notebook.").tag(config=True)

    def preprocess(self, nb, resources, km=None):
        info = resources.get("nbgrader", {})
        assignment, student = info.get("assignment", ""), info.get("student", "")
        source = Path(self.source_root) / assignment / f"{info.get('notebook', '')}.ipynb"
        hidden = hidden_cells(source) if source.is_file() else {}
        sealed = {"sandbox": "", "results": {}, "notes": []}
        resources["sealed"] = sealed
        with tempfile.TemporaryDirectory(prefix="sealed-") as rundir:
            self.rundir = rundir
            uid = secrets.randbelow(SANDBOX_UIDS[1] - SANDBOX_UIDS[0]) + SANDBOX_UIDS[0]
            self._prepare_rundir(rundir, {a for a, _ in hidden.values()}, uid)
            sandboxed = self.sandbox and bwrap_path() is not None
            sealed["sandbox"] = "bubblewrap" if sandboxed else "none"
            if not sandboxed:
                self.log.warning("The student's kernel runs unsandboxed (%s): scores are still decided "
                                 "here, but student code can read and write what this user can.",
                                 "bwrap is not available" if self.sandbox else "SealedExecute.sandbox is off")
            self.kernel_manager_class = type("NotebookKernelManager", (SealedKernelManager,), {
                "rundir": rundir, "workdir": os.path.abspath(resources["metadata"]["path"]), "uid": uid,
                "sandboxed": sandboxed, "limits": {"memory_bytes": self.memory_bytes,
                                                   "processes": self.processes,
                                                   "file_bytes": self.file_bytes}})
            self._deadline = time.monotonic() + self.notebook_seconds
            self._restarts = 0
            self._skip: set[int] = set()
            self._run(nb, resources, hidden, sealed, student, assignment)
        return self.nb, self.resources

    def _prepare_rundir(self, rundir: str, assignments: set[str], uid: int) -> None:
        lib = Path(rundir) / "lib" / "autograder"
        lib.mkdir(parents=True)
        (lib / "__init__.py").write_text(STUB_INIT)
        shutil.copytree(PACKAGE_DIR / "student_side", lib / "student_side",
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        for assignment in assignments:
            probes = PACKAGE_DIR / assignment / "probes.py"
            if probes.is_file():
                (lib / assignment).mkdir()
                (lib / assignment / "__init__.py").write_text("")
                shutil.copy(probes, lib / assignment / "probes.py")
        if os.geteuid() == 0:
            os.chown(rundir, uid, uid)
        os.chmod(rundir, 0o700)

    def _run(self, nb, resources, hidden, sealed, student, assignment) -> None:
        from nbclient.client import NotebookClient

        NotebookClient.__init__(self, nb, None)
        self.reset_execution_trackers()
        self._check_assign_resources(resources)
        with self.setup_kernel():
            self._kernel_ready()
            for index, cell in enumerate(self.nb.cells):
                if cell.cell_type != "code":
                    continue
                if time.monotonic() > self._deadline:
                    cell.outputs = [_error("NotebookTimeLimit", "This cell did not run: the notebook "
                                           "used up its time limit.")]
                    continue
                self._output_bytes = 0
                self._killed = False
                try:
                    self.preprocess_cell(cell, resources, index)
                except DeadKernelError:
                    if not self._killed:
                        cell.outputs.append(_error("KernelDied", "The Python process stopped while "
                                                   "this cell ran (os._exit, a crash or the memory limit)."))
                    self._killed = True
                except CellTimeoutError:
                    if not self._killed:
                        cell.outputs.append(_error("CellTimeLimit", "This cell ran past its time limit."))
                    self._killed = True
                if getattr(self, "_killed", False):
                    self._skip.add(index)
                    self._killed = False
                    if not self.restart_kernel(reason=f"cell {index}", upto=index):
                        sealed["notes"].append("The kernel could not be restarted.")
                        break
            if hidden and self.kc is not None:
                secret = read_secret(Path(self.secret_file)) if self.secret_file else ""
                transport = KernelTransport(self, self.call_seconds)
                try:
                    results = runner.run_cells(
                        assignment, sorted({cell for _, cell in hidden.values()}), Student(transport),
                        seconds=self.case_seconds, seed=student_seed(secret, student, assignment))
                finally:
                    transport.close()
                for grade_id, (_, cell) in hidden.items():
                    sealed["results"][grade_id] = results[cell].to_json()
        self.set_widgets_metadata()

    def _kernel_ready(self) -> None:
        info = self.wait_for_reply(self.kc.kernel_info())
        self.nb.metadata["language_info"] = info["content"]["language_info"]

    def restart_kernel(self, reason: str, upto: int | None = None) -> bool:
        """Starts a fresh kernel and replays the code cells before `upto` (all when None)."""
        self._restarts += 1
        if self._restarts > self.max_restarts or time.monotonic() > self._deadline:
            return False
        self.log.warning("Restarting the student's kernel (%s).", reason)
        self._cleanup_kernel()
        self.km = self.create_kernel_manager()
        self.start_new_kernel()
        self.start_new_kernel_client()
        self._kernel_ready()
        stop = len(self.nb.cells) if upto is None else upto
        for index, cell in enumerate(self.nb.cells[:stop]):
            if cell.cell_type == "code" and index not in self._skip and not is_test_cell(cell):
                try:
                    reply = self.wait_for_reply(self.kc.execute(
                        cell.source, silent=True, store_history=False, allow_stdin=False))
                except (DeadKernelError, TimeoutError, RuntimeError):
                    return False
                if reply is None or not run_sync(self.km.is_alive)():
                    return False
        return True

    async def _async_handle_timeout(self, timeout, cell=None):
        """A cell past its time limit: stop the kernel (an interrupt can be caught)."""
        self.log.warning("A cell ran past %s s; stopping the student's kernel.", timeout)
        self._killed = True
        await _kill(self.km)
        return {"content": {"status": "error", "ename": "CellTimeLimit", "evalue": "",
                            "traceback": [f"CellTimeLimit: this cell ran past {timeout} s and was "
                                          "stopped."]}}

    def output(self, outs, msg, display_id, cell_index):
        size = len(json.dumps(msg.get("content", {})))
        self._output_bytes = getattr(self, "_output_bytes", 0) + size
        if self._output_bytes > self.max_output_bytes:
            if not any(o.get("name") == "stdout" and "output was cut" in o.get("text", "") for o in outs):
                outs.append(new_output("stream", name="stdout", text=(
                    f"[the output was cut: this cell printed more than "
                    f"{self.max_output_bytes // 1024} KiB]\n")))
            return None
        return super().output(outs, msg, display_id, cell_index)


async def _kill(km) -> None:
    try:
        provisioner = km.provisioner
        if provisioner is not None and provisioner.process is not None:
            provisioner.process.kill()
    except (ProcessLookupError, AttributeError):
        pass


def _error(name: str, text: str):
    return new_output("error", ename=name, evalue="", traceback=[f"{name}: {text}"])

