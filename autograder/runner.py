"""Runs the hidden-test module for one grade cell and turns its outcome into a score and feedback."""

from __future__ import annotations

import contextlib
import html
import io
import json
import re
import signal
import threading
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from autograder import delegation
from autograder.student import Student, StudentError
from autograder.student_side.serve import TimeLimitExceeded

PACKAGE_DIR = Path(__file__).resolve().parent
RESULT_MIME = "application/vnd.dl-course.hidden-tests+json"
CASE_SECONDS = 20.0
_PAD = ' style="padding: 2px 10px; text-align: left; vertical-align: top"'
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
# The contract's skills: every hidden test case belongs to one (`@pytest.mark.skill(...)`).
SKILLS = (
    "model-size",
    "numerical-stability",
    "losses-and-probabilities",
    "backpropagation",
    "pytorch",
    "optimization",
    "training-deep-nets",
    "evaluation-metrics",
    "ml-system-design",
)


@dataclass
class Case:
    """One hidden test case as the student sees it."""

    name: str
    points: float
    passed: bool
    hint: str
    problem: str = ""
    skill: str = ""


@dataclass
class CellResult:
    """The outcome of one grade cell's hidden tests."""

    cell: str
    cases: list[Case] = field(default_factory=list)
    problem: str = ""
    explanation: str = ""  # Markdown: what the question was about, shown after grading
    detail: str = field(default="", compare=False)  # for the instructor's log only, never serialised

    @property
    def max_score(self) -> float:
        return float(sum(case.points for case in self.cases))

    @property
    def score(self) -> float:
        return round(float(sum(case.points for case in self.cases if case.passed)), 6)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CellResult:
        return cls(
            cell=str(data["cell"]),
            problem=str(data.get("problem", "")),
            cases=[Case(**case) for case in data["cases"]],
            explanation=str(data.get("explanation", "")),
        )

    def to_json(self) -> dict[str, Any]:
        data = {
            "cell": self.cell,
            "score": self.score,
            "max_score": self.max_score,
            "problem": self.problem,
            "cases": [asdict(case) for case in self.cases],
        }
        if self.explanation:
            data["explanation"] = self.explanation
        return data

    def text(self) -> str:
        lines = [f"{self.cell}: {self.score:g} of {self.max_score:g} points"]
        if self.problem:
            lines.append(f"  {self.problem}")
        for case in self.cases:
            mark = "pass" if case.passed else "FAIL"
            lines.append(f"  [{mark}] {case.points:g} pt  {case.name}: {case.hint}")
            if case.problem:
                lines.append(f"         {case.problem}")
        if self.explanation:
            lines += ["", "About this question:", self.explanation]
        return "\n".join(lines)

    def html(self) -> str:
        rows = []
        for case in self.cases:
            mark = "pass" if case.passed else "<b>fail</b>"
            detail = html.escape(case.hint) + (
                f"<br><i>{html.escape(case.problem)}</i>" if case.problem else ""
            )
            rows.append(
                f"<tr><td{_PAD}>{mark}</td><td{_PAD}>{case.points:g}</td>"
                f"<td{_PAD}><code>{html.escape(case.name)}</code></td><td{_PAD}>{detail}</td></tr>"
            )
        problem = f"<p>{html.escape(self.problem)}</p>" if self.problem else ""
        return (
            f"<p><b>{html.escape(self.cell)}</b>: {self.score:g} of {self.max_score:g} points"
            f" from hidden tests</p>{problem}<table><tr><th{_PAD}>result</th><th{_PAD}>points</th>"
            f"<th{_PAD}>test</th><th{_PAD}>what it checks</th></tr>{''.join(rows)}</table>"
            f"{_explanation_html(self.explanation)}"
        )


def _explanation_html(markdown: str) -> str:
    """The course's explanation of a question (instructor-written Markdown, maths kept for MathJax)."""
    if not markdown:
        return ""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return (
        f'<div class="question-explanation"><p><b>About this question</b></p>'
        f"{markdown2html_mistune(markdown)}</div>"
    )


