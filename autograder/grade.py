"""Grades a class in parallel on Dask: `python -m autograder.grade <assignment>` in the course folder.

    python -m autograder.grade ASSIGNMENT [--workers N] [--scheduler tcp://host:8786] [--db URL]
                                          [--force] [--student ID ...]

One Dask task per submission. Without `--scheduler` a `LocalCluster` of one single-threaded
worker process per core (or `--workers N`) starts and stops with the command; with it, the same
tasks run on an existing cluster (`dask scheduler` plus `dask worker` processes, dask-jobqueue,
dask-kubernetes): the workers need the course's Python packages, not the course folder.

Each task grades one submission with nbgrader's own autograde, in an isolated scratch course made
from the course's `source/<assignment>/`, `autograder/`, `nbgrader_config.py` and secret, with a
private gradebook seeded from the course's (`autograder/parallel_server.py`): the course's config
applies unchanged, so every cell gets the grade `nbgrader autograde` would give it, seeds included.
This process is the only writer: it writes each result into the course's gradebook in one
transaction and puts the autograded files in place. The gradebook is the course's
(`CourseDirectory.db_url`: sqlite by default, PostgreSQL with `--db postgresql+psycopg2://...`),
used through one connection; schema and students are created up front; workers never touch it.

Done is recorded in the same transaction as the grades, in the gradebook's own table
`autograder_graded` (course, assignment, student, status, a hash of the submitted files). A
rerun grades only what is not done (a new or changed submission, an earlier failure, a missing
autograded folder); `--force` regrades everything. A worker that dies mid-task has its task run
again elsewhere; a submission whose grading kills its worker or its grading process again and
again is marked failed, with the reason, after a bounded number of tries, and the others finish.
`nbgrader autograde` keeps working as before on the same course.
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import logging
import os
import re
import shutil
import sys
import tempfile
import threading
import time
import types
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

# Which columns of an existing row autograding owns (nbgrader's Autograde, SaveAutoGrades,
# AssignLatePenalties); a manual score or comment written meanwhile is never overwritten.
OWNED_COLUMNS = {
    "submitted_assignment": ("timestamp",),
    "submitted_notebook": ("late_submission_penalty",),
    "grade": ("auto_score", "needs_manual_grade"),
    "comment": ("auto_comment",),
}
MARKER_TABLE = "autograder_graded"
THREAD_ENV = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MALLOC_TRIM_THRESHOLD_")
KIT_IGNORE = ("__pycache__", "*.pyc", ".ipynb_checkpoints")


class _CallableModule(types.ModuleType):
    """Importing this module sets the package's attribute `autograder.grade` to it, over the hidden
    tests' entry point `autograder.grade(assignment, cell, namespace)`: calling the module still runs
    that function, so both work in one process."""

    def __call__(self, *args, **kwargs):
        from autograder.runner import grade

        return grade(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule


class GradingError(RuntimeError):
    """The class cannot be graded (no such assignment, no submissions, ...)."""


@dataclass
class Course:
    """What the coordinator needs from the course's nbgrader configuration."""

    root: Path
    assignment: str
    db_url: str
    course_id: str
    coursedir: Any  # nbgrader's CourseDirectory
    secret_file: str


@dataclass
class Submission:
    student: str
    folder: Path
    files: dict[str, bytes]
    fingerprint: str


@dataclass
class Summary:
    """What a run did; `str(summary)` is the report printed at the end."""

    assignment: str
    submissions: int = 0
    graded: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    workers: int = 0
    scheduler: str = ""
    grading_seconds: float = 0.0  # the graded submissions' time on their workers, summed
    autograde_seconds: float = 0.0  # of which nbgrader's autograde itself

    @property
    def seconds_per_notebook(self) -> float:
        return self.seconds / len(self.graded) if self.graded else 0.0

    def __str__(self) -> str:
        lines = [
            f"{self.assignment}: {len(self.graded)} graded, {len(self.failed)} failed, "
            f"{len(self.skipped)} already graded (of {self.submissions} submissions) "
            f"in {self.seconds:.1f} s on {self.workers} workers ({self.scheduler})"
        ]
        if self.graded:
            n = len(self.graded)
            lines.append(
                f"  {self.seconds_per_notebook:.2f} s per notebook; each took "
                f"{self.grading_seconds / n:.2f} s on its worker, of which nbgrader autograde "
                f"{self.autograde_seconds / n:.2f} s"
            )
        for student, reason in sorted(self.failed.items()):
            lines.append(f"  FAILED {student}: {reason}")
        if self.skipped:
            lines.append("  (--force regrades the ones already graded)")
        return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# The course


