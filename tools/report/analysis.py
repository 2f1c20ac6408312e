"""From a graded course to what the reports say: skill scores, levels, percentiles, item statistics.

Skill score of a candidate: the points earned on every hidden test case of that skill (and, for
`ml-system-design`, every written answer graded by hand), divided by the points those cases are worth,
over every assignment of the course (an assignment not handed in earns 0). A written answer not yet
graded by hand is pending: it counts neither as earned nor as possible, and the report says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from tools.report import stats
from tools.report.collect import SKILLS, WRITTEN_SKILL, CellInfo, Course

# Levels of a skill score, lowest first: (name, lowest percentage).
LEVELS = (("not shown", 0.0), ("foundational", 40.0), ("proficient", 70.0), ("strong", 90.0))


def level(percent: float | None) -> str:
    """The level of a skill percentage (None: nothing graded yet)."""
    if percent is None:
        return "pending"
    name = LEVELS[0][0]
    for label, lowest in LEVELS:
        if percent >= lowest - 1e-9:
            name = label
    return name


@dataclass
class Item:
    """One unit of the item analysis: a hidden test case, or a grade cell without cases."""

    assignment: str
    cell: str
    case: str  # "" for a whole grade cell
    points: float
    skill: str
    hint: str
    manual: bool

    @property
    def label(self) -> str:
        return f"{self.cell}::{self.case}" if self.case else self.cell


@dataclass
class Evidence:
    """One line of evidence under a skill in a candidate's report."""

    assignment: str
    cell: str
    case: str
    passed: bool | None  # None: pending (a written answer not graded yet) or not handed in
    points: float
    earned: float
    hint: str
    problem: str = ""
    status: str = ""  # "pending", "not handed in", "not attempted" (left as the stub) or ""
    manual: bool = False  # a written answer graded by hand


@dataclass
class SkillScore:
    skill: str
    earned: float = 0.0
    possible: float = 0.0
    pending: float = 0.0  # points of written answers not graded yet
    evidence: list[Evidence] = field(default_factory=list)
    percentile: float | None = None
    band: tuple[float, float] | None = None
    sem: float | None = None  # in percentage points

    @property
    def percent(self) -> float | None:
        return None if self.possible <= 0 else 100.0 * self.earned / self.possible

    @property
    def level(self) -> str:
        return level(self.percent)

    @property
    def assessed(self) -> bool:
        return self.possible > 0 or self.pending > 0


@dataclass
class AssignmentStats:
    """The item analysis of one assignment (statistics only for a large enough cohort)."""

    assignment: str
    n: int
    max_score: float
    totals: list[float]
    cells: list[dict]
    cases: list[dict]
    alpha: float  # of the grade cells
    sem: float  # of the total, from the grade cells' alpha
    excluded: list[str]  # items left out of the analysis, with why
    case_alpha: float = float("nan")  # of the hidden test cases (written answers have none)


@dataclass
class Candidate:
    student: str
    skills: dict[str, SkillScore]
    total: float  # the gradebook's total over the course
    max_total: float
    pending_points: float
    handed_in: list[str]
    missing: list[str]
    flags: list = field(default_factory=list)
    percentile: float | None = None  # of the overall percentage, in a large cohort

    @property
    def earned(self) -> float:
        return sum(score.earned for score in self.skills.values())

    @property
    def graded(self) -> float:
        return sum(score.possible for score in self.skills.values())

    @property
    def percent(self) -> float | None:
        return None if self.graded <= 0 else 100.0 * self.earned / self.graded


def course_items(course: Course) -> dict[str, list[Item]]:
    """Every item of every assignment: each hidden test case, or the whole cell where none is known."""
    items: dict[str, list[Item]] = {}
    for assignment in course.assignments:
        rows = []
        for info in course.cells.get(assignment, []):
            rows.extend(cell_items(info))
        items[assignment] = rows
    return items


