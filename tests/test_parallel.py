"""Parallel grading on Dask (`python -m autograder.grade`): same grades as `nbgrader autograde`, one
writer, retries, resuming, poison submissions, PostgreSQL and a real scheduler on loopback.

What can kill a Dask worker from a sandboxed kernel? Nothing we know of: the kernel runs as another
user in its own pid namespace (it cannot signal the worker or its grading process), with memory and
process limits, and only plain data of bounded size reaches the grader. So the poison test simulates
a crash in the grader: with `AUTOGRADER_TEST_KILL_WORKER_ON=<file>` set (only these tests set it),
the grading process kills its Dask worker and itself after grading a submission holding that file.
The poison notebook also kills its own kernel (`os._exit`), which the sealed grader survives.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import psutil
import pytest

from autograder.grade import grade_class, grade_table
from autograder.parallel_server import CRASH_TEST_ENV
from autograder.runner import RESULT_MIME
from autograder.sealed import read_secret
from tools import course, demo, submissions

pytestmark = pytest.mark.pipeline

ASSIGNMENT = "parameter_counting"


@pytest.fixture(scope="module")
def base_course(tmp_path_factory) -> Path:
    """A course with the release generated, the demo class handed in and a course secret."""
    root = course.make_course(tmp_path_factory.mktemp("parallel") / "base")
    course.nbgrader(root, "generate_assignment", ASSIGNMENT, "--force")
    for student, kind in demo.demo_class(ASSIGNMENT):
        demo.hand_in(root, ASSIGNMENT, student, kind)
    read_secret(root / ".course_secret")
    return root


@pytest.fixture(scope="module")
def reference(base_course, tmp_path_factory):
    """The class graded sequentially by `nbgrader autograde`: (grade table, hidden-test results)."""
    root = copy_course(base_course, tmp_path_factory.mktemp("sequential") / "course")
    course.nbgrader(root, "autograde", ASSIGNMENT)
    return grade_table(sqlite(root), ASSIGNMENT), hidden_results(root)


@pytest.fixture(scope="session")
def postgres():
    """The URL of a PostgreSQL server's maintenance database: `DL_COURSE_TEST_PG`, or a throwaway
    server started for the session (tests/postgres_server.py). Skips only where PostgreSQL is not
    installed, and fails instead in CI."""
    import postgres_server

    if os.environ.get(postgres_server.URL_ENV):
        yield os.environ[postgres_server.URL_ENV]
        return
    if postgres_server.binaries() is None:
        if os.environ.get("CI"):
            pytest.fail("CI needs PostgreSQL: install the Debian package `postgresql` (make install does)")
        pytest.skip("PostgreSQL is not installed: `make install` installs the Debian package `postgresql`")
    server = postgres_server.Server()
    yield server.url
    server.stop()


def copy_course(base: Path, dest: Path, students: list[str] | None = None) -> Path:
    shutil.copytree(base, dest, symlinks=True)
    for folder in (dest / "submitted").iterdir():
        if students is not None and folder.name not in students:
            shutil.rmtree(folder)
    return dest


def sqlite(root: Path) -> str:
    return f"sqlite:///{root / 'gradebook.db'}"


def only(table: dict, students) -> dict:
    return {key: value for key, value in table.items() if key[0] in students}


def hidden_results(root: Path) -> dict[tuple[str, str], dict]:
    """What the hidden tests reported in every grade cell of every autograded notebook."""
    found = {}
    for path in sorted((root / "autograded").glob(f"*/{ASSIGNMENT}/{ASSIGNMENT}.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            for output in cell.get("outputs", []):
                if RESULT_MIME in output.get("data", {}):
                    found[path.parts[-3], submissions.nbgrader_meta(cell)["grade_id"]] = json.loads(
                        output["data"][RESULT_MIME]
                    )
    return found


def markers(root: Path, url: str | None = None) -> dict[str, dict]:
    """The done markers of the course's gradebook, by student."""
    import sqlalchemy

    engine = sqlalchemy.create_engine(url or sqlite(root))
    try:
        with engine.connect() as conn:
            rows = conn.execute(sqlalchemy.text("SELECT * FROM autograder_graded")).mappings().all()
    except sqlalchemy.exc.OperationalError:
        rows = []
    finally:
        engine.dispose()
    return {row["student"]: dict(row) for row in rows}


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def grading_processes(pid: int) -> list[psutil.Process]:
    found = []
    for proc in psutil.Process(pid).children(recursive=True):
        try:
            if "autograder.parallel_server" in " ".join(proc.cmdline()):
                found.append(proc)
        except psutil.NoSuchProcess:
            pass
    return found


