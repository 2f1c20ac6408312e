"""The box one student's notebook runs in: a bubblewrap sandbox with per-notebook limits.

A `Box` is made per notebook and holds, on the host side:

- a run folder on its own size-limited tmpfs (bytes and files): the kernel's sockets, the
  student-side package, the student's `/tmp` and a writable scratch copy of the submission, so no
  folder shape the student creates can fill the host's disk or break the cleanup (an unmount);
- control groups (cgroup v1 `memory`, `pids`, `cpuacct`) that cap memory (the tmpfs pages are
  charged there too) and processes for the whole sandbox, and measure its CPU time, which is what
  the grader's time limits count, so a busy machine does not turn a correct answer into a time-out.

Without root or bubblewrap the kernel runs unsandboxed (`sandboxed` is False): no tmpfs, no
control groups, CPU time measured on the kernel's process tree, and the per-process limits of the
kernel's own resource limits only.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from functools import cache
from pathlib import Path

import psutil

PACKAGE_DIR = Path(__file__).resolve().parent
SANDBOX_UIDS = (200_000, 300_000)  # a fresh unused uid per notebook
CGROUP_ROOT = Path("/sys/fs/cgroup")
CGROUP_PARENT = "dl-course-sandboxes"
STUB_INIT = (
    '"""The grader\'s student-side package: hidden tests do not run here."""\n\n\n'
    "def grade(*args, **kwargs):\n    return None\n"
)
RUNDIR_PREFIX = "sealed-"  # run folders: sealed-<owner pid>-<random> in the temporary folder
CGROUP_PREFIX = "nb-"  # control groups: nb-<owner pid>-<random> under CGROUP_PARENT
WORKDIR = "/submission"  # where the kernel sees (and works in) the scratch copy of the submission
PASSED_ENV = (
    "LANG",
    "LC_ALL",
    "OPENBLAS_CORETYPE",
    "OPENBLAS_L2_SIZE",
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "NBGRADER_EXECUTION",
)


@cache
def bwrap_path() -> str | None:
    """The bubblewrap program, if it is installed and can build a sandbox here."""
    found = shutil.which("bwrap")
    if not found or os.geteuid() != 0:
        return None
    probe = subprocess.run(
        [found, "--ro-bind", "/", "/", "--unshare-pid", "--unshare-net", "--die-with-parent", "true"],
        capture_output=True,
    )
    return found if probe.returncode == 0 else None


@cache
def cgroup_controllers() -> dict[str, Path]:
    """The cgroup v1 controllers this process can make groups in: name -> parent folder."""
    found = {}
    if os.geteuid() != 0:
        return found
    for name in ("memory", "pids", "cpuacct"):
        parent = CGROUP_ROOT / name / CGROUP_PARENT
        try:
            parent.mkdir(exist_ok=True)
        except OSError:
            continue
        if (parent / "cgroup.procs").exists():
            found[name] = parent
    return found


def _binds_for_system() -> list[str]:
    args = []
    for top in ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/etc"):
        path = Path(top)
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), top]
        elif path.is_dir():
            args += ["--ro-bind", top, top]
    return args


def copy_regular_files(source: Path, target: Path, max_files: int, max_bytes: int) -> list[str]:
    """Copies the regular files and folders below `source` into `target` without following links.

    Returns what was left out (links, devices, anything past the limits), one line each.
    """
    skipped: list[str] = []
    count = size = 0
    pending = [(source, target)]
    while pending:
        here, there = pending.pop()
        there.mkdir(exist_ok=True)
        with os.scandir(here) as entries:
            for entry in entries:
                info = entry.stat(follow_symlinks=False)
                if stat.S_ISDIR(info.st_mode):
                    pending.append((Path(entry.path), there / entry.name))
                elif not stat.S_ISREG(info.st_mode):
                    skipped.append(f"{entry.name}: not a regular file")
                elif count + 1 > max_files or size + info.st_size > max_bytes:
                    skipped.append(f"{entry.name}: past the submission's file limits")
                else:
                    fd = os.open(entry.path, os.O_RDONLY | os.O_NOFOLLOW)
                    with os.fdopen(fd, "rb") as src, open(there / entry.name, "wb") as dst:
                        shutil.copyfileobj(src, dst)
                    count, size = count + 1, size + info.st_size
    return skipped


