"""The whole nbgrader cycle, with the real CLI, gradebook and Jupyter kernels.

For each assignment: generate the release, hand in the demo class plus notebooks whose grade cells
were deleted or moved and one whose first solution cell crashes, autograde, generate feedback and
export. Every grade cell must score what the submission's known mistakes say.
"""

import copy
import csv
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from autograder.nbgrader_plugins import HIDDEN_CALL
from conftest import ASSIGNMENTS, expected_scores, grade_cells
from tools import course, demo, submissions

pytestmark = pytest.mark.pipeline


@dataclass
class Graded:
    """A graded course: its folder, each submission's expected cell scores, and what was handed in."""

    root: Path
    expected: dict[tuple[str, str], dict[str, float]]
    kinds: dict[tuple[str, str], str]


def edited(nb):
    """The notebook with its first grade cell deleted and its last grade cell moved to the top."""
    nb = copy.deepcopy(nb)
    tests = [c for c in nb.cells if submissions.is_test_cell(c)]
    nb.cells.remove(tests[0])
    if len(tests) > 2:
        nb.cells.remove(tests[-1])
        nb.cells.insert(0, tests[-1])
    return nb


def solution_tested_by(grade_id, solutions):
    """The solution a grade cell tests: the longest solution name its grade_id starts with
    (`test_softmax_loss` tests `softmax_loss`, not `softmax`)."""
    return max((name for name in solutions if grade_id.startswith(f"test_{name}")), key=len)


def crashing(nb):
    """The notebook with its first solution cell replaced by code that raises."""
    nb = copy.deepcopy(nb)
    first = next(c for c in nb.cells if submissions.nbgrader_meta(c).get("solution"))
    first.source = 'raise RuntimeError("half-finished")'
    return nb, submissions.nbgrader_meta(first)["grade_id"]


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def graded(request, tmp_path_factory):
    """A course where one assignment's class was autograded, with feedback and export."""
    root = course.make_course(tmp_path_factory.mktemp("pipeline") / "course")
    course.generate_release(root)
    expected, kinds = {}, {}
    for assignment in [request.param]:
        for student, kind in demo.demo_class(assignment):
            demo.hand_in(root, assignment, student, kind)
            expected[assignment, student] = expected_scores(assignment, kind)
            kinds[assignment, student] = kind
        release = nbformat.read(root / "release" / assignment / f"{assignment}.ipynb", as_version=4)
        reference = submissions.submission(assignment, release, None)
        broken, crashed = crashing(reference)
        for student, nb in (("zed_edited", edited(reference)), ("zoe_crash", broken)):
            folder = root / "submitted" / student / assignment
            folder.mkdir(parents=True)
            nbformat.write(nb, folder / f"{assignment}.ipynb")
        expected[assignment, "zed_edited"] = expected_scores(assignment, "reference")
        solutions = submissions.reference_sources(submissions.source_notebook(assignment))
        expected[assignment, "zoe_crash"] = {
            grade_id: 0.0 if solution_tested_by(grade_id, solutions) == crashed else points
            for grade_id, points in expected_scores(assignment, "reference").items()
        }
        course.nbgrader(root, "autograde", assignment)
        course.nbgrader(root, "generate_feedback", assignment)
    course.nbgrader(root, "export", "--to", str(root / "grades.csv"))
    return Graded(root, expected, kinds)


def test_every_grade_cell_scores_what_the_submission_deserves(graded):
    from nbgrader.api import Gradebook

    root, expected = graded.root, graded.expected
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        for (assignment, student), scores in expected.items():
            submission = gradebook.find_submission(assignment, student)
            got = {
                grade.name: grade.score
                for notebook in submission.notebooks
                for grade in notebook.grades
                if grade.name in scores
            }
            assert got == pytest.approx(scores), (assignment, student)


def test_reference_earns_full_marks_and_untouched_release_earns_zero(graded):
    from nbgrader.api import Gradebook

    root = graded.root
    seen = set()
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        for (assignment, student), kind in graded.kinds.items():
            if kind in ("reference", "untouched"):
                submission = gradebook.find_submission(assignment, student)
                total = sum(cell.points for cell in grade_cells(assignment))
                assert submission.score == (total if kind == "reference" else 0.0)
                seen.add(kind)
    assert seen == {"reference", "untouched"}, "the demo class needs a reference and an untouched notebook"


def test_export_lists_every_graded_submission(graded):
    root, expected = graded.root, graded.expected
    with open(root / "grades.csv") as handle:
        rows = {(row["assignment"], row["student_id"]): float(row["score"]) for row in csv.DictReader(handle)}
    for key, scores in expected.items():
        assert rows[key] == pytest.approx(sum(scores.values())), key


def test_feedback_shows_cases_and_hints_but_no_hidden_test_source(graded):
    root, expected = graded.root, graded.expected
    for assignment, student in expected:
        html = (root / "feedback" / student / assignment / f"{assignment}.html").read_text()
        assert "BEGIN HIDDEN TESTS" not in html and HIDDEN_CALL not in html
        for module in (root / "autograder" / assignment).glob("test_*.py"):
            for line in module.read_text().splitlines():
                if "student." in line or "assert " in line:
                    assert line.strip() not in html, (student, line)
        if sum(expected[assignment, student].values()) < sum(c.points for c in grade_cells(assignment)):
            assert "fail" in html and "all tests passed" not in html.lower()


def test_autograded_grade_cells_carry_no_traceback(graded):
    root, expected = graded.root, graded.expected
    for assignment, student in expected:
        nb = nbformat.read(root / "autograded" / student / assignment / f"{assignment}.ipynb", as_version=4)
        for cell in nb.cells:
            meta = submissions.nbgrader_meta(cell)
            if submissions.is_test_cell(cell) and HIDDEN_CALL in cell.source:
                kinds = [out.output_type for out in cell.outputs]
                assert "error" not in kinds and kinds[-1] == "execute_result", (student, meta["grade_id"])