def hidden_test_path(assignment: str, cell: str) -> Path:
    """Returns the hidden-test module for grade cell `cell` of `assignment`."""
    if not (_NAME.match(assignment) and _NAME.match(cell)):
        raise ValueError(f"not an assignment and grade cell name: {assignment!r}, {cell!r}")
    return PACKAGE_DIR / assignment / f"{cell}.py"


@contextlib.contextmanager
def _cpu_time_limit(seconds: float) -> Iterator[None]:
    """Stops in-process student code after `seconds` of CPU time (a busy machine does not count)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise TimeLimitExceeded()

    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def _problem(excinfo: pytest.ExceptionInfo, seconds: float) -> str:
    error = excinfo.value
    if isinstance(error, StudentError):
        return str(error)
    if isinstance(error, TimeLimitExceeded):
        return f"Did not finish within {seconds:g} seconds of computing."
    if isinstance(error, AssertionError):
        return _assertion_message(excinfo) or "Wrong answer."
    return f"The check stopped with {type(error).__name__}."


def _assertion_message(excinfo: pytest.ExceptionInfo) -> str:
    """The words a course module gave its failed `assert` (fixed text, never values), or ""."""
    args = excinfo.value.args
    where = Path(str(excinfo.traceback[-1].path)) if excinfo.traceback else None
    if len(args) != 1 or not isinstance(args[0], str) or where is None or PACKAGE_DIR not in where.parents:
        return ""
    # Under pytest's assertion rewriting (the project's own tests run the modules in-process) the
    # text goes on with the compared values: keep only the words the module wrote.
    text = args[0]
    return "" if text.startswith("assert ") else text.split("\nassert ", 1)[0].strip()


class _Collector:
    """pytest plugin: hands out the `student` and `rng` fixtures, limits time, records each case."""

    def __init__(
        self, student: Student, seconds: float, seed_label: str, source: delegation.Source | None = None
    ):
        self._student = student
        self._source = source or delegation.Source(None)
        self._seconds = seconds
        self._seed_label = seed_label
        self.cases: dict[str, list[Case]] = {}
        self.broken: dict[str, str] = {}

    @pytest.fixture
    def student(self) -> Student:
        return self._student

    @pytest.fixture
    def source(self) -> delegation.Source:
        """The submitted code as the grader reads it (`autograder.delegation.Source`)."""
        return self._source

    @pytest.fixture
    def rng(self, request) -> np.random.Generator:
        """A generator seeded by the seed label, the grade cell and the test case."""
        label = f"{self._seed_label}|{request.node.path.stem}::{request.node.name}"
        return np.random.default_rng(zlib.crc32(label.encode()))

    def pytest_configure(self, config):
        config.addinivalue_line("markers", "points(value): points this test case is worth")
        config.addinivalue_line("markers", "skill(name): the contract's skill this test case assesses")

    def pytest_collection_modifyitems(self, items):
        for item in items:
            if item.get_closest_marker("points") is None:
                self.broken[item.path.stem] = f"{item.name} has no points marker"

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(self, item):
        # In the sealed grader the transport limits each call of student code; only student code
        # that runs in this process needs a limit here.
        if self._student.in_process:
            with _cpu_time_limit(self._seconds):
                yield
        else:
            yield

    def pytest_runtest_makereport(self, item, call):
        if call.when == "teardown" or (call.when == "setup" and call.excinfo is None):
            return
        marker = item.get_closest_marker("points")
        skill = item.get_closest_marker("skill")
        doc = (item.function.__doc__ or "").strip().splitlines()
        problem = "" if call.excinfo is None else _problem(call.excinfo, self._seconds)
        self.cases.setdefault(item.path.stem, []).append(
            Case(
                name=item.name.removeprefix("test_"),
                points=float(marker.args[0]) if marker else 0.0,
                passed=call.excinfo is None,
                hint=doc[0] if doc else "",
                problem=problem,
                skill=str(skill.args[0]) if skill else "",
            )
        )

    def pytest_collectreport(self, report):
        if report.failed:
            lines = [line for line in str(report.longrepr).splitlines() if line.strip()]
            self.broken[report.fspath.rsplit("/", 1)[-1].removesuffix(".py")] = (
                f"could not load: {lines[-1] if lines else 'unknown error'}"
            )


def run_cells(
    assignment: str,
    cells: list[str],
    student: Student,
    seconds: float = CASE_SECONDS,
    seed: str = "",
    sources: list[str] | None = None,
) -> dict[str, CellResult]:
    """Runs the hidden tests of several grade cells against `student` in one pytest session.

    Args:
        assignment: the assignment folder.
        cells: grade cell ids; each names its module `autograder/<assignment>/<cell>.py`.
        student: where the student's definitions are reached.
        seconds: the time limit of one test case.
        seed: a label mixed into every case's `rng` seed (the sealed grader makes it per student).
        sources: the code cells of the submission (not its grade cells), read here to decide whether a
            graded function hands its work to a library (`autograder.delegation`): every case of a
            grade cell whose function does fails, with the finding as its problem. None: not checked.

    Returns:
        Each cell's result, by cell id.
    """
    results = {cell: CellResult(cell=cell) for cell in cells}
    paths = []
    for cell in cells:
        path = hidden_test_path(assignment, cell)
        if path.is_file():
            paths.append(str(path))
        else:
            results[cell].problem = "The hidden tests for this cell are missing; tell your instructor."
    if not paths:
        return results
    source = delegation.Source(sources)
    collector = _Collector(student, seconds, seed, source)
    args = [
        *paths,
        "-c",
        str(PACKAGE_DIR / "pytest.ini"),
        "--rootdir",
        str(PACKAGE_DIR),
        "-q",
        "--capture=sys",
        "--assert=plain",
        "--import-mode=importlib",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:warnings",
        "-p",
        "no:faulthandler",
        "-p",
        "no:unraisableexception",
        "-p",
        "no:threadexception",
    ]
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        pytest.main(args, plugins=[collector])
    for cell, result in results.items():
        cases = collector.cases.get(cell, [])
        if cell in collector.broken:
            result.problem = "The hidden tests could not run; tell your instructor."
            result.detail = collector.broken[cell]
            cases = [
                Case(
                    name=case.name,
                    points=case.points,
                    passed=False,
                    hint=case.hint,
                    skill=case.skill,
                    problem="Not graded.",
                )
                for case in cases
            ]
        result.cases = cases
    for cell, finding in delegation.findings(assignment, list(results), source).items():
        if finding:
            cases = results[cell].cases
            results[cell].cases = [replace(case, passed=False, problem=finding) for case in cases]
    return results


def run_tests(
    assignment: str,
    cell: str,
    student: Student,
    seconds: float = CASE_SECONDS,
    seed: str = "",
    sources: list[str] | None = None,
) -> CellResult:
    """Runs the hidden tests of one grade cell against `student` and returns what each case earned."""
    return run_cells(assignment, [cell], student, seconds, seed, sources)[cell]


def grade(assignment: str, cell: str, namespace: Mapping[str, Any]) -> float:
    """Runs the hidden tests of a grade cell on the objects in `namespace` and shows the feedback.

    Args:
        assignment: the assignment folder, e.g. `"parameter_counting"`.
        cell: the grade cell's `grade_id`, which names its test module, e.g. `"test_dense_params"`.
        namespace: where the student's definitions live (the notebook's `globals()`).

    Returns:
        The points the cell earned, a plain float the notebook shows as the cell's result.
    """
    result = run_tests(assignment, cell, Student(namespace))
    try:
        from IPython.display import display
    except ImportError:
        print(result.text())
    else:
        display(
            {
                RESULT_MIME: json.dumps(result.to_json()),
                "text/plain": result.text(),
                "text/html": result.html(),
            },
            raw=True,
        )
    return result.score
