"""Reads a graded course into plain records: the gradebook's scores, the hidden tests' per-case results.

After `nbgrader autograde`, each grade cell of `autograded/<student>/<a>/<a>.ipynb` holds the grader's
result (`autograder.runner.RESULT_MIME`, `CellResult.to_json()`): every hidden test case with its points,
pass or fail, hint and skill. The gradebook holds each cell's score (an instructor's manual score wins),
manual grades and comments. Pending means what `autograder.pending` says; the results are read through
the MIME type only (`autograder.runner.RESULT_MIME`), so the reports never run grader code.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder.pending import is_pending

RESULT_MIME = "application/vnd.dl-course.hidden-tests+json"
# The contract's skills, in the order reports list them.
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
WRITTEN_SKILL = "ml-system-design"
# A case the grader recorded without a skill (older results) falls back to its assignment's main skill.
ASSIGNMENT_SKILLS = {
    "parameter_counting": "model-size",
    "softmax": "losses-and-probabilities",
    "backprop": "backpropagation",
    "optimizers": "optimization",
    "case_study": "evaluation-metrics",
    "cnn": "backpropagation",
    "training_deep_nets": "training-deep-nets",
}


@dataclass
class CaseResult:
    """One hidden test case of one candidate: what it checks in words, and what it earned."""

    name: str
    points: float
    earned: float
    passed: bool
    hint: str
    problem: str
    skill: str


@dataclass
class CellRecord:
    """One grade cell of one candidate's submission, as the gradebook scored it."""

    assignment: str
    name: str
    max_score: float
    score: float
    manual: bool  # graded by hand (a written answer): skill ml-system-design
    pending: bool  # graded by hand and not graded yet
    cases: list[CaseResult] = field(default_factory=list)
    problem: str = ""
    comment: str = ""
    attempted: bool = True  # False: the function it tests was handed in as the release stub


@dataclass
class Submission:
    """One candidate's graded submission of one assignment."""

    student: str
    assignment: str
    score: float  # the gradebook's score (a written answer not yet graded counts 0 there)
    max_score: float
    cells: list[CellRecord]
    notebook: Path | None  # the notebook as handed in
    autograded: Path | None


@dataclass
class CellInfo:
    """A grade cell of an assignment, and the hidden test cases known for it."""

    assignment: str
    name: str
    max_score: float
    manual: bool
    cases: dict[str, tuple[float, str, str]] = field(default_factory=dict)  # name -> (points, skill, hint)


@dataclass
class Course:
    """What the reports need from a graded course folder."""

    root: Path
    students: list[str]
    assignments: list[str]
    cells: dict[str, list[CellInfo]]  # by assignment, in notebook order
    submissions: dict[tuple[str, str], Submission]  # by (student, assignment)
    unsubmitted: list[str] = field(default_factory=list)  # in the gradebook, handed in by nobody

    def submission(self, student: str, assignment: str) -> Submission | None:
        return self.submissions.get((student, assignment))


def solution_code(nb) -> dict[str, str]:
    """The code of each solution cell of a notebook, by grade_id."""
    return {
        cell.metadata["nbgrader"]["grade_id"]: cell.source
        for cell in nb.cells
        if cell.cell_type == "code"
        and cell.get("metadata", {}).get("nbgrader", {}).get("solution")
        and cell.metadata["nbgrader"].get("grade_id")
    }


def same_code(a: str, b: str) -> bool:
    """Whether two cells hold the same code, white space aside."""
    return re.sub(r"\s+", "", a or "") == re.sub(r"\s+", "", b or "")


def tested_solution(grade_id: str, solutions) -> str | None:
    """The solution a grade cell tests: the longest solution name its id starts with
    (`test_softmax_loss` tests `softmax_loss`, not `softmax`)."""
    names = [name for name in solutions if grade_id.startswith(f"test_{name}")]
    return max(names, key=len) if names else None


def _mark_unattempted(records: list[CellRecord], submitted: Path, release: Path) -> None:
    """Marks the grade cells whose function was handed in exactly as the release gave it."""
    if not (submitted.is_file() and release.is_file()):
        return
    codes = solution_code(nbformat.read(submitted, as_version=4))
    stubs = solution_code(nbformat.read(release, as_version=4))
    for record in records:
        if record.manual:
            continue
        solution = tested_solution(record.name, codes)
        if solution is not None and solution in stubs and same_code(codes[solution], stubs[solution]):
            record.attempted = False


def fallback_skill(assignment: str, cell: str) -> str:
    """The skill of a case recorded without one: from the cell's name, else the assignment's."""
    if "stability" in cell:
        return "numerical-stability"
    return ASSIGNMENT_SKILLS.get(assignment, SKILLS[0])


def cell_results(path: Path) -> dict[str, dict]:
    """The hidden tests' results in an autograded notebook, by grade cell."""
    results: dict[str, dict] = {}
    if not path.is_file():
        return results
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {}).get(RESULT_MIME)
            if data is None:
                continue
            result = json.loads(data) if isinstance(data, str) else dict(data)
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or result["cell"]
            results[grade_id] = result
    return results