def test_parallel_grades_equal_sequential_grades_on_sqlite(base_course, reference, tmp_path):
    root = copy_course(base_course, tmp_path / "course")
    out = io.StringIO()
    summary = grade_class(root, ASSIGNMENT, workers=2, stream=out)
    students = sorted(p.name for p in (root / "submitted").iterdir())
    assert sorted(summary.graded) == students and not summary.failed, (str(summary), out.getvalue())
    table, results = reference
    assert grade_table(sqlite(root), ASSIGNMENT) == table
    assert hidden_results(root) == results
    statuses = {student: row["status"] for student, row in markers(root).items()}
    assert statuses == dict.fromkeys(students, "graded")
    assert f"[{len(students)}/{len(students)}] 0 failed" in out.getvalue()
    # Done stays done: a rerun grades nothing, --force regrades one student to the same grades.
    again = grade_class(root, ASSIGNMENT, stream=io.StringIO())
    assert again.graded == [] and sorted(again.skipped) == students
    forced = grade_class(
        root, ASSIGNMENT, workers=1, force=True, students=[students[0]], stream=io.StringIO()
    )
    assert forced.graded == [students[0]]
    assert grade_table(sqlite(root), ASSIGNMENT) == table
    assert markers(root)[students[0]]["writes"] == 2


def test_parallel_grades_equal_sequential_grades_on_postgresql(base_course, reference, postgres, tmp_path):
    from postgres_server import connections, create_database

    urls = {}
    for name in ("sequential", "parallel"):
        root = copy_course(base_course, tmp_path / name)
        urls[name] = create_database(postgres)
        course.nbgrader(
            root, "generate_assignment", ASSIGNMENT, "--force", f"--CourseDirectory.db_url={urls[name]}"
        )
    course.nbgrader(
        tmp_path / "sequential", "autograde", ASSIGNMENT, f"--CourseDirectory.db_url={urls['sequential']}"
    )

    database = urls["parallel"].rsplit("/", 1)[1]
    seen, stop = [], threading.Event()

    def count():
        while not stop.is_set():
            seen.append(connections(postgres, database))
            time.sleep(0.2)

    counter = threading.Thread(target=count)
    counter.start()
    try:
        summary = grade_class(
            tmp_path / "parallel", ASSIGNMENT, workers=2, db_url=urls["parallel"], stream=io.StringIO()
        )
    finally:
        stop.set()
        counter.join()
    assert not summary.failed and len(summary.graded) == len(demo.demo_class(ASSIGNMENT))
    table = reference[0]
    assert grade_table(urls["sequential"], ASSIGNMENT) == table
    assert grade_table(urls["parallel"], ASSIGNMENT) == table
    assert set(markers(tmp_path, urls["parallel"])) == {student for student, _ in demo.demo_class(ASSIGNMENT)}
    assert (
        not (tmp_path / "parallel" / "gradebook.db").exists()
        or grade_table(sqlite(tmp_path / "parallel"), ASSIGNMENT) == {}
    )
    assert seen and max(seen) <= 2, f"connections to the gradebook during the run: {max(seen)}"


def test_a_worker_killed_mid_task_has_its_submission_graded_once(base_course, reference, tmp_path):
    """SIGKILL a Dask worker, then another worker's grading process, each while a notebook runs."""
    students = [student for student, _ in demo.demo_class(ASSIGNMENT)][:4]
    root = copy_course(base_course, tmp_path / "course", students)
    done: dict = {}
    run = threading.Thread(
        target=lambda: done.update(summary=grade_class(root, ASSIGNMENT, workers=2, stream=io.StringIO()))
    )
    run.start()

    def busy(spared: int = 0):  # a grading process running a kernel right now, not under `spared`
        for proc in grading_processes(os.getpid()):
            try:
                if proc.children() and proc.ppid() != spared:
                    return proc
            except psutil.NoSuchProcess:
                pass
        return None

    victim = wait_for(busy, 600, "a worker grading a notebook").ppid()
    os.kill(victim, signal.SIGKILL)  # the Dask worker: its task runs again elsewhere
    wait_for(lambda: busy(spared=victim), 600, "another worker grading a notebook").kill()
    # ... and the grading process alone (a crash in the grader): the task is tried again.
    run.join(900)
    summary = done["summary"]
    assert sorted(summary.graded) == sorted(students) and not summary.failed, str(summary)
    assert grade_table(sqlite(root), ASSIGNMENT) == only(reference[0], students)
    assert {student: row["writes"] for student, row in markers(root).items()} == dict.fromkeys(students, 1)


