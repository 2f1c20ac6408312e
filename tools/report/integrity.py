"""Integrity signals: prompts for an instructor or recruiter to review, each with its evidence.

None of them is a verdict. Students who studied together, or a standard solution, can look alike;
each signal says what was seen and leaves the judgement to a person.

- Similar code: per solution cell, copydetect's winnowed fingerprints of each candidate's code, with
  the release notebook's stub and every fingerprint found in more than `COMMON_FRACTION` of the cohort
  (at least `COMMON_MIN_COUNT` candidates) ignored, so an idiom everyone writes does not count. A pair is
  flagged when the rare code they share covers at least `SIMILARITY` of each one's remaining code and
  is at least `MIN_SHARED` tokens long.
- Shared cell ids: nbformat gives each new cell a random id. A cell the release notebook does not have
  was created by the student; the same such id in two candidates' notebooks means one file was made
  from the other.
- Same failures: two candidates who failed exactly the same hidden test cases, in code they wrote
  (functions left as the stub are not counted), when few others in the cohort failed that way.
"""

from __future__ import annotations

import io
import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from tools.report.collect import Course, same_code, solution_code

# copydetect's own defaults: k-grams of 25 filtered characters, every one kept (window 1).
K = 25
WINDOW = 1
COMMON_FRACTION = 0.05
COMMON_MIN_COUNT = 2
SIMILARITY = 0.6
MIN_SHARED = 60
# A pattern of failed cases is rare when at most this many candidates share it.
RARE_FRACTION = 0.05
RARE_MIN_COUNT = 2
MIN_FAILED = 2


@dataclass
class Flag:
    """One prompt for review about a group of candidates (usually a pair)."""

    kind: str  # "similar code", "shared cell id", "same failures"
    students: tuple[str, ...]
    assignment: str
    where: str  # the cell or cases concerned
    evidence: str  # in words
    strength: float = 0.0  # for ordering: similarity, or 1.0
    detail: dict = field(default_factory=dict)  # e.g. highlighted code for the cohort report

    def about(self, student: str) -> str:
        others = [s for s in self.students if s != student]
        return ", ".join(others)


def common_limit(n: int) -> int:
    """A fingerprint held by more than this many of `n` candidates is common, so ignored."""
    return max(COMMON_MIN_COUNT, math.ceil(COMMON_FRACTION * n))


def rare_limit(n: int) -> int:
    return max(RARE_MIN_COUNT, math.ceil(RARE_FRACTION * n))


def _fingerprint(code: str):
    from copydetect import CodeFingerprint

    return CodeFingerprint("cell.py", K, WINDOW, language="python", fp=io.StringIO(code))


def _without(fingerprint, ignored: set[int]):
    """The fingerprint with the `ignored` hashes taken out (copydetect's boilerplate, done exactly:
    its own filter drops k-grams repeated within a file too)."""
    from copydetect.utils import get_token_coverage

    fingerprint.hashes = {value for value in fingerprint.hashes if value not in ignored}
    fingerprint.hash_idx = {
        value: where for value, where in fingerprint.hash_idx.items() if value not in ignored
    }
    fingerprint.token_coverage = get_token_coverage(
        fingerprint.hash_idx, fingerprint.k, len(fingerprint.filtered_code)
    )
    return fingerprint


def similar_code(codes: dict[str, str], stub: str = "", cell: str = "", assignment: str = "") -> list[Flag]:
    """Pairs of candidates whose code for one cell shares rare fingerprints.

    Args:
        codes: each candidate's code for the cell.
        stub: the release notebook's code for the cell (boilerplate: never counts).
        cell, assignment: named in the flags.
    """
    from copydetect import compare_files
    from copydetect.utils import highlight_overlap

    stub_hashes = set(_fingerprint(stub).hashes) if stub.strip() else set()
    prints = {student: _fingerprint(code) for student, code in codes.items() if code.strip()}
    counts: dict[int, int] = defaultdict(int)
    for fingerprint in prints.values():
        for value in fingerprint.hashes:
            counts[value] += 1
    limit = common_limit(len(codes))
    ignored = stub_hashes | {value for value, count in counts.items() if count > limit}
    prints = {student: _without(fingerprint, ignored) for student, fingerprint in prints.items()}
    flags = []
    names = sorted(prints)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            fa, fb = prints[a], prints[b]
            if not fa.hashes & fb.hashes:
                continue
            overlap, (sim_a, sim_b), (slices_a, slices_b) = compare_files(fa, fb)
            if min(sim_a, sim_b) < SIMILARITY or overlap < MIN_SHARED:
                continue
            shown_a, _ = highlight_overlap(fa.raw_code, slices_a, "\x00", "\x01", escape_html=False)
            shown_b, _ = highlight_overlap(fb.raw_code, slices_b, "\x00", "\x01", escape_html=False)
            flags.append(
                Flag(
                    kind="similar code",
                    students=(a, b),
                    assignment=assignment,
                    where=cell,
                    evidence=(
                        f"Their code for `{cell}` is largely the same, names aside: of the code that is "
                        f"neither the release stub nor an idiom more than {limit} candidates share, "
                        f"{sim_a:.0%} of {a}'s and {sim_b:.0%} of {b}'s matches the other's "
                        f"({int(overlap)} normalised characters in common)."
                    ),
                    strength=float(min(sim_a, sim_b)),
                    detail={"code": {a: shown_a, b: shown_b}, "share": {a: float(sim_a), b: float(sim_b)}},
                )
            )
    return flags