def load_course(root: Path, assignment: str, db_url: str | None = None) -> Course:
    """Reads the course's nbgrader configuration as `nbgrader autograde` run in `root` would."""
    from nbgrader.apps.autogradeapp import AutogradeApp

    saved_cwd, saved_path = os.getcwd(), list(sys.path)
    os.chdir(root)
    try:
        app = AutogradeApp()
        app.initialize([f"--CourseDirectory.db_url={db_url}"] if db_url else [])
        coursedir, config = app.coursedir, app.config
    finally:
        AutogradeApp.clear_instance()
        os.chdir(saved_cwd)
        sys.path[:] = saved_path
    secret = str(config.SealedExecute.get("secret_file", "")) if "SealedExecute" in config else ""
    return Course(
        root=Path(coursedir.root).resolve(),
        assignment=assignment,
        db_url=coursedir.db_url,
        course_id=coursedir.course_id,
        coursedir=coursedir,
        secret_file=secret,
    )


def find_submissions(
    course: Course, students: list[str] | None = None, log: Callable[[str], None] = print
) -> list[Submission]:
    """The submitted folders of the assignment, as `nbgrader autograde` would find them."""
    cd = course.coursedir
    pattern = cd.format_path(cd.submitted_directory, "*", course.assignment)
    regexp = cd.format_path(cd.submitted_directory, "(?P<student_id>[^/]*)", course.assignment, escape=True)
    excluded = set(filter(None, (cd.student_id_exclude or "").split(",")))
    found = []
    for folder in sorted(glob.glob(pattern)):
        match = re.fullmatch(regexp, folder)
        if not match or not os.path.isdir(folder):
            continue
        student = match.group("student_id")
        if student in excluded or (students and student not in students):
            continue
        if not glob.glob(os.path.join(folder, f"{cd.notebook_id}.ipynb")):
            log(f"warning: no notebooks in {folder}; skipping {student}")
            continue
        files = {
            str(p.relative_to(folder)): p.read_bytes() for p in sorted(Path(folder).rglob("*")) if p.is_file()
        }
        found.append(Submission(student, Path(folder), files, _fingerprint(files)))
    return found


def _fingerprint(files: dict[str, bytes]) -> str:
    h = hashlib.sha256()
    for path in sorted(files):
        h.update(path.encode() + b"\0" + hashlib.sha256(files[path]).digest())
    return h.hexdigest()


def grading_kit(course: Course) -> dict[str, bytes]:
    """The course files a worker grades with: autograder/, source/<assignment>/, the config, the secret."""
    import fnmatch

    def ignored(path: Path) -> bool:
        return any(fnmatch.fnmatch(part, pattern) for part in path.parts for pattern in KIT_IGNORE)

    kit = {}
    for top in ("autograder", f"source/{course.assignment}"):
        base = course.root / top
        for path in sorted(base.rglob("*")):
            if path.is_file() and not ignored(path.relative_to(course.root)):
                kit[str(path.relative_to(course.root))] = path.read_bytes()
    kit["nbgrader_config.py"] = (course.root / "nbgrader_config.py").read_bytes()
    if course.secret_file:
        from autograder.sealed import read_secret

        kit[".course_secret"] = (read_secret(Path(course.secret_file)) + "\n").encode()
    return kit


# ---------------------------------------------------------------------------------------------
# The gradebook (the coordinator is its only writer)


def _tables():
    from nbgrader.api import Base

    return Base.metadata.tables


def _marker_table():
    from sqlalchemy import Column, DateTime, Float, Integer, MetaData, String, Table, Text

    return Table(
        MARKER_TABLE,
        MetaData(),
        Column("course_id", String(128), primary_key=True),
        Column("assignment", String(128), primary_key=True),
        Column("student", String(128), primary_key=True),
        Column("status", String(16), nullable=False),  # "graded" or "failed"
        Column("fingerprint", String(64)),  # sha256 of the submitted files
        Column("reason", Text()),
        Column("seconds", Float()),
        Column("run", String(32)),
        Column("writes", Integer(), nullable=False, default=1),
        Column("updated", DateTime()),
    )


MARKERS = None


def markers():
    global MARKERS
    if MARKERS is None:
        MARKERS = _marker_table()
    return MARKERS


