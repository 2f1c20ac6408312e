"""Shared facts about the course for the project's tests."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
import torch

from autograder.nbgrader_plugins import HIDDEN_CALL
from autograder.runner import run_tests
from autograder.student import Student
from tools import course, submissions

# Load torch's lazily imported parts before any time-limited hidden test can interrupt them.
torch.nn.Linear(2, 2, device="meta")
torch.nn.Linear(2, 2)(torch.zeros(1, 2)).sum().backward()

ROOT = course.ROOT
SUBMISSIONS = ROOT / "tests" / "submissions"
ASSIGNMENTS = course.assignments()


@dataclass(frozen=True)
class GradeCell:
    assignment: str
    grade_id: str
    points: float
    hidden: bool


def grade_cells(assignment: str) -> list[GradeCell]:
    """The grade cells of an assignment's source notebook, in order."""
    cells = []
    for cell in submissions.source_notebook(assignment).cells:
        meta = submissions.nbgrader_meta(cell)
        if submissions.is_test_cell(cell):
            cells.append(
                GradeCell(assignment, meta["grade_id"], float(meta["points"]), HIDDEN_CALL in cell.source)
            )
    return cells


def variants(assignment: str) -> list[Path]:
    """The submission files (known mistakes and correct alternatives) of an assignment."""
    return sorted((SUBMISSIONS / assignment).glob("*.py"))


def variant_path(assignment: str, kind: str) -> Path | None:
    """The variant file for a demo-class entry; None for the reference solution."""
    return None if kind in ("reference", "untouched") else SUBMISSIONS / assignment / f"{kind}.py"


@cache
def case_points(assignment: str) -> dict[str, dict[str, float]]:
    """Points of every hidden test case, by grade cell, read by running the reference solution."""
    student = Student(submissions.namespace(assignment))
    sources = submissions.sources(assignment)
    return {
        cell.grade_id: {
            case.name: case.points
            for case in run_tests(assignment, cell.grade_id, student, sources=sources).cases
        }
        for cell in grade_cells(assignment)
        if cell.hidden
    }


def expected_scores(assignment: str, kind: str) -> dict[str, float]:
    """What each grade cell should score for a demo-class entry, from the variant's FAILS."""
    scores = {cell.grade_id: cell.points for cell in grade_cells(assignment)}
    if kind == "untouched":
        return {grade_id: 0.0 for grade_id in scores}
    path = variant_path(assignment, kind)
    fails = submissions.variant_failures(path) if path else {}
    points = case_points(assignment)
    for grade_id, cases in fails.items():
        scores[grade_id] -= sum(points[grade_id][case] for case in cases)
    return scores


@pytest.fixture(autouse=True)
def _grader_modules_restored():
    """Puts back every `autograder` module's names after a test: submissions in `tests/submissions`
    run in this process and some attack the probes (`sys.modules[...].probe = forged`)."""
    saved = {
        name: dict(vars(module))
        for name, module in list(sys.modules.items())
        if name.startswith("autograder") and module is not None
    }
    yield
    for name, names in saved.items():
        module = sys.modules.get(name)
        now = vars(module) if module is not None else names
        if now.keys() != names.keys() or any(now[key] is not value for key, value in names.items()):
            now.clear()
            now.update(names)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Keeps each pipeline module's tests on one xdist worker (they share a graded course), and
    `test_pipeline.py`'s per assignment, so `-n 2 --dist loadgroup` grades each course once."""
    for item in items:
        if item.get_closest_marker("pipeline") is None or item.get_closest_marker("xdist_group"):
            continue
        group = item.module.__name__
        params = getattr(getattr(item, "callspec", None), "params", {})
        if group == "test_pipeline" and "graded" in params:
            group += f"-{params['graded']}"
        item.add_marker(pytest.mark.xdist_group(group))
