"""Boxes that a killed grader leaves behind are removed by the next grader; live ones are not."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from autograder import limits, sandbox
from conftest import ROOT

pytestmark = pytest.mark.skipif(
    sandbox.bwrap_path() is None or not sandbox.cgroup_controllers(),
    reason="needs bubblewrap, root and cgroup v1 to build the sandbox",
)
LIMITS = {
    "memory_bytes": limits.MEMORY_BYTES,
    "processes": limits.PROCESSES,
    "file_bytes": limits.FILE_BYTES,
    "disk_bytes": limits.DISK_BYTES,
    "disk_files": limits.DISK_FILES,
}
# A grader that makes a box, starts a process in its control groups, says where, and waits to be killed.
GRADER = textwrap.dedent(
    f"""
    import os, subprocess, sys, time
    sys.path.insert(0, {str(ROOT)!r})
    from autograder.sandbox import Box
    box = Box(sandbox=True, **{LIMITS!r})
    child = subprocess.Popen(["sleep", "600"])
    for group in box.cgroups.values():
        (group / "cgroup.procs").write_text(str(child.pid))
    print(box.rundir, child.pid, *box.cgroups.values(), flush=True)
    time.sleep(600)
    """
)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split(")")[-1].split()[0] != "Z"


def test_a_killed_graders_box_is_swept_and_a_live_one_kept():
    grader = subprocess.Popen([sys.executable, "-c", GRADER], stdout=subprocess.PIPE, text=True)
    rundir, child, *groups = grader.stdout.readline().split()
    grader.send_signal(signal.SIGKILL)  # no cleanup runs: the box stays mounted, its process running
    grader.wait()
    live = sandbox.Box(sandbox=True, **LIMITS)
    try:
        assert os.path.ismount(rundir) and all(Path(group).is_dir() for group in groups)
        removed = sandbox.sweep()
        assert rundir in removed and set(groups) <= set(removed)
        assert not os.path.exists(rundir) and not any(Path(group).exists() for group in groups)
        assert not _alive(int(child))
        # This process's own box is in use: it stays.
        assert os.path.ismount(live.rundir) and all(group.is_dir() for group in live.cgroups.values())
        assert live.rundir not in removed
    finally:
        live.close()