class Box:
    """One notebook's sandbox: run folder, control groups, the command that starts its kernel."""

    def __init__(
        self,
        *,
        sandbox: bool,
        memory_bytes: int,
        processes: int,
        file_bytes: int,
        disk_bytes: int,
        disk_files: int,
    ):
        self.sandboxed = sandbox and bwrap_path() is not None
        self.uid = secrets.randbelow(SANDBOX_UIDS[1] - SANDBOX_UIDS[0]) + SANDBOX_UIDS[0]
        self.memory_bytes, self.processes, self.file_bytes = memory_bytes, processes, file_bytes
        # The owner's pid in the names lets a later run remove what a killed grader left (`sweep`).
        self.rundir = tempfile.mkdtemp(prefix=f"{RUNDIR_PREFIX}{os.getpid()}-")
        self.mounted = False
        self.cgroups: dict[str, Path] = {}
        self.kernel_pid: int | None = None
        if self.sandboxed:
            subprocess.run(
                [
                    "mount",
                    "-t",
                    "tmpfs",
                    "-o",
                    f"size={disk_bytes},nr_inodes={disk_files},mode=0700,uid={self.uid},"
                    f"gid={self.uid},nosuid,nodev",
                    "tmpfs",
                    self.rundir,
                ],
                check=True,
            )
            self.mounted = True
            name = f"{CGROUP_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
            for controller, parent in cgroup_controllers().items():
                group = parent / name
                group.mkdir()
                self.cgroups[controller] = group
            if "memory" in self.cgroups:
                (self.cgroups["memory"] / "memory.limit_in_bytes").write_text(str(memory_bytes))
            if "pids" in self.cgroups:
                (self.cgroups["pids"] / "pids.max").write_text(str(processes))
        for sub in ("lib", "tmp", "work"):
            os.mkdir(os.path.join(self.rundir, sub))

    # -- contents --------------------------------------------------------------------------------

    def install_student_side(self, assignments: set[str]) -> None:
        """Puts the student-side package (and the assignments' probes) where the kernel imports it."""
        lib = Path(self.rundir) / "lib" / "autograder"
        lib.mkdir()
        (lib / "__init__.py").write_text(STUB_INIT)
        shutil.copytree(
            PACKAGE_DIR / "student_side",
            lib / "student_side",
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
        )
        for assignment in assignments:
            probes = PACKAGE_DIR / assignment / "probes.py"
            if probes.is_file():
                (lib / assignment).mkdir()
                (lib / assignment / "__init__.py").write_text("")
                shutil.copy(probes, lib / assignment / "probes.py")
        self._own(Path(self.rundir))

    def copy_submission(self, folder: Path, max_files: int, max_bytes: int) -> list[str]:
        """Gives the kernel a writable scratch copy of the submission folder; returns what was left out."""
        skipped = copy_regular_files(folder, Path(self.rundir) / "work", max_files, max_bytes)
        self._own(Path(self.rundir))
        return skipped

    def _own(self, top: Path) -> None:
        if not self.sandboxed:
            return
        for path in [top, *top.rglob("*")]:
            os.lchown(path, self.uid, self.uid)
        for sub in ("lib",):
            for path in [top / sub, *(top / sub).rglob("*")]:
                path.chmod(0o555 if path.is_dir() else 0o444)

    # -- the kernel command ----------------------------------------------------------------------

    def command(self, kernel_cmd: list[str], env: dict[str, str], workdir: str = WORKDIR) -> list[str]:
        """Wraps a kernel command: control groups, bubblewrap, resource limits, the sandbox user."""
        if not self.sandboxed:
            return kernel_cmd
        args = [
            bwrap_path() or "bwrap",
            "--die-with-parent",
            "--new-session",
            "--unshare-pid",
            "--unshare-net",
            "--unshare-ipc",
            "--unshare-uts",
            "--unshare-cgroup-try",
            *_binds_for_system(),
            "--proc",
            "/proc",
            "--dev",
            "/dev",
        ]
        made = {"/", "/usr", "/etc"}

        def bind(option: str, source: str, dest: str) -> None:
            for parent in map(str, reversed(Path(dest).parents)):
                if parent not in made:
                    args.extend(["--perms", "0755", "--dir", parent])  # bwrap would make them 0700
                    made.add(parent)
            args.extend([option, source, dest])
            made.add(dest)

        for top in sorted({os.path.realpath(sys.base_prefix), os.path.realpath(sys.prefix), sys.prefix}):
            if not top.startswith(("/usr/", "/bin/", "/lib")):
                bind("--ro-bind", top, top)
        # /tmp first: the run folder and the submission's folder may lie below it.
        bind("--bind", os.path.join(self.rundir, "tmp"), "/tmp")
        bind("--bind", self.rundir, self.rundir)
        bind("--bind", os.path.join(self.rundir, "work"), workdir)
        args += ["--chdir", workdir, "--clearenv"]
        for key, value in env.items():
            args += ["--setenv", key, value]
        memory = self.memory_bytes if "memory" in self.cgroups else self.memory_bytes // 4
        processes = self.processes if "pids" in self.cgroups else 4
        limits = [
            "prlimit",
            f"--as={memory}",
            f"--nproc={processes}",
            f"--fsize={self.file_bytes}",
            "--nofile=512",
            "--core=0",
            "--",
        ]
        drop = [
            "setpriv",
            f"--reuid={self.uid}",
            f"--regid={self.uid}",
            "--clear-groups",
            "--inh-caps=-all",
            "--",
        ]
        join = []
        if self.cgroups:  # the launcher joins the groups first, so every process of the box is in them
            script = "".join(
                f"echo $$ > {group / 'cgroup.procs'} || exit 111; " for group in self.cgroups.values()
            )
            join = ["/bin/sh", "-c", script + 'exec "$@"', "join-cgroups"]
        return [*join, *args, "--", *limits, *drop, *kernel_cmd]

    # -- measuring and stopping ------------------------------------------------------------------

    def cpu_seconds(self) -> float:
        """CPU time used so far by everything in the box (the kernel's process tree when unsandboxed)."""
        if "cpuacct" in self.cgroups:
            try:
                return int((self.cgroups["cpuacct"] / "cpuacct.usage").read_text()) / 1e9
            except (OSError, ValueError):
                return 0.0
        if self.kernel_pid is None:
            return 0.0
        total = 0.0
        try:
            root = psutil.Process(self.kernel_pid)
            for process in [root, *root.children(recursive=True)]:
                times = process.cpu_times()
                total += times.user + times.system + times.children_user + times.children_system
        except psutil.Error:
            pass
        return total

    def pids(self) -> list[int]:
        """The processes in the box."""
        for controller in ("pids", "memory", "cpuacct"):
            if controller in self.cgroups:
                text = (self.cgroups[controller] / "cgroup.procs").read_text()
                return [int(pid) for pid in text.split()]
        if self.kernel_pid is None:
            return []
        try:
            root = psutil.Process(self.kernel_pid)
            return [root.pid, *(child.pid for child in root.children(recursive=True))]
        except psutil.Error:
            return []

    def peak_memory(self) -> int | None:
        """The most memory the box has held at once (its processes and its files), if measured."""
        if "memory" not in self.cgroups:
            return None
        try:
            return int((self.cgroups["memory"] / "memory.max_usage_in_bytes").read_text())
        except (OSError, ValueError):
            return None

    def kill_all(self) -> None:
        """Stops every process in the box at once (a kernel that ignores interrupts included)."""
        for _ in range(20):
            pids = self.pids()
            if not pids:
                return
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.05)

    def close(self) -> None:
        """Removes the box: processes, control groups and the run folder, whatever its contents."""
        self.kill_all()
        for group in self.cgroups.values():
            for _ in range(100):
                try:
                    group.rmdir()
                    break
                except OSError:
                    time.sleep(0.05)
        if self.mounted:
            subprocess.run(["umount", "--lazy", self.rundir], check=False)
        # `rm` copes with any depth of folders, where shutil.rmtree raises RecursionError.
        subprocess.run(["rm", "-rf", "--one-file-system", self.rundir], check=False)


