"""Written answers nobody has graded yet are pending, not zero.

nbgrader scores a written answer (a Markdown grade cell, such as the case study's ASPER cells) 0
until a person grades it in formgrader, and its totals then read "13 / 27" as if final. Here a
submission's totals keep the autograded points, the points graded by hand and the points still to
be graded apart, for the feedback (`autograder.feedback`), the grades export (`PendingCsvExport`)
and the reports. A written answer left as `YOUR ANSWER HERE` is not pending: nbgrader scores it 0
itself ("No response").
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.plugins.export import CsvExportPlugin

PENDING_LABEL = "to be graded by hand"


def is_pending(grade) -> bool:
    """Whether an nbgrader `Grade` waits for a person: graded by hand and not graded yet."""
    return bool(grade.needs_manual_grade) and grade.manual_score is None


def is_written(grade) -> bool:
    """Whether an nbgrader `Grade` is a written answer (a Markdown grade cell, graded by hand)."""
    return grade.cell_type == "markdown"


@dataclass
class Totals:
    """A submission's points, with what is not graded yet kept apart."""

    score: float = 0.0  # every graded point earned (autograded and graded by hand)
    max_score: float = 0.0  # every point of the assignment
    autograded_score: float = 0.0
    autograded_max: float = 0.0
    pending_max: float = 0.0  # points of the answers still to be graded by hand
    pending_cells: list[str] = field(default_factory=list)

    @property
    def final(self) -> bool:
        return not self.pending_cells

    def summary(self) -> str:
        """ "20 / 27" when final, else "13 of 13 autograded points, 14 pending"."""
        if self.final:
            return f"{self.score:g} / {self.max_score:g}"
        text = f"{self.autograded_score:g} of {self.autograded_max:g} autograded points"
        by_hand_max = self.max_score - self.autograded_max - self.pending_max
        if by_hand_max > 0:
            text += f", {self.score - self.autograded_score:g} of {by_hand_max:g} graded by hand"
        return f"{text}, {self.pending_max:g} pending"


def totals(grades: Iterable) -> Totals:
    """The totals of a submission (or notebook) from its nbgrader `Grade`s."""
    result = Totals()
    for grade in grades:
        result.max_score += grade.max_score
        if is_pending(grade):
            result.pending_max += grade.max_score
            result.pending_cells.append(grade.name)
            continue
        result.score += grade.score
        if not is_written(grade):
            result.autograded_score += grade.score
            result.autograded_max += grade.max_score
    return result


def submission_totals(gradebook: Gradebook, assignment: str, student: str) -> Totals | None:
    """The totals of one student's submission, or None when there is none."""
    try:
        submission = gradebook.find_submission(assignment, student)
    except MissingEntry:
        return None
    return totals(grade for notebook in submission.notebooks for grade in notebook.grades)


class PendingCsvExport(CsvExportPlugin):
    """nbgrader's CSV export with the pending points said: nbgrader's columns, then
    `autograded_score`, `autograded_max_score`, `pending_points` and `status` ("final",
    "pending: 14 points to be graded by hand" or "not submitted").

    `score` stays nbgrader's (a pending answer counts 0 in it); `status` says when it is not final.
    Selected with `c.ExportApp.plugin_class` in `nbgrader_config.py`.
    """

    COLUMNS = (
        "assignment",
        "duedate",
        "timestamp",
        "student_id",
        "last_name",
        "first_name",
        "email",
        "raw_score",
        "late_submission_penalty",
        "score",
        "max_score",
        "autograded_score",
        "autograded_max_score",
        "pending_points",
        "status",
    )

    def export(self, gradebook: Gradebook) -> None:
        dest = self.to or "grades.csv"
        students = {str(s) for s in self.student}
        assignments = {str(a) for a in self.assignment}
        self.log.info("Exporting grades to %s", dest)
        with open(dest, "w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=self.COLUMNS, lineterminator="\n")
            writer.writeheader()
            for assignment in gradebook.assignments:
                if assignments and assignment.name not in assignments:
                    continue
                for student in gradebook.students:
                    if students and student.id not in students:
                        continue
                    writer.writerow(self._row(gradebook, assignment, student))

    @staticmethod
    def _row(gradebook: Gradebook, assignment, student) -> dict[str, object]:
        row = {
            "assignment": assignment.name,
            "duedate": assignment.duedate or "",
            "student_id": student.id,
            "last_name": student.last_name or "",
            "first_name": student.first_name or "",
            "email": student.email or "",
            "max_score": assignment.max_score,
        }
        try:
            submission = gradebook.find_submission(assignment.name, student.id)
        except MissingEntry:
            return {
                **row,
                "timestamp": "",
                "raw_score": 0.0,
                "late_submission_penalty": 0.0,
                "score": 0.0,
                "autograded_score": "",
                "autograded_max_score": "",
                "pending_points": "",
                "status": "not submitted",
            }
        penalty = submission.late_submission_penalty or 0.0
        found = totals(grade for notebook in submission.notebooks for grade in notebook.grades)
        status = "final" if found.final else f"pending: {found.pending_max:g} points {PENDING_LABEL}"
        return {
            **row,
            "timestamp": submission.timestamp or "",
            "raw_score": submission.score,
            "late_submission_penalty": submission.late_submission_penalty or "",
            "score": max(0.0, submission.score - penalty),
            "autograded_score": found.autograded_score,
            "autograded_max_score": found.autograded_max,
            "pending_points": found.pending_max,
            "status": status,
        }