def _cases(record: CellRecord, result: dict | None) -> list[CaseResult]:
    """The cell's cases, their earned points scaled so that they add up to the gradebook's score.

    They add up already unless an instructor overrode the cell's score by hand; then the override is
    spread over the cell's cases in proportion (to the passed ones when any passed).
    """
    if not result or not result.get("cases"):
        return []
    raw = [(case, float(case["points"]) if case["passed"] else 0.0) for case in result["cases"]]
    earned = sum(points for _, points in raw)
    if abs(earned - record.score) > 1e-9:
        weights = [points for _, points in raw] if earned > 0 else [float(c["points"]) for c, _ in raw]
        total = sum(weights) or 1.0
        raw = [(case, record.score * weight / total) for (case, _), weight in zip(raw, weights)]
    return [
        CaseResult(
            name=str(case["name"]),
            points=float(case["points"]),
            earned=points,
            passed=bool(case["passed"]),
            hint=str(case.get("hint", "")),
            problem=str(case.get("problem", "")),
            skill=str(case.get("skill") or fallback_skill(record.assignment, record.name)),
        )
        for case, points in raw
    ]


def _release_order(root: Path, assignment: str):
    """Sort key: a grade cell's place in the release notebook (unknown cells last, by name)."""
    path = root / "release" / assignment / f"{assignment}.ipynb"
    order: dict[str, int] = {}
    if path.is_file():
        for index, cell in enumerate(nbformat.read(path, as_version=4).cells):
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if grade_id:
                order.setdefault(grade_id, index)
    return lambda info: (order.get(info.name, len(order)), info.name)


def load(root: Path) -> Course:
    """Reads the course folder `root` (its `gradebook.db`, `submitted/` and `autograded/`)."""
    from nbgrader.api import Gradebook, MissingEntry

    root = Path(root)
    db = root / "gradebook.db"
    if not db.is_file():
        raise FileNotFoundError(f"no gradebook at {db}: run `nbgrader autograde` in the course first")
    cells: dict[str, list[CellInfo]] = {}
    submissions: dict[tuple[str, str], Submission] = {}
    with Gradebook(f"sqlite:///{db}") as gradebook:
        students = sorted(student.id for student in gradebook.students)
        assignments = [
            a.name
            for a in sorted(gradebook.assignments, key=lambda a: (a.duedate is None, a.duedate, a.name))
        ]
        for assignment in gradebook.assignments:
            infos = []
            for notebook in assignment.notebooks:
                manual_names = {cell.name for cell in notebook.solution_cells}
                for grade_cell in notebook.grade_cells:
                    infos.append(
                        CellInfo(
                            assignment.name,
                            grade_cell.name,
                            float(grade_cell.max_score),
                            grade_cell.name in manual_names,
                        )
                    )
            cells[assignment.name] = sorted(infos, key=_release_order(root, assignment.name))
            for student in students:
                try:
                    sub = gradebook.find_submission(assignment.name, student)
                except MissingEntry:
                    continue
                records = []
                notebook_path = autograded_path = None
                for notebook in sub.notebooks:
                    name = notebook.name
                    notebook_path = root / "submitted" / student / assignment.name / f"{name}.ipynb"
                    autograded_path = root / "autograded" / student / assignment.name / f"{name}.ipynb"
                    results = cell_results(autograded_path)
                    comments = {c.name: c.comment or "" for c in notebook.comments}
                    first = len(records)
                    for grade in notebook.grades:
                        manual = grade.name in {c.name for c in notebook.notebook.solution_cells}
                        record = CellRecord(
                            assignment=assignment.name,
                            name=grade.name,
                            max_score=float(grade.max_score),
                            score=float(grade.score or 0.0),
                            manual=manual,
                            pending=is_pending(grade),
                            comment=comments.get(grade.name, ""),
                        )
                        result = results.get(grade.name)
                        record.cases = _cases(record, result)
                        record.problem = str(result.get("problem", "")) if result else ""
                        records.append(record)
                    release = root / "release" / assignment.name / f"{name}.ipynb"
                    _mark_unattempted(records[first:], notebook_path, release)
                submissions[student, assignment.name] = Submission(
                    student=student,
                    assignment=assignment.name,
                    score=float(sub.score),
                    max_score=float(sub.max_score),
                    cells=records,
                    notebook=notebook_path if notebook_path and notebook_path.is_file() else None,
                    autograded=autograded_path if autograded_path and autograded_path.is_file() else None,
                )
    # The cases each grade cell holds, from whichever candidates' results have them.
    for assignment, infos in cells.items():
        by_name = {info.name: info for info in infos}
        for (_, a), sub in submissions.items():
            if a != assignment:
                continue
            for record in sub.cells:
                info = by_name.get(record.name)
                if info is None:
                    continue
                for case in record.cases:
                    info.cases.setdefault(case.name, (case.points, case.skill, case.hint))
    # An assignment nobody handed in (released, or not yet due) is not part of the assessment.
    handed_in = {a for (_, a) in submissions}
    return Course(
        root=root,
        students=students,
        assignments=[a for a in assignments if a in handed_in],
        cells={a: infos for a, infos in cells.items() if a in handed_in},
        submissions=submissions,
        unsubmitted=[a for a in assignments if a not in handed_in],
    )