def _release(course: Course, assignment: str):
    path = course.root / "release" / assignment / f"{assignment}.ipynb"
    return nbformat.read(path, as_version=4) if path.is_file() else None


def _read(path: Path | None):
    if path is None or not path.is_file():
        return None
    return nbformat.read(path, as_version=4)


def course_similar_code(course: Course) -> list[Flag]:
    """Similar-code flags for every solution cell of every assignment."""
    flags = []
    for assignment in course.assignments:
        release = _release(course, assignment)
        stubs = solution_code(release) if release is not None else {}
        by_cell: dict[str, dict[str, str]] = defaultdict(dict)
        for student in course.students:
            sub = course.submission(student, assignment)
            nb = _read(sub.notebook if sub else None)
            if nb is None:
                continue
            for grade_id, code in solution_code(nb).items():
                if grade_id and not same_code(code, stubs.get(grade_id, "")):
                    by_cell[grade_id][student] = code
        for grade_id, codes in by_cell.items():
            flags.extend(similar_code(codes, stubs.get(grade_id, ""), grade_id, assignment))
    return flags


def shared_cell_ids(notebooks: dict[str, object], release_ids: set[str], assignment: str = "") -> list[Flag]:
    """Candidates whose notebooks hold the same cell id that the release does not have."""
    seen: dict[str, set[str]] = defaultdict(set)
    for student, nb in notebooks.items():
        for cell in nb.cells:
            cell_id = cell.get("id")
            if cell_id and cell_id not in release_ids:
                seen[cell_id].add(student)
    by_group: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for cell_id, students in seen.items():
        if len(students) > 1:
            by_group[tuple(sorted(students))].append(cell_id)
    flags = []
    for group, ids in sorted(by_group.items()):
        listed = ", ".join(f"`{i}`" for i in sorted(ids)[:3]) + (" ..." if len(ids) > 3 else "")
        flags.append(
            Flag(
                kind="shared cell id",
                students=group,
                assignment=assignment,
                where=listed,
                evidence=(
                    f"{len(ids)} cell{'s' * (len(ids) != 1)} that the release notebook does not have "
                    f"carry the same random id ({listed}) in each of their notebooks; Jupyter gives every "
                    "new cell a fresh id, so the files likely share an origin."
                ),
                strength=1.0,
                detail={"ids": sorted(ids)},
            )
        )
    return flags


def course_shared_cell_ids(course: Course) -> list[Flag]:
    flags = []
    for assignment in course.assignments:
        release = _release(course, assignment)
        release_ids = {cell.get("id") for cell in release.cells} if release is not None else set()
        notebooks = {}
        for student in course.students:
            sub = course.submission(student, assignment)
            nb = _read(sub.notebook if sub else None)
            if nb is not None:
                notebooks[student] = nb
        flags.extend(shared_cell_ids(notebooks, release_ids, assignment))
    return flags


def same_failures(patterns: dict[str, frozenset[str]], assignment: str = "") -> list[Flag]:
    """Groups of candidates who failed exactly the same (rare) set of at least MIN_FAILED cases."""
    groups: dict[frozenset[str], list[str]] = defaultdict(list)
    for student, failed in patterns.items():
        groups[failed].append(student)
    limit = rare_limit(len(patterns))
    flags = []
    for failed, students in groups.items():
        if len(failed) < MIN_FAILED or not 2 <= len(students) <= limit:
            continue
        listed = sorted(failed)
        per_cell: dict[str, int] = defaultdict(int)
        for case in listed:
            per_cell[case.split("::")[0].removeprefix("test_")] += 1
        shown = ", ".join(f"`{cell}` ({count})" for cell, count in sorted(per_cell.items()))
        flags.append(
            Flag(
                kind="same failures",
                students=tuple(sorted(students)),
                assignment=assignment,
                where=shown,
                evidence=(
                    f"{'Both' if len(students) == 2 else f'All {len(students)}'} failed exactly the same "
                    f"{len(failed)} hidden test cases of {assignment}, in code they wrote (by function: "
                    f"{shown}), a pattern no more than {limit} of the {len(patterns)} candidates share."
                ),
                strength=len(failed) / 100.0,
                detail={"cases": listed},
            )
        )
    return flags


def course_same_failures(course: Course) -> list[Flag]:
    flags = []
    for assignment in course.assignments:
        patterns = {}
        for student in course.students:
            sub = course.submission(student, assignment)
            if sub is None:
                continue
            attempted = [r for r in sub.cells if not r.manual and r.cases and r.attempted]
            if attempted:  # functions left as the stub are not wrong answers
                patterns[student] = frozenset(
                    f"{r.name}::{case.name}" for r in attempted for case in r.cases if not case.passed
                )
        flags.extend(same_failures(patterns, assignment))
    return flags


def course_flags(course: Course) -> list[Flag]:
    """Every integrity signal of the course, strongest first within each kind."""
    flags = course_similar_code(course) + course_shared_cell_ids(course) + course_same_failures(course)
    order = {"shared cell id": 0, "similar code": 1, "same failures": 2}
    return sorted(flags, key=lambda f: (order[f.kind], -f.strength, f.assignment, f.students))
