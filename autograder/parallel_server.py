"""The grading process of a Dask worker: grades one submission at a time with nbgrader's own autograde.

`autograder.parallel` starts one such process per Dask worker (`python -c ... serve(fd, ppid)`)
from the worker's copy of the course (its "kit": `autograder/`, `source/<assignment>/`,
`nbgrader_config.py`, the course secret and a template gradebook). Each job is one submission:

1. a scratch course is made in the kit folder: `source` and `autograder` linked from the kit, the
   course's `nbgrader_config.py`, a private sqlite gradebook copied from the template (the
   assignment's notebooks and cells, copied row for row from the course's gradebook) plus the
   student's rows from the course's gradebook (earlier manual scores, extension, timestamp), and the
   submitted files under `submitted/<student>/<assignment>/`;
2. `nbgrader autograde <assignment> --student <id>` runs in this process, in its main thread, exactly
   as on the command line in the course folder (`AutogradeApp`, the course's config, so
   `SealedExecute`, `ScoreHiddenTests` and every other setting apply unchanged), with the gradebook
   and the secret file pointed at the scratch gradebook and the kit's copy of the course secret;
3. the result is plain data: the student's gradebook rows after grading, every file the grading
   wrote in the scratch course (the autograded folder, logs), the log lines, and the time taken.

The process stays up between jobs, so whatever the grader keeps warm in its process is reused by
the next submission; it exits when its Dask worker dies (its parent process changes) or closes
the connection.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

# Tests set this to a file name: a submission holding that file kills its grading process and the Dask
# worker above it once graded (nothing a sandboxed kernel can do reaches either; see tests/test_parallel.py).
CRASH_TEST_ENV = "AUTOGRADER_TEST_KILL_WORKER_ON"
SCRATCH_INPUTS = {
    "source",
    "autograder",
    "submitted",
    "nbgrader_config.py",
    "gradebook.db",
    "gradebook.db-journal",
    "__pycache__",
    ".nbgrader.log",
}
# The gradebook rows of one student's submission, parents first.
SUBMISSION_TABLES = ("student", "submitted_assignment", "submitted_notebook", "grade", "comment")


def serve(fd: int, parent_pid: int) -> None:
    """Answers jobs sent over the connection `fd` until it closes or the parent process dies."""
    conn = Connection(fd)
    threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()
    _warm_up()
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(grade_job(job))


def _watch_parent(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(0.5)
    os._exit(70)  # the Dask worker died: stop, and the sandboxed kernel dies with us


def _warm_up() -> None:
    """Imports what every job needs once, before the first job arrives."""
    for module in ("nbgrader.apps.autogradeapp", "autograder.nbgrader_plugins", "autograder.sealed", "torch"):
        try:
            __import__(module)
        except Exception:  # noqa: BLE001 (a course without these still grades; the job reports errors)
            pass


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("[%(name)s | %(levelname)s] %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def grade_job(job: dict[str, Any]) -> dict[str, Any]:
    """Grades one submission in a scratch course; never raises (a failure is a result)."""
    started = time.monotonic()
    kit = Path(job["kit_dir"])
    result: dict[str, Any] = {
        "student": job["student"],
        "assignment": job["assignment"],
        "status": "failed",
        "reason": "",
        "log": [],
        "rows": {},
        "files": {},
        "host": os.uname().nodename,
        "pid": os.getpid(),
    }
    scratch = Path(tempfile.mkdtemp(prefix="job-", dir=kit))
    try:
        url = _make_scratch_course(scratch, kit, job)
        autograde_started = time.monotonic()
        ok, lines, autograded = _autograde(scratch, kit, url, job)
        result["autograde_seconds"] = time.monotonic() - autograde_started
        result["log"] = lines
        if ok:
            result["rows"] = read_submission_rows(url, job["assignment"], job["student"])
            result["files"] = _outputs(scratch)
            result["autograded_dir"] = autograded
            result["status"] = "graded"
        else:
            errors = [line for line in lines if "| ERROR]" in line]
            result["reason"] = errors[0].split("] ", 1)[-1] if errors else "nbgrader autograde failed"
        marker = os.environ.get(CRASH_TEST_ENV)
        if marker and marker in job["files"]:
            os.kill(os.getppid(), signal.SIGKILL)
            os._exit(71)
    except Exception as error:  # noqa: BLE001
        result["reason"] = f"the grading process failed: {type(error).__name__}: {error}"
        result["log"].append(traceback.format_exc())
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    result["seconds"] = time.monotonic() - started
    return result


def _make_scratch_course(scratch: Path, kit: Path, job: dict[str, Any]) -> str:
    for name in ("source", "autograder"):
        (scratch / name).symlink_to(kit / name, target_is_directory=True)
    shutil.copy(kit / "nbgrader_config.py", scratch / "nbgrader_config.py")
    shutil.copy(job["template"], scratch / "gradebook.db")
    folder = scratch / job["submitted_dir"]
    for relpath, data in job["files"].items():
        path = folder / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    url = f"sqlite:///{scratch / 'gradebook.db'}"
    insert_rows(url, job["existing"])
    return url


def _autograde(scratch: Path, kit: Path, url: str, job: dict[str, Any]) -> tuple[bool, list[str], str]:
    """Runs `nbgrader autograde` for one student in `scratch`, in this process; returns whether it
    succeeded, its log lines, and the autograded folder relative to the scratch course."""
    from nbgrader.apps.autogradeapp import AutogradeApp

    argv = [
        job["assignment"],
        "--student",
        job["student"],
        f"--CourseDirectory.root={scratch}",
        f"--CourseDirectory.db_url={url}",
    ]
    if (kit / ".course_secret").is_file():
        argv.append(f"--SealedExecute.secret_file={kit / '.course_secret'}")
    saved_cwd, saved_path = os.getcwd(), list(sys.path)
    capture = _Capture()
    app = None
    ok, autograded = False, ""
    os.chdir(scratch)
    try:
        app = AutogradeApp()
        app.initialize(argv)
        app.log.addHandler(capture)
        autograded = os.path.relpath(
            app.coursedir.format_path(app.coursedir.autograded_directory, job["student"], job["assignment"]),
            scratch,
        )
        app.start()
        ok = True
    except SystemExit as exit_:
        ok = exit_.code in (0, None)
    finally:
        if app is not None:
            app.log.removeHandler(capture)
            AutogradeApp.clear_instance()
        os.chdir(saved_cwd)
        sys.path[:] = saved_path
    return ok, capture.lines, autograded


def _outputs(scratch: Path) -> dict[str, tuple[int, bytes]]:
    """Every file the grading wrote in the scratch course: relative path -> (mode, bytes)."""
    files = {}
    for top in scratch.iterdir():
        if top.name in SCRATCH_INPUTS:
            continue
        paths = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        for path in paths:
            files[str(path.relative_to(scratch))] = (path.stat().st_mode & 0o777, path.read_bytes())
    return files


def _tables():
    from nbgrader.api import Base

    return Base.metadata.tables


def read_submission_rows(url: str, assignment: str, student: str, engine=None) -> dict[str, list[dict]]:
    """The gradebook rows of `student`'s submission of `assignment` (`SUBMISSION_TABLES`), as dicts.

    The student row is always there when the student exists; the others when the submission does.
    """
    from sqlalchemy import create_engine, select

    tables = _tables()
    own = engine is None
    engine = engine or create_engine(url)
    rows: dict[str, list[dict]] = {name: [] for name in SUBMISSION_TABLES}
    try:
        with engine.connect() as conn:

            def fetch(name, clause):
                return [dict(row._mapping) for row in conn.execute(select(tables[name]).where(clause))]

            rows["student"] = fetch("student", tables["student"].c.id == student)
            sa, a = tables["submitted_assignment"], tables["assignment"]
            assignment_ids = [r.id for r in conn.execute(select(a.c.id).where(a.c.name == assignment))]
            rows["submitted_assignment"] = fetch(
                "submitted_assignment", (sa.c.student_id == student) & sa.c.assignment_id.in_(assignment_ids)
            )
            ids = [row["id"] for row in rows["submitted_assignment"]]
            rows["submitted_notebook"] = fetch(
                "submitted_notebook", tables["submitted_notebook"].c.assignment_id.in_(ids)
            )
            notebook_ids = [row["id"] for row in rows["submitted_notebook"]]
            rows["grade"] = fetch("grade", tables["grade"].c.notebook_id.in_(notebook_ids))
            rows["comment"] = fetch("comment", tables["comment"].c.notebook_id.in_(notebook_ids))
    finally:
        if own:
            engine.dispose()
    return rows


def insert_rows(url: str, rows: dict[str, list[dict]]) -> None:
    """Inserts gradebook rows (as from `read_submission_rows`) into the gradebook at `url`."""
    if not any(rows.values()):
        return
    from sqlalchemy import create_engine, insert

    tables = _tables()
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            for name in SUBMISSION_TABLES:
                if rows.get(name):
                    conn.execute(insert(tables[name]), rows[name])
    finally:
        engine.dispose()
