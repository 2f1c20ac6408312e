"""The grading engine through the real `nbgrader autograde`: no hang, no stale answer, limits per
notebook, honest edge cases graded right, and the same grades on a quiet and on a busy machine.
"""

from __future__ import annotations

import copy
import multiprocessing
import re
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell

from autograder import sealed
from conftest import ROOT, expected_scores
from tools import course, submissions

pytestmark = [
    pytest.mark.pipeline,
    pytest.mark.skipif(
        sealed.bwrap_path() is None, reason="needs bubblewrap (bwrap) and root to build the sandbox"
    ),
]

ASSIGNMENT = "parameter_counting"
BUDGET = 120  # the notebook budget of these runs, in seconds
LIMITS = (
    "--SealedExecute.call_seconds=1",
    f"--SealedExecute.notebook_seconds={BUDGET}",
    "--SealedExecute.connect_seconds=10",
    "--SealedExecute.max_notebook_output_bytes=2097152",
)

SLOW_DENSE = """def dense_params(n_in, n_out, bias=True):
    import time
    start = time.process_time()
    while time.process_time() - start < 0.3:  # 0.3 s of computing per call, under a 1 s limit
        pass
    return n_in * n_out + (n_out if bias else 0)
"""
STUCK_DENSE = """def dense_params(n_in, n_out, bias=True):
    import signal
    signal.setitimer(signal.ITIMER_PROF, 0)
    signal.signal(signal.SIGPROF, signal.SIG_IGN)
    while True:
        pass
"""
CRASHING_OUTPUT_SIZE = """def conv_output_size(n, kernel_size, stride=1, padding=0, dilation=1):
    import os
    os._exit(1)
"""


def _reference(release):
    return submissions.submission(ASSIGNMENT, release, None)


def _with_cells(nb, *codes: str, after_first: bool = True):
    nb = copy.deepcopy(nb)
    first = next(i for i, cell in enumerate(nb.cells) if cell.cell_type == "code")
    for offset, code in enumerate(codes):
        cell = new_code_cell(code)
        cell.pop("id", None)
        nb.cells.insert(first + 1 + offset if after_first else len(nb.cells), cell)
    return nb


def _in_solution(nb, function: str, extra: str):
    """The notebook with `extra` appended to the solution cell of `function` (as a student would)."""
    sources = submissions.reference_sources(submissions.source_notebook(ASSIGNMENT))
    return submissions.fill(nb, {function: sources[function] + "\n" + extra})


def _old_release_cell(nb):
    """A grade cell the instructor's notebook no longer has, as an older release would hold."""
    nb = copy.deepcopy(nb)
    cell = new_code_cell("assert dense_params(2, 3) == 9")
    cell.pop("id", None)
    cell.metadata["nbgrader"] = {
        "grade": True,
        "solution": False,
        "locked": True,
        "points": 2,
        "grade_id": "test_removed_in_this_release",
        "schema_version": 3,
    }
    nb.cells.append(cell)
    return nb


def _hand_in(root: Path, student: str, nb) -> None:
    folder = root / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / f"{ASSIGNMENT}.ipynb")


def _scores(root: Path) -> dict[str, dict[str, float]]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        return {
            sub.student_id: {grade.name: grade.score for nb in sub.notebooks for grade in nb.grades}
            for sub in gradebook.assignment_submissions(ASSIGNMENT)
        }