def open_gradebook(course: Course, students: list[str]):
    """Creates the schema and the students once, up front; returns the run's one engine."""
    from nbgrader.api import Gradebook, MissingEntry
    from sqlalchemy import create_engine

    with Gradebook(course.db_url, course.course_id) as gradebook:
        try:
            gradebook.find_assignment(course.assignment)
        except MissingEntry:
            raise GradingError(
                f"No assignment with ID '{course.assignment}' exists in the database "
                f"({course.db_url}): run `nbgrader generate_assignment "
                f"{course.assignment}` first"
            ) from None
        for student in students:
            gradebook.update_or_create_student(student)
    if course.db_url.startswith("sqlite"):
        engine = create_engine(course.db_url)
    else:  # one connection for the whole run, however many workers
        engine = create_engine(course.db_url, pool_size=1, max_overflow=0, pool_pre_ping=True)
    markers().create(engine, checkfirst=True)
    return engine


def done_students(engine, course: Course, submissions: list[Submission]) -> set[str]:
    """Students whose current submission is graded and whose autograded folder is in place."""
    from sqlalchemy import select

    table = markers()
    with engine.connect() as conn:
        rows = conn.execute(
            select(table.c.student, table.c.fingerprint).where(
                (table.c.course_id == course.course_id)
                & (table.c.assignment == course.assignment)
                & (table.c.status == "graded")
            )
        ).all()
    graded = {row.student: row.fingerprint for row in rows}
    cd = course.coursedir
    return {
        sub.student
        for sub in submissions
        if graded.get(sub.student) == sub.fingerprint
        and os.path.isdir(cd.format_path(cd.autograded_directory, sub.student, course.assignment))
    }


def template_gradebook(engine, course: Course) -> bytes:
    """A sqlite gradebook holding the course row, the assignment, its notebooks and cells, copied
    row for row (same ids) from the course's gradebook: what every scratch gradebook starts from."""
    from nbgrader.api import Base
    from sqlalchemy import create_engine, insert, select, text

    t = _tables()
    with engine.connect() as conn:

        def rows(name, clause):
            return [dict(r._mapping) for r in conn.execute(select(t[name]).where(clause))]

        copied = {
            "course": rows("course", t["course"].c.id == course.course_id),
            "assignment": rows("assignment", t["assignment"].c.name == course.assignment),
        }
        assignment_ids = [r["id"] for r in copied["assignment"]]
        copied["notebook"] = rows("notebook", t["notebook"].c.assignment_id.in_(assignment_ids))
        notebook_ids = [r["id"] for r in copied["notebook"]]
        copied["base_cell"] = rows("base_cell", t["base_cell"].c.notebook_id.in_(notebook_ids))
        cell_ids = [r["id"] for r in copied["base_cell"]]
        for name in ("grade_cells", "solution_cells", "task_cells"):
            copied[name] = rows(name, t[name].c.id.in_(cell_ids))
        copied["source_cell"] = rows("source_cell", t["source_cell"].c.notebook_id.in_(notebook_ids))
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    with tempfile.TemporaryDirectory(prefix="gradebook-template-") as scratch:
        target = create_engine(f"sqlite:///{scratch}/gradebook.db")
        Base.metadata.create_all(target)
        with target.begin() as conn:
            conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
            conn.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": version})
            for name, values in copied.items():
                if values:
                    conn.execute(insert(t[name]), values)
        target.dispose()
        return Path(scratch, "gradebook.db").read_bytes()


def write_result(engine, course: Course, submission: Submission, result: dict[str, Any], run: str) -> None:
    """Puts the autograded files in place, then writes the student's rows and the done marker in one
    transaction."""
    from sqlalchemy import insert, select, update

    from autograder.parallel_server import SUBMISSION_TABLES

    _place_files(course, result)
    t = _tables()
    with engine.begin() as conn:
        for name in SUBMISSION_TABLES[1:]:
            table, rows = t[name], result["rows"].get(name, [])
            ids = [row["id"] for row in rows]
            existing = {r.id for r in conn.execute(select(table.c.id).where(table.c.id.in_(ids)))}
            for row in rows:
                if row["id"] in existing:
                    conn.execute(
                        update(table)
                        .where(table.c.id == row["id"])
                        .values({column: row[column] for column in OWNED_COLUMNS[name]})
                    )
                else:
                    conn.execute(insert(table).values(row))
        _mark(conn, course, submission, "graded", "", result.get("seconds"), run)


def write_failure(engine, course: Course, submission: Submission, reason: str, run: str) -> None:
    with engine.begin() as conn:
        _mark(conn, course, submission, "failed", reason, None, run)


