"""Sealed grading keeps grading honest work right: seeds, regrades, renamed notebooks, edited cells."""

from __future__ import annotations

import copy
import re

import nbformat
import pytest

from autograder import sealed
from autograder.runner import run_tests
from autograder.student import Student
from conftest import expected_scores
from tools import course, submissions

ASSIGNMENT = "parameter_counting"


def _recorded_inputs(seed: str) -> list[tuple]:
    calls = []

    def dense_params(n_in, n_out, bias=True):
        calls.append((n_in, n_out, bias))
        return n_in * n_out + (n_out if bias else 0)

    result = run_tests(ASSIGNMENT, "test_dense_params", Student({"dense_params": dense_params}), seed=seed)
    assert result.score == result.max_score
    return calls


def test_each_student_gets_other_hidden_inputs_and_a_regrade_the_same():
    secret = "course-secret"
    ada = sealed.student_seed(secret, "ada", ASSIGNMENT)
    ben = sealed.student_seed(secret, "ben", ASSIGNMENT)
    assert ada != ben and ada != sealed.student_seed("other-secret", "ada", ASSIGNMENT)
    assert _recorded_inputs(ada) == _recorded_inputs(ada)
    assert _recorded_inputs(ada) != _recorded_inputs(ben)


def test_the_course_secret_is_made_once_and_kept_private(tmp_path):
    path = tmp_path / ".course_secret"
    first = sealed.read_secret(path)
    assert len(first) == 64 and sealed.read_secret(path) == first
    assert path.stat().st_mode & 0o077 == 0


def test_the_kernel_sees_only_the_student_side_of_the_grader():
    cells = sealed.hidden_cells(course.ROOT / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    assert cells["test_dense_params"] == (ASSIGNMENT, "test_dense_params")
    files = sorted((course.ROOT / "autograder" / "student_side").glob("*.py"))
    assert {path.name for path in files} >= {"codec.py", "serve.py", "worker.py"}
    for path in files:
        text = path.read_text()
        assert "import pytest" not in text and "hidden_test_path" not in text and "runner" not in text
        imported = re.findall(r"^\s*(?:from|import) (autograder[\w.]*)", text, re.MULTILINE)
        assert all(name.startswith("autograder.student_side") for name in imported), (path.name, imported)


def test_the_first_notebook_does_not_wait_for_a_kernel_nobody_started(monkeypatch):
    # Before any notebook asked for one, no kernel is being started ahead: taking one answers at once
    # instead of waiting out the connect limit for a launcher that does not exist.
    monkeypatch.setattr(sealed._Spare, "_launcher", None)
    monkeypatch.setattr(sealed._Spare, "_ready", None)
    waited = []
    monkeypatch.setattr(
        sealed._Spare, "_idle", type("Event", (), {"wait": lambda self, timeout: waited.append(timeout)})()
    )
    assert sealed._Spare.take(("python3",)) is None
    sealed._Spare.discard()
    assert waited == []


def _release(root):
    return nbformat.read(root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)


def _hand_in(root, student, nb, name=ASSIGNMENT):
    folder = root / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{name}.ipynb")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = course.make_course(tmp_path_factory.mktemp("sealed") / "course")
    course.generate_release(root)
    reference = submissions.submission(ASSIGNMENT, _release(root), None)
    _hand_in(root, "renamed", reference, name="my_work")
    _hand_in(root, "two_renamed", reference, name="draft")
    _hand_in(root, "two_renamed", reference, name="final")
    edited = copy.deepcopy(reference)
    tests = [c for c in edited.cells if submissions.is_test_cell(c)]
    tests[0].metadata["nbgrader"]["grade"] = False
    tests[1].metadata["nbgrader"]["points"] = 100
    edited.cells.insert(edited.cells.index(tests[2]), copy.deepcopy(tests[2]))
    _hand_in(root, "edited", edited)
    wrong = submissions.submission(
        ASSIGNMENT, _release(root), course.ROOT / "tests" / "submissions" / ASSIGNMENT / "missing_biases.py"
    )
    _hand_in(root, "wrong", wrong)
    first = course.nbgrader(root, "autograde", ASSIGNMENT, check=False)
    scores = _all_scores(root)
    course.nbgrader(root, "autograde", ASSIGNMENT, "--force", "--student", "wrong")
    unsandboxed = course.nbgrader(
        root, "autograde", ASSIGNMENT, "--force", "--student", "edited", "--SealedExecute.sandbox=False"
    )
    return root, first.stderr, scores, _all_scores(root), unsandboxed.stderr


def _all_scores(root):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        return {
            submission.student.id: {
                grade.name: grade.score for notebook in submission.notebooks for grade in notebook.grades
            }
            for submission in gradebook.find_assignment(ASSIGNMENT).submissions
        }


@pytest.mark.pipeline
def test_a_lone_renamed_notebook_is_graded_and_the_instructor_told(graded):
    root, log, scores, _, _ = graded
    assert scores["renamed"] == pytest.approx(expected_scores(ASSIGNMENT, "reference"))
    assert "handed in 'my_work.ipynb' instead of 'parameter_counting.ipynb'" in log


@pytest.mark.pipeline
def test_several_renamed_notebooks_are_reported_not_guessed(graded):
    root, log, scores, _, _ = graded
    assert "'draft.ipynb', 'final.ipynb'" in log and "rename the notebooks" in log
    assert not any(scores.get("two_renamed", {}).values())
    assert not (root / "autograded" / "two_renamed" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").exists()


@pytest.mark.pipeline
def test_edited_metadata_and_duplicated_grade_cells_do_not_change_the_grade(graded):
    root, _, scores, _, _ = graded
    assert scores["edited"] == pytest.approx(expected_scores(ASSIGNMENT, "reference"))


@pytest.mark.pipeline
def test_a_regrade_gives_the_same_grade(graded):
    _, _, first, second, _ = graded
    assert second["wrong"] == first["wrong"] == pytest.approx(expected_scores(ASSIGNMENT, "missing_biases"))


@pytest.mark.pipeline
def test_without_the_sandbox_scores_are_still_decided_by_the_grader(graded):
    _, _, first, second, log = graded
    assert "unsandboxed" in log
    assert second["edited"] == pytest.approx(expected_scores(ASSIGNMENT, "reference"))