def cell_items(info: CellInfo) -> list[Item]:
    from tools.report.collect import fallback_skill

    if info.manual:
        return [Item(info.assignment, info.name, "", info.max_score, WRITTEN_SKILL, "", True)]
    if info.cases:
        return [
            Item(info.assignment, info.name, case, points, skill, hint, False)
            for case, (points, skill, hint) in info.cases.items()
        ]
    return [
        Item(
            info.assignment,
            info.name,
            "",
            info.max_score,
            fallback_skill(info.assignment, info.name),
            "",
            False,
        )
    ]


def item_score(course: Course, student: str, item: Item) -> float | None:
    """Points `student` earned on `item`; 0 when not handed in; None when pending."""
    sub = course.submission(student, item.assignment)
    if sub is None:
        return 0.0
    record = next((r for r in sub.cells if r.name == item.cell), None)
    if record is None:
        return 0.0
    if record.pending:
        return None
    if not item.case:
        return record.score
    case = next((c for c in record.cases if c.name == item.case), None)
    if case is None:
        # The cell has no per-case results for this candidate (e.g. the notebook could not run):
        # its score spread over its cases by points.
        total = sum(points for points, _, _ in _info(course, item).cases.values()) or 1.0
        return record.score * item.points / total
    return case.earned


def _info(course: Course, item: Item) -> CellInfo:
    return next(i for i in course.cells[item.assignment] if i.name == item.cell)


def candidates(course: Course, items: dict[str, list[Item]]) -> dict[str, Candidate]:
    """Each candidate's skill scores with their evidence, and totals from the gradebook."""
    result = {}
    for student in course.students:
        skills = {skill: SkillScore(skill) for skill in SKILLS}
        total = max_total = pending_points = 0.0
        handed_in, missing = [], []
        for assignment in course.assignments:
            sub = course.submission(student, assignment)
            if sub is None:
                missing.append(assignment)
                max_total += sum(info.max_score for info in course.cells.get(assignment, []))
            else:
                handed_in.append(assignment)
                total += sub.score
                max_total += sub.max_score
            for item in items[assignment]:
                score = skills.setdefault(item.skill, SkillScore(item.skill))
                earned = item_score(course, student, item)
                record = None if sub is None else next((r for r in sub.cells if r.name == item.cell), None)
                if earned is None:
                    score.pending += item.points
                    pending_points += item.points
                    score.evidence.append(
                        Evidence(
                            assignment,
                            item.cell,
                            item.case,
                            None,
                            item.points,
                            0.0,
                            item.hint,
                            status="pending",
                        )
                    )
                    continue
                score.earned += earned
                score.possible += item.points
                if sub is None:
                    status, passed, problem, hint = "not handed in", None, "", item.hint
                else:
                    case = None
                    if record is not None and item.case:
                        case = next((c for c in record.cases if c.name == item.case), None)
                    passed = case.passed if case else earned >= item.points - 1e-9
                    problem = case.problem if case else (record.problem if record else "")
                    hint = case.hint if case and case.hint else item.hint
                    status = "" if record is None or record.attempted else "not attempted"
                score.evidence.append(
                    Evidence(
                        assignment,
                        item.cell,
                        item.case,
                        passed,
                        item.points,
                        earned,
                        hint,
                        problem,
                        status,
                        item.manual,
                    )
                )
        result[student] = Candidate(student, skills, total, max_total, pending_points, handed_in, missing)
    return result


def skill_matrix(course: Course, items: dict[str, list[Item]], skill: str) -> tuple[np.ndarray, float]:
    """Points per candidate (rows) per item of `skill` (columns), items pending for anyone left out;
    and the points those items are worth."""
    columns, possible = [], 0.0
    for assignment in course.assignments:
        for item in items[assignment]:
            if item.skill != skill:
                continue
            column = [item_score(course, student, item) for student in course.students]
            if any(value is None for value in column):
                continue
            columns.append(column)
            possible += item.points
    if not columns:
        return np.zeros((len(course.students), 0)), 0.0
    return np.array(columns, dtype=float).T, possible


