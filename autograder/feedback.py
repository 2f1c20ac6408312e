"""What the feedback page adds once a notebook is graded.

- Each grade cell's result is followed by the course's explanation of the question (the
  derivation, the usual slips, what to say in an interview), from
  `autograder/<assignment>/explanations.md`: one `## <grade cell>` section per grade cell. The
  release never holds it; the student reads it after grading.
- Written answers nobody has graded yet are marked pending (`autograder.pending`), and the page's
  totals say "13 of 13 autograded points, 14 pending" instead of "13 / 27".
- MathJax is inlined from the pinned `django-static-mathjax` package (MathJax 3, SVG output, no
  font files), so the maths of a feedback file renders offline, wherever the student opens it.

`FeedbackDetails` runs in `generate_feedback` after nbgrader's `GetGrades` (`nbgrader_config.py`).
"""

from __future__ import annotations

import functools
import json
import re
from importlib import resources as package_files

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

from autograder.pending import PENDING_LABEL, is_pending, totals
from autograder.runner import PACKAGE_DIR, RESULT_MIME

EXPLANATIONS = "explanations.md"
_SECTION = re.compile(r"^## +(\S+)[ \t]*$", re.MULTILINE)


@functools.cache
def explanations(assignment: str) -> dict[str, str]:
    """The explanation of each grade cell of an assignment, by grade cell id (Markdown)."""
    path = PACKAGE_DIR / assignment / EXPLANATIONS
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", assignment) or not path.is_file():
        return {}
    parts = _SECTION.split(path.read_text())
    return {name: body.strip() for name, body in zip(parts[1::2], parts[2::2]) if body.strip()}


def explanation(assignment: str, cell: str) -> str:
    """The explanation shown under grade cell `cell`'s results, or ""."""
    return explanations(assignment).get(cell, "")


@functools.cache
def mathjax_script() -> str:
    """MathJax 3 with every TeX extension and SVG output, as one script (empty if not installed)."""
    try:
        path = package_files.files("mathjax") / "static" / "mathjax" / "es5" / "tex-svg-full.js"
        return path.read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return ""


def mathjax_inline(_: object = None) -> str:
    """A Jinja filter: the inline MathJax script for the course's pages (see `mathjax_script`)."""
    return mathjax_script()


class FeedbackDetails(Preprocessor):
    """Adds explanations under grade cells' results and marks written answers still to be graded."""

    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb, resources):
        from nbgrader.api import Gradebook, MissingEntry

        info = resources.get("nbgrader", {})
        assignment = info.get("assignment", "")
        pending: set[str] = set()
        if info.get("db_url"):
            with Gradebook(info["db_url"]) as gradebook:
                try:
                    notebook = gradebook.find_submission_notebook(
                        info["notebook"], assignment, info["student"]
                    )
                except MissingEntry:
                    notebook = None
                if notebook is not None:
                    found = totals(notebook.grades)
                    pending = {grade.name for grade in notebook.grades if is_pending(grade)}
                    info["pending_points"] = found.pending_max
                    info["totals_text"] = found.summary()
        for cell in nb.cells:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            grade_id = meta.get("grade_id")
            if grade_id in pending:
                meta["pending"] = True
                meta["pending_label"] = PENDING_LABEL
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if RESULT_MIME in data and grade_id:
                    result = json.loads(data[RESULT_MIME])
                    result.pop("explanation", None)
                    text = explanation(assignment, grade_id)
                    if text:
                        result["explanation"] = text
                    data[RESULT_MIME] = json.dumps(result)
        return nb, resources
