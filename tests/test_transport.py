"""The grader's transport against the real worker, in a real Python process standing in for the kernel.

Every request gets its own reply or a clear failure; a call that ran out of time never answers a
later request; limits count CPU time, so a busy machine changes nothing; a worker that never comes,
or a connection that is not the worker's, costs a bounded wait.
"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import textwrap
import time

import pytest

from autograder.sandbox import Box
from autograder.student import Student, StudentError
from autograder.transport import CallLimits, KernelTransport
from conftest import ROOT

STUDENT_CODE = textwrap.dedent("""
    import time

    def dense_params(n_in, n_out, bias=True):
        return n_in * n_out + (n_out if bias else 0)

    def slow_dense_params(n_in, n_out, bias=True):
        time.sleep(0.3)
        return n_in * n_out + (n_out if bias else 0)

    def busy(seconds):
        start = time.process_time()
        while time.process_time() - start < seconds:
            pass
        return seconds

    def stuck():
        import signal
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, signal.SIG_IGN)
        while True:
            pass

    def sleeps():
        time.sleep(3600)
""")


class FakeKernel:
    """A Python process that runs the worker when asked, as `kc.execute` makes the kernel do."""

    def __init__(self, box: Box, prelude: str):
        self.box = box
        self.prelude = prelude
        self.process: subprocess.Popen | None = None

    def execute(self, code: str, **kwargs) -> str:
        program = f"{self.prelude}\n{STUDENT_CODE}\n{code}\n"
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen([sys.executable, "-c", program], cwd=self.box.rundir, env=env)
        self.box.kernel_pid = self.process.pid
        return "msg-1"


class Executor:
    """What the transport needs of `SealedExecute`: a kernel, its box, the budget, the log."""

    def __init__(self, prelude: str = "", budget: float = 120.0):
        self.box = Box(
            sandbox=False,
            memory_bytes=1 << 32,
            processes=64,
            file_bytes=1 << 26,
            disk_bytes=1 << 26,
            disk_files=1000,
        )
        self.kc = FakeKernel(self.box, prelude)
        self.deadline = time.monotonic() + budget
        self.notebook_seconds = budget
        self.notes: list[str] = []
        self.restarts = 0

    def seconds_left(self) -> float:
        return self.deadline - time.monotonic()

    def note(self, text: str) -> None:
        self.notes.append(text)

    def execution_finished(self, msg_id: str) -> bool:
        return self.kc.process is not None and self.kc.process.poll() is not None

    def restart_kernel(self, reason: str) -> bool:
        self.restarts += 1
        self.box.kill_all()
        return True

    def close(self) -> None:
        self.box.close()


@pytest.fixture
def connect(request):
    made = []

    def make(
        prelude: str = "",
        cpu: float = 1.0,
        wall: float = 20.0,
        connect_seconds: float = 10.0,
        budget: float = 120.0,
    ):
        executor = Executor(prelude, budget)
        transport = KernelTransport(executor, CallLimits(cpu, wall, connect_seconds), 1 << 24)
        made.append((executor, transport))
        return executor, transport, Student(transport)

    yield make
    for executor, transport in made:
        transport.close()
        executor.close()


def test_slow_calls_within_the_limit_each_get_their_own_answer(connect):
    _, _, student = connect(cpu=0.5, wall=5.0)
    for n_in, n_out in [(3, 4), (5, 2), (7, 1), (2, 9)]:
        assert student.slow_dense_params(n_in, n_out) == n_in * n_out + n_out


def test_after_a_time_out_the_next_request_reads_its_own_reply(connect):
    executor, _, student = connect(cpu=0.5, wall=5.0)
    assert student.dense_params(3, 4) == 16
    with pytest.raises(StudentError, match="time limit"):
        student.stuck()
    assert executor.restarts == 0  # the kernel is replaced lazily, before the next request
    assert student.dense_params(5, 2) == 12
    assert student.dense_params(2, 3, bias=False) == 6
    assert executor.restarts == 1


def test_a_function_that_ran_out_of_time_is_not_called_again(connect):
    executor, _, student = connect(cpu=0.5, wall=5.0)
    with pytest.raises(StudentError, match="time limit"):
        student.stuck()
    started = time.monotonic()
    with pytest.raises(StudentError, match="not called again"):
        student.stuck()
    assert time.monotonic() - started < 0.5
    assert student.dense_params(1, 1) == 2


def test_a_call_that_sleeps_is_stopped_by_the_wall_ceiling(connect):
    _, _, student = connect(cpu=5.0, wall=1.0)
    started = time.monotonic()
    with pytest.raises(StudentError, match="time limit"):
        student.sleeps()
    assert time.monotonic() - started < 5


def _burn(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_cpu_time_limits_do_not_depend_on_the_machines_load(connect):
    """A call needing 0.6 s of CPU under a 1 s limit passes while every core is busy three times over."""
    _, _, student = connect(cpu=1.0, wall=60.0)
    count = 3 * multiprocessing.cpu_count()
    burners = [multiprocessing.Process(target=_burn, args=(30,)) for _ in range(count)]
    for burner in burners:
        burner.start()
    try:
        started = time.monotonic()
        assert student.busy(0.6) == 0.6
        elapsed = time.monotonic() - started
    finally:
        for burner in burners:
            burner.kill()
    assert elapsed > 0.6


def test_a_worker_that_never_starts_costs_one_bounded_wait(connect):
    _, _, student = connect(
        prelude="import sys, types\nsys.modules['autograder'] = types.ModuleType('x')", connect_seconds=3.0
    )
    started = time.monotonic()
    with pytest.raises(StudentError, match="did not let the grader reach"):
        student.dense_params(3, 4)
    with pytest.raises(StudentError, match="did not let the grader reach"):
        student.dense_params(3, 4)
    assert time.monotonic() - started < 3.0  # the import failed: no need to wait for the deadline


def test_a_worker_that_blocks_costs_at_most_the_connect_deadline(connect):
    prelude = "import socket, time\nsocket.socket.connect = lambda self, address: time.sleep(3600)"
    _, _, student = connect(prelude=prelude, connect_seconds=2.0)
    started = time.monotonic()
    with pytest.raises(StudentError, match="did not let the grader reach"):
        student.dense_params(3, 4)
    assert time.monotonic() - started < 4.0


def test_a_connection_that_is_not_the_workers_is_dropped(connect):
    prelude = textwrap.dedent("""
        import glob, os, socket, threading, time
        held = []
        def squat():
            while True:
                for path in glob.glob('grader-*.sock'):
                    try:
                        s = socket.socket(socket.AF_UNIX); s.connect(path); held.append(s)
                    except OSError:
                        pass
                time.sleep(0.001)
        threading.Thread(target=squat, daemon=True).start()
        time.sleep(0.5)
    """)
    _, _, student = connect(prelude=prelude)
    assert student.dense_params(3, 4) == 16


def test_the_notebook_budget_ends_every_wait(connect):
    _, _, student = connect(cpu=60.0, wall=60.0, budget=2.0)
    started = time.monotonic()
    with pytest.raises(StudentError):
        student.sleeps()
    with pytest.raises(StudentError, match="time budget"):
        student.dense_params(3, 4)
    assert time.monotonic() - started < 4.0