def _mark(
    conn, course: Course, submission: Submission, status: str, reason: str, seconds: float | None, run: str
) -> None:
    from sqlalchemy import delete, select

    table = markers()
    key = (
        (table.c.course_id == course.course_id)
        & (table.c.assignment == course.assignment)
        & (table.c.student == submission.student)
    )
    writes = conn.execute(select(table.c.writes).where(key)).scalar() or 0
    conn.execute(delete(table).where(key))
    conn.execute(
        table.insert().values(
            course_id=course.course_id,
            assignment=course.assignment,
            student=submission.student,
            status=status,
            fingerprint=submission.fingerprint,
            reason=reason[:4000],
            seconds=seconds,
            run=run,
            writes=writes + 1,
            updated=datetime.now(UTC).replace(tzinfo=None),
        )
    )


def _place_files(course: Course, result: dict[str, Any]) -> None:
    """Writes the files the grading produced; the autograded folder is replaced as a whole."""
    root = course.root
    autograded = result["autograded_dir"].rstrip("/") + "/"
    dest = root / autograded
    partial = dest.with_name(f".{dest.name}.partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    for relpath, (mode, data) in sorted(result["files"].items()):
        path = partial / relpath[len(autograded) :] if relpath.startswith(autograded) else root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_relative_to(partial):
            path.write_bytes(data)
        else:
            temporary = path.with_name(f".{path.name}.partial-{os.getpid()}")
            temporary.write_bytes(data)
            temporary.replace(path)
        path.chmod(mode)
    if dest.exists():
        old = dest.with_name(f".{dest.name}.old-{os.getpid()}")
        dest.rename(old)
        partial.rename(dest)
        shutil.rmtree(old, ignore_errors=True)
    else:
        partial.rename(dest)


def submission_rows(engine, course: Course, student: str) -> dict[str, list[dict]]:
    from autograder.parallel_server import read_submission_rows

    return read_submission_rows(course.db_url, course.assignment, student, engine=engine)


def grade_table(db_url: str, assignment: str) -> dict[tuple[str, str, str], tuple]:
    """Every grade of an assignment in a gradebook: (student, notebook, cell) -> (auto score,
    manual score, needs manual grade, auto comment, late penalty); for comparing gradebooks."""
    from nbgrader.api import Gradebook

    table = {}
    with Gradebook(db_url) as gradebook:
        for submission in gradebook.assignment_submissions(assignment):
            for notebook in submission.notebooks:
                comments = {c.name: c.auto_comment for c in notebook.comments}
                for grade in notebook.grades:
                    table[submission.student.id, notebook.name, grade.name] = (
                        grade.auto_score,
                        grade.manual_score,
                        grade.needs_manual_grade,
                        comments.get(grade.name),
                        notebook.late_submission_penalty,
                    )
                for name, comment in comments.items():
                    table.setdefault(
                        (submission.student.id, notebook.name, name),
                        (None, None, None, comment, notebook.late_submission_penalty),
                    )
    return table


# ---------------------------------------------------------------------------------------------
# Progress on the terminal


class Progress:
    """done/total, failures, rate and time left: one updating line on a terminal (after the first
    seconds), one line per submission otherwise."""

    def __init__(self, total: int, stream: TextIO | None = None, quiet_seconds: float = 2.0):
        self.total = total
        self.stream = stream or sys.stdout
        self.tty = self.stream.isatty()
        self.quiet_seconds = quiet_seconds
        self.done = self.failed = 0
        self.started = time.monotonic()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._shown = False
        self._thread = threading.Thread(target=self._tick, daemon=True)
        if self.tty:
            self._thread.start()

    def status(self) -> str:
        elapsed = time.monotonic() - self.started
        text = f"[{self.done}/{self.total}] {self.failed} failed, {elapsed:.0f} s"
        if self.done:
            rate = self.done / elapsed
            left = (self.total - self.done) / rate
            text += f", {elapsed / self.done:.2f} s per notebook, about {_clock(left)} left"
        else:
            text += ", starting workers" if elapsed < 30 else ", waiting for the first result"
        return text

    def message(self, text: str) -> None:
        with self._lock:
            if self.tty and self._shown:
                self.stream.write("\r\033[K")
            self.stream.write(text + "\n")
            if self.tty and self._shown:
                self.stream.write(self.status())
            self.stream.flush()

    def advance(self, student: str, ok: bool, note: str = "") -> None:
        if self.tty and not ok:
            self.message(f"  {student} FAILED: {note}")
        with self._lock:
            self.done += 1
            self.failed += not ok
            if not self.tty:
                self.stream.write(
                    f"{self.status()}: {student} {'graded' if ok else 'FAILED'}{' ' + note if note else ''}\n"
                )
                self.stream.flush()
        if self.tty:
            self._draw()

    def _draw(self) -> None:
        with self._lock:
            if time.monotonic() - self.started < self.quiet_seconds and self.done < self.total:
                return
            self.stream.write("\r\033[K" + self.status())
            self.stream.flush()
            self._shown = True

    def _tick(self) -> None:
        while not self._stop.wait(1.0):
            self._draw()

    def close(self) -> None:
        self._stop.set()
        with self._lock:
            if self.tty and self._shown:
                self.stream.write("\n")
                self.stream.flush()


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    return (
        f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
        if seconds >= 3600
        else f"{seconds // 60}:{seconds % 60:02d}"
    )


# ---------------------------------------------------------------------------------------------
# The run


def _failure_reason(error: BaseException, retries: int) -> str:
    from distributed import KilledWorker

    if isinstance(error, KilledWorker):
        return (
            f"its grading killed the Dask worker on every try ({error.allowed_failures + 1} tries): {error}"
        )
    from autograder.parallel import GradingProcessDied

    if isinstance(error, GradingProcessDied) or type(error).__name__ == "GradingProcessDied":
        return f"{error} (after {retries + 1} tries)"
    return f"{type(error).__name__}: {error}"


def connect(workers: int | None, scheduler: str | None, allowed_failures: int):
    """A Dask client: on the cluster at `scheduler`, or on a new LocalCluster (returned too)."""
    import dask
    from distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler), None
    with dask.config.set({"distributed.scheduler.allowed-failures": allowed_failures}):
        cluster = LocalCluster(
            n_workers=workers or os.cpu_count() or 1,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
    return Client(cluster), cluster


def grade_class(
    course_dir: Path | str,
    assignment: str,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    db_url: str | None = None,
    force: bool = False,
    students: list[str] | None = None,
    retries: int = 2,
    allowed_failures: int = 2,
    task_seconds: float = 1800.0,
    stream: TextIO | None = None,
    verbose: bool = False,
) -> Summary:
    """Grades the class's submissions of `assignment` in parallel; see the module's docstring.

    Args:
        course_dir: the course folder (where `nbgrader autograde` would run).
        assignment: the assignment id.
        workers: worker processes of the local cluster (default: one per core).
        scheduler: the address of an existing Dask scheduler instead of a local cluster.
        db_url: the gradebook (default: the course's `CourseDirectory.db_url`).
        force: regrade submissions already graded.
        students: grade only these students.
        retries: tries again after the grading process died (a crash in the grader).
        allowed_failures: worker deaths a task may cause before it fails (local cluster only; an
            existing scheduler uses its own `distributed.scheduler.allowed-failures`).
        task_seconds: the longest one submission may take on a worker.
        stream: where progress and messages go (default stdout).
        verbose: show nbgrader's warnings too, not only its errors.

    Returns:
        The run's summary.
    """
    import cloudpickle
    from distributed import as_completed

    from autograder import parallel

    stream = stream or sys.stdout
    started = time.monotonic()
    # nbgrader runs `alembic` to stamp a new gradebook: the scripts beside this Python come first.
    scripts = str(Path(sys.executable).parent)
    if scripts not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = scripts + os.pathsep + os.environ.get("PATH", "")
    run = uuid.uuid4().hex
    course = load_course(Path(course_dir).resolve(), assignment, db_url)
    summary = Summary(assignment=assignment)

    def say(text: str) -> None:
        stream.write(text + "\n")
        stream.flush()

    found = find_submissions(course, students, log=say)
    summary.submissions = len(found)
    if not found:
        cd = course.coursedir
        raise GradingError(
            f"No submissions of '{assignment}' in {cd.format_path(cd.submitted_directory, '*', assignment)}"
        )
    engine = open_gradebook(course, [sub.student for sub in found])
    try:
        done = set() if force else done_students(engine, course, found)
        summary.skipped = sorted(done)
        todo = [sub for sub in found if sub.student not in done]
        if not todo:
            summary.seconds = time.monotonic() - started
            return summary
        kit = grading_kit(course)
        template = template_gradebook(engine, course)
        cd = course.coursedir
        jobs = {
            sub.student: {
                "assignment": assignment,
                "student": sub.student,
                "files": sub.files,
                "submitted_dir": os.path.relpath(
                    cd.format_path(cd.submitted_directory, sub.student, assignment), cd.root
                ),
                "existing": submission_rows(engine, course, sub.student),
            }
            for sub in todo
        }
        env = {key: os.environ.get(key) for key in THREAD_ENV}
        cloudpickle.register_pickle_by_value(parallel)
        client = cluster = progress = None
        try:
            client, cluster = connect(workers, scheduler, allowed_failures)
            summary.scheduler = scheduler or "local cluster"
            client.register_plugin(
                parallel.GradingPlugin(kit, template, env, task_seconds), name=parallel.PLUGIN_NAME
            )
            summary.workers = len(client.scheduler_info(n_workers=-1)["workers"])
            progress = Progress(len(todo), stream)
            task = parallel.ByValue(parallel.grade_submission)
            futures = {
                client.submit(
                    task,
                    jobs.pop(sub.student),
                    pure=False,
                    retries=retries,
                    key=f"grade-{assignment}-{sub.student}-{run[:8]}",
                ): sub
                for sub in todo
            }
            for future in as_completed(list(futures)):
                sub = futures.pop(future)
                if future.status == "finished":
                    result = future.result()
                    for line in result["log"]:
                        if "| ERROR]" in line or (verbose and "| WARNING]" in line):
                            progress.message(f"  {sub.student}: {line}")
                    reason = result["reason"] if result["status"] != "graded" else ""
                else:
                    result = None
                    reason = (
                        _failure_reason(future.exception(), retries)
                        if future.status == "error"
                        else f"the task was {future.status}"
                    )
                future.release()
                if not reason:
                    try:
                        write_result(engine, course, sub, result, run)
                    except Exception as error:  # noqa: BLE001 (recorded as this submission's failure)
                        reason = f"its result could not be written: {type(error).__name__}: {error}"
                if reason:
                    write_failure(engine, course, sub, reason, run)
                    summary.failed[sub.student] = reason
                    progress.advance(sub.student, False, reason)
                else:
                    summary.graded.append(sub.student)
                    summary.grading_seconds += result["seconds"]
                    summary.autograde_seconds += result.get("autograde_seconds", 0.0)
                    progress.advance(sub.student, True)
        finally:
            if progress is not None:
                progress.close()
            if client is not None:
                _shutdown(client, cluster)
            cloudpickle.unregister_pickle_by_value(parallel)
    finally:
        engine.dispose()
    summary.seconds = time.monotonic() - started
    return summary


def _shutdown(client, cluster) -> None:
    from autograder import parallel

    if cluster is None:  # a cluster that stays up: stop the grading processes, free their memory
        try:
            client.unregister_worker_plugin(parallel.PLUGIN_NAME)
        except Exception:  # noqa: BLE001 (the cluster may be going away already)
            pass
    client.close()
    if cluster is not None:  # its workers stop their grading processes as they close
        cluster.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m autograder.grade",
        description="Grades a class in parallel on Dask (run in the course folder).",
    )
    parser.add_argument("assignment")
    parser.add_argument(
        "--workers", type=int, help="worker processes of the local cluster (default: one per core)"
    )
    parser.add_argument("--scheduler", help="address of an existing Dask scheduler, e.g. tcp://host:8786")
    parser.add_argument("--db", help="gradebook URL (default: CourseDirectory.db_url, sqlite gradebook.db)")
    parser.add_argument("--force", action="store_true", help="regrade submissions already graded")
    parser.add_argument("--student", nargs="+", metavar="ID", help="grade only these students")
    parser.add_argument("--verbose", "-v", action="store_true", help="show nbgrader's warnings too")
    parser.add_argument("--course", type=Path, default=Path.cwd(), help="the course folder (default: here)")
    parser.add_argument("--retries", type=int, default=2, help="tries after the grading process crashed")
    parser.add_argument(
        "--allowed-failures",
        type=int,
        default=2,
        help="worker deaths a submission may cause before it fails (local cluster)",
    )
    args = parser.parse_args(argv)
    try:
        summary = grade_class(
            args.course,
            args.assignment,
            workers=args.workers,
            scheduler=args.scheduler,
            db_url=args.db,
            force=args.force,
            students=args.student,
            retries=args.retries,
            allowed_failures=args.allowed_failures,
            verbose=args.verbose,
        )
    except GradingError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(summary)
    return 1 if summary.failed else 0


if __name__ == "__main__":
    sys.exit(main())