def _owner_gone(name: str, prefix: str, changed: float) -> bool:
    """Whether the process named in `name` (`<prefix><pid>-...`) is gone: not running, or a newer
    process that reuses its pid (started after the box last changed)."""
    try:
        pid = int(name[len(prefix) :].split("-", 1)[0])
    except ValueError:
        return False  # not a name this module makes
    try:
        return psutil.Process(pid).create_time() > changed + 1
    except psutil.NoSuchProcess:
        return True
    except psutil.Error:
        return False


def sweep() -> list[str]:
    """Removes the boxes of grading processes that died without closing them (killed with SIGKILL,
    say): their processes, control groups and run folders. A box whose owner still runs is kept.
    Returns what was removed."""
    removed = []
    for controller, parent in cgroup_controllers().items():
        for group in parent.glob(f"{CGROUP_PREFIX}*"):
            try:
                changed = group.stat().st_ctime
            except OSError:
                continue
            if group.is_dir() and _owner_gone(group.name, CGROUP_PREFIX, changed):
                stale = Box.__new__(Box)
                stale.cgroups, stale.kernel_pid = {controller: group}, None
                stale.kill_all()
                try:
                    group.rmdir()
                    removed.append(str(group))
                except OSError:
                    pass
    for folder in Path(tempfile.gettempdir()).glob(f"{RUNDIR_PREFIX}*-*"):
        try:
            changed = folder.stat().st_ctime
        except OSError:
            continue
        if folder.is_dir() and _owner_gone(folder.name, RUNDIR_PREFIX, changed):
            if os.path.ismount(folder):
                subprocess.run(["umount", "--lazy", str(folder)], check=False)
            subprocess.run(["rm", "-rf", "--one-file-system", str(folder)], check=False)
            removed.append(str(folder))
    return removed