def test_a_killed_coordinator_resumes_where_it_stopped(base_course, reference, tmp_path):
    students = [student for student, _ in demo.demo_class(ASSIGNMENT)][:6]
    root = copy_course(base_course, tmp_path / "course", students)
    coordinator = subprocess.Popen(
        [sys.executable, "-m", "autograder.grade", ASSIGNMENT, "--workers", "2"],
        cwd=root,
        env=course.nbgrader_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for(lambda: len(markers(root)) >= 2, 900, "two graded submissions")
    finally:
        # SIGKILL the coordinator alone: its workers, grading processes and kernels follow it.
        alive = coordinator.poll() is None
        family = psutil.Process(coordinator.pid).children(recursive=True) if alive else []
        coordinator.send_signal(signal.SIGKILL)
        coordinator.wait()
        _, left = psutil.wait_procs(family, timeout=120)
        for proc in left:
            proc.kill()
    assert not left, f"left running after the coordinator died: {[p.pid for p in left]}"
    before = markers(root)
    assert 2 <= len(before) < len(students), "the coordinator was to be stopped halfway"
    summary = grade_class(root, ASSIGNMENT, workers=2, stream=io.StringIO())
    assert sorted(summary.skipped) == sorted(before)
    assert sorted(summary.graded) == sorted(set(students) - set(before)) and not summary.failed
    after = markers(root)
    assert all(
        after[student]["run"] == row["run"] and after[student]["writes"] == 1
        for student, row in before.items()
    )
    assert grade_table(sqlite(root), ASSIGNMENT) == only(reference[0], students)


def test_a_poison_submission_fails_with_a_reason_and_the_rest_finish(
    base_course, reference, tmp_path, monkeypatch
):
    from nbgrader.api import Gradebook, MissingEntry

    students = [student for student, _ in demo.demo_class(ASSIGNMENT)][:3]
    root = copy_course(base_course, tmp_path / "course", students)
    demo.hand_in(root, ASSIGNMENT, "poison", "reference")
    path = root / "submitted" / "poison" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("import os\nos._exit(1)"))
    nbformat.write(nb, path)
    (path.parent / "POISON").write_text("kills its grader\n")
    monkeypatch.setenv(CRASH_TEST_ENV, "POISON")
    summary = grade_class(root, ASSIGNMENT, workers=2, allowed_failures=1, stream=io.StringIO())
    assert sorted(summary.graded) == sorted(students), str(summary)
    assert list(summary.failed) == ["poison"] and "killed the Dask worker" in summary.failed["poison"]
    row = markers(root)["poison"]
    assert row["status"] == "failed" and "2 tries" in row["reason"]
    assert grade_table(sqlite(root), ASSIGNMENT) == only(reference[0], students)
    with Gradebook(sqlite(root)) as gradebook, pytest.raises(MissingEntry):
        gradebook.find_submission(ASSIGNMENT, "poison")


def test_a_cluster_on_loopback_grades_through_the_scheduler_address(base_course, reference, tmp_path):
    from distributed import Client

    students = [student for student, _ in demo.demo_class(ASSIGNMENT)][-3:]
    root = copy_course(base_course, tmp_path / "course", students)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    # The workers run elsewhere, where the course's files are not: not on their path, not their folder.
    env = {key: value for key, value in course.nbgrader_env().items() if key != "PYTHONPATH"}
    dask = [sys.executable, "-m", "distributed.cli.dask_scheduler"]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    processes = [
        subprocess.Popen(
            [*dask, "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
            cwd=tmp_path,
            env=env,
            **quiet,
        )
    ]
    try:
        for index in range(2):
            folder = tmp_path / f"worker{index}"
            folder.mkdir()
            processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "distributed.cli.dask_worker",
                        address,
                        "--nthreads",
                        "1",
                        "--no-dashboard",
                        "--local-directory",
                        str(folder),
                    ],
                    cwd=folder,
                    env=env,
                    **quiet,
                )
            )
        with Client(address, timeout=120) as client:
            client.wait_for_workers(2, timeout=300)
        summary = grade_class(root, ASSIGNMENT, scheduler=address, stream=io.StringIO())
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
    assert summary.workers == 2 and summary.scheduler == address
    assert sorted(summary.graded) == sorted(students) and not summary.failed, str(summary)
    assert grade_table(sqlite(root), ASSIGNMENT) == only(reference[0], students)


def test_importing_the_grader_keeps_the_hidden_tests_entry_point(capsys):
    import autograder
    import autograder.grade
    from conftest import grade_cells

    cell = grade_cells(ASSIGNMENT)[0]
    namespace = submissions.namespace(ASSIGNMENT)
    assert autograder.grade(ASSIGNMENT, cell.grade_id, namespace) == cell.points
