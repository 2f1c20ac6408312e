"""Every known mistake fails exactly the hidden test cases that target it; correct code passes all.

These run the hidden-test modules directly on each submission in `tests/submissions/`, without
nbgrader; `test_pipeline.py` runs a representative set through the real `nbgrader autograde`.
"""

import ast

import pytest

from autograder.runner import hidden_test_path
from autograder.runner import run_tests as run
from autograder.student import Student
from conftest import ASSIGNMENTS, case_points, grade_cells, variants
from tools import submissions

SUBMISSION_CASES = [(a, None) for a in ASSIGNMENTS] + [(a, v) for a in ASSIGNMENTS for v in variants(a)]


@pytest.mark.parametrize(
    ("assignment", "variant"),
    SUBMISSION_CASES,
    ids=[f"{a}-{v.stem if v else 'reference'}" for a, v in SUBMISSION_CASES],
)
def test_each_submission_fails_exactly_what_it_should(assignment, variant):
    student = Student(submissions.namespace(assignment, variant))
    sources = submissions.sources(assignment, variant)
    failed = {}
    for cell in grade_cells(assignment):
        if not cell.hidden:
            continue
        result = run(assignment, cell.grade_id, student, seconds=5, sources=sources)
        assert not result.problem, result.problem
        missed = {case.name for case in result.cases if not case.passed}
        if missed:
            failed[cell.grade_id] = missed
    expected = submissions.variant_failures(variant) if variant else {}
    assert failed == expected


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_variant_says_what_it_gets_wrong(assignment):
    for path in variants(assignment):
        tree = ast.parse(path.read_text())
        assert ast.get_docstring(tree), f"{path.name} needs a docstring naming its mistake"
        assert any(
            isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "FAILS" for n in tree.body
        ), f"{path.name} needs FAILS"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_grade_cell_points_equal_their_test_cases(assignment):
    points = case_points(assignment)
    for cell in grade_cells(assignment):
        if cell.hidden:
            assert hidden_test_path(assignment, cell.grade_id).is_file()
            assert sum(points[cell.grade_id].values()) == pytest.approx(cell.points), cell.grade_id


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_test_module_has_its_grade_cell_and_names_a_solution(assignment):
    cells = {cell.grade_id for cell in grade_cells(assignment) if cell.hidden}
    modules = {p.stem for p in hidden_test_path(assignment, "x").parent.glob("test_*.py")}
    assert modules == cells
    solutions = set(submissions.reference_sources(submissions.source_notebook(assignment)))
    for cell in cells:
        assert any(cell.startswith(f"test_{name}") for name in solutions), cell


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_case_has_points_and_a_hint(assignment):
    student = Student(submissions.namespace(assignment))
    for cell in grade_cells(assignment):
        if cell.hidden:
            for case in run(assignment, cell.grade_id, student).cases:
                assert case.points > 0 and case.hint, (cell.grade_id, case.name)