def add_percentiles(course: Course, items: dict[str, list[Item]], people: dict[str, Candidate]) -> None:
    """Cohort percentile of each skill score, with a band of one SEM (only for a large cohort)."""
    if len(people) < stats.MIN_COHORT:
        return
    overall = [c.percent for c in people.values() if c.percent is not None]
    for person in people.values():
        if person.percent is not None:
            person.percentile = stats.percentile_rank(overall, person.percent)
    for skill in SKILLS:
        values = {
            s: c.skills[skill].percent for s, c in people.items() if c.skills[skill].percent is not None
        }
        if len(values) < stats.MIN_COHORT:
            continue
        matrix, possible = skill_matrix(course, items, skill)
        if matrix.shape[1] == 0 or not possible:
            continue
        percents = 100.0 * matrix.sum(axis=1) / possible
        sem = stats.sem(percents, stats.cronbach_alpha(matrix))
        cohort = list(values.values())
        for student, percent in values.items():
            score = people[student].skills[skill]
            score.percentile = stats.percentile_rank(cohort, percent)
            if not math.isnan(sem):
                score.sem = sem
                score.band = (
                    stats.percentile_rank(cohort, percent - sem),
                    stats.percentile_rank(cohort, percent + sem),
                )


def _item_table(matrix: np.ndarray, items: list[Item]) -> list[dict]:
    means = matrix.mean(axis=0)
    fractions = stats.difficulty(matrix, [item.points for item in items])
    discrimination = stats.item_rest_correlation(matrix)
    deleted = stats.alpha_if_deleted(matrix)
    rows = []
    for j, item in enumerate(items):
        rows.append(
            {
                "item": item,
                "mean": float(means[j]),
                "fraction": float(fractions[j]),
                "discrimination": float(discrimination[j]),
                "alpha_if_deleted": float(deleted[j]),
                "flags": stats.item_flags(float(fractions[j]), float(discrimination[j])),
            }
        )
    return rows


def assignment_stats(course: Course, items: dict[str, list[Item]], assignment: str) -> AssignmentStats:
    """Score distribution and item analysis of one assignment over the candidates who handed it in."""
    students = [s for s in course.students if course.submission(s, assignment) is not None]
    totals = [course.submission(s, assignment).score for s in students]
    infos = course.cells.get(assignment, [])
    excluded = []
    cell_items_, cell_columns = [], []
    for info in infos:
        column = []
        for student in students:
            record = next(
                (r for r in course.submission(student, assignment).cells if r.name == info.name), None
            )
            column.append(None if record is None or record.pending else record.score)
        if any(value is None for value in column):
            waiting = sum(value is None for value in column)
            excluded.append(f"{info.name}: pending for {waiting} candidate{'s' * (waiting != 1)}")
            continue
        cell_items_.append(Item(assignment, info.name, "", info.max_score, "", "", info.manual))
        cell_columns.append(column)
    case_items, case_columns = [], []
    for item in items[assignment]:
        if not item.case:
            continue
        case_items.append(item)
        case_columns.append([item_score(course, s, item) for s in students])
    cell_matrix = np.array(cell_columns, dtype=float).T if cell_columns else np.zeros((len(students), 0))
    case_matrix = np.array(case_columns, dtype=float).T if case_columns else np.zeros((len(students), 0))
    large = len(students) >= stats.MIN_COHORT
    alpha = stats.cronbach_alpha(cell_matrix) if large else float("nan")
    return AssignmentStats(
        assignment=assignment,
        n=len(students),
        max_score=sum(info.max_score for info in infos),
        totals=totals,
        cells=_item_table(cell_matrix, cell_items_) if large else [],
        cases=_item_table(case_matrix, case_items) if large else [],
        alpha=alpha,
        sem=stats.sem(cell_matrix.sum(axis=1), alpha) if large else float("nan"),
        excluded=excluded,
        case_alpha=stats.cronbach_alpha(case_matrix) if large else float("nan"),
    )