def _feedback(root: Path, student: str) -> str:
    return (root / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()


def _log(root: Path, student: str) -> str:
    return (root / "grading_logs" / ASSIGNMENT / f"{student}.log").read_text()


@pytest.fixture(scope="module")
def engine_class(tmp_path_factory):
    root = course.make_course(tmp_path_factory.mktemp("engine") / "course")
    course.generate_release(root)
    release = nbformat.read(root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    reference = _reference(release)
    class_ = {
        "a_first": reference,
        "b_hides_grader_package": _in_solution(
            reference,
            "dense_params",
            ('import sys, types\nsys.modules["autograder"] = types.ModuleType("x")'),
        ),
        "c_worker_none": _in_solution(
            reference, "dense_params", 'import sys\nsys.modules["autograder.student_side.worker"] = None'
        ),
        "d_slow_but_correct": submissions.fill(reference, {"dense_params": SLOW_DENSE}),
        "e_loops_and_crashes": submissions.fill(
            reference, {"dense_params": STUCK_DENSE, "conv_output_size": CRASHING_OUTPUT_SIZE}
        ),
        "f_old_release": _old_release_cell(reference),
        "g_writes_files": _with_cells(
            reference,
            "%%writefile helper.py\ndef twice(x):\n    return 2 * x\n",
            "import helper\nwith open('training.log', 'w') as log:\n    log.write(str(helper.twice(21)))\n"
            "print(open('training.log').read())",
        ),
        "h_floods_output": _with_cells(reference, *["print('x' * (1 << 20))"] * 6),
        "z_last": reference,
    }
    for student, nb in class_.items():
        _hand_in(root, student, nb)
    started = time.monotonic()
    done = course.nbgrader(root, "autograde", ASSIGNMENT, *LIMITS, check=False)
    seconds = time.monotonic() - started
    course.nbgrader(root, "generate_feedback", ASSIGNMENT, check=False)
    return root, done, seconds, len(class_)


def test_the_class_finishes_within_the_budgets(engine_class):
    root, done, seconds, count = engine_class
    assert done.returncode == 0, done.stderr[-3000:]
    assert seconds < count * BUDGET
    for log in (root / "grading_logs" / ASSIGNMENT).glob("*.log"):
        took = float(re.search(r" in ([0-9.]+) s", log.read_text()).group(1))
        assert took < BUDGET + 15, log.name  # the budget, plus starting and stopping the kernel


def test_honest_students_around_the_hangs_get_full_marks(engine_class):
    scores = _scores(engine_class[0])
    full = expected_scores(ASSIGNMENT, "reference")
    for student in (
        "a_first",
        "d_slow_but_correct",
        "f_old_release",
        "g_writes_files",
        "h_floods_output",
        "z_last",
    ):
        assert scores[student] == pytest.approx(full), student


def test_a_notebook_that_never_lets_the_worker_start_scores_zero_and_says_why(engine_class):
    root = engine_class[0]
    scores = _scores(root)
    for student in ("b_hides_grader_package", "c_worker_none"):
        assert all(score == 0 for score in scores[student].values()), student
        # The student reads why: the grader could not reach the functions, or (found first, in the
        # submitted source) the notebook rewrites `sys.modules`, which the grader cannot check.
        feedback = _feedback(root, student)
        assert "did not let the grader reach your functions" in feedback or "`sys.modules`" in feedback
        assert "could not reach the student's functions" in _log(root, student)


def test_a_looping_and_a_crashing_function_cost_only_their_own_cells(engine_class):
    root = engine_class[0]
    scores = _scores(root)["e_loops_and_crashes"]
    full = expected_scores(ASSIGNMENT, "reference")
    assert scores["test_dense_params"] == 0 and scores["test_conv_output_size"] == 0
    others = {
        cell: points
        for cell, points in full.items()
        if cell not in ("test_dense_params", "test_conv_output_size")
    }
    assert {cell: scores[cell] for cell in others} == pytest.approx(others)
    feedback = _feedback(root, "e_loops_and_crashes")
    assert "time limit" in feedback and "stopped the Python process" in feedback


def test_output_is_capped_per_notebook(engine_class):
    root = engine_class[0]
    graded = root / "autograded" / "h_floods_output" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert graded.stat().st_size < 3 << 20
    feedback = root / "feedback" / "h_floods_output" / ASSIGNMENT / f"{ASSIGNMENT}.html"
    assert feedback.stat().st_size < 4 << 20
    assert "output cut" in _log(root, "h_floods_output")


def test_the_old_release_cell_is_dropped_with_a_warning(engine_class):
    root, done, _, _ = engine_class
    assert "test_removed_in_this_release" in done.stderr
    assert "test_removed_in_this_release" not in _scores(root)["f_old_release"]


def _burn(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_grades_are_the_same_on_a_quiet_and_on_a_busy_machine(tmp_path):
    """The same class, graded once on a quiet machine and once with every core busy three times over."""
    runs = []
    for busy in (False, True):
        root = course.make_course(tmp_path / f"busy-{busy}")
        course.generate_release(root)
        (root / ".course_secret").write_text("same secret for both runs\n")
        release = nbformat.read(root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
        reference = _reference(release)
        missing = submissions.submission(
            ASSIGNMENT, release, ROOT / "tests" / "submissions" / ASSIGNMENT / "missing_biases.py"
        )
        slow = submissions.fill(reference, {"dense_params": SLOW_DENSE})
        for student, nb in (("ref", reference), ("slow", slow), ("missing", missing)):
            _hand_in(root, student, nb)
        burners = []
        if busy:
            burners = [
                multiprocessing.Process(target=_burn, args=(600,))
                for _ in range(3 * multiprocessing.cpu_count())
            ]
            for burner in burners:
                burner.start()
        try:
            done = course.nbgrader(root, "autograde", ASSIGNMENT, *LIMITS, check=False)
        finally:
            for burner in burners:
                burner.kill()
        assert done.returncode == 0, done.stderr[-3000:]
        runs.append(_scores(root))
    quiet, busy = runs
    assert busy == quiet
    assert quiet["slow"] == pytest.approx(expected_scores(ASSIGNMENT, "reference"))
    assert quiet["missing"] == pytest.approx(expected_scores(ASSIGNMENT, "missing_biases"))
