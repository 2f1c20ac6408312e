"""nbgrader preprocessors and hooks that make autograding grade honest work the way this course means.

`nbgrader_config.py` puts them in nbgrader's pipelines:

- `RestoreCellMetadata` (sanitize): puts back nbgrader metadata a student edited.
- `RestoreCellOrder` (sanitize): puts each grade cell back after the cell it follows in the
  instructor's notebook, so a moved test cell still runs after the code it tests.
- `ScoreHiddenTests` (autograde, right after execution): the score of a grade cell with hidden tests
  is the sum of the points of the hidden test cases that passed, whatever else the cell printed:
  stderr output and a failing visible check no longer zero it, and no traceback (which would show
  the hidden lines around it) reaches the feedback.
- `install_autograde_hooks`: every submission is graded from its intake copy (regular files only,
  see `autograder/intake.py`), and a lone renamed notebook is graded under its expected name, with
  a warning, instead of silently scoring zero.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from nbconvert.preprocessors import Preprocessor
from nbformat.v4 import new_output
from nbgrader import utils as nbgrader_utils
from traitlets import Bool, Unicode

from autograder.runner import RESULT_MIME, CellResult

HIDDEN_CALL = "autograder.grade("


def nbgrader_meta(cell: nbformat.NotebookNode) -> dict:
    """The cell's nbgrader metadata, or an empty dict."""
    return cell.get("metadata", {}).get("nbgrader", {})


_meta = nbgrader_meta


def is_test_cell(cell: nbformat.NotebookNode) -> bool:
    """Whether `cell` is a locked test cell (graded code that is not a solution)."""
    return (
        cell.cell_type == "code"
        and bool(nbgrader_utils.is_grade(cell))
        and not nbgrader_utils.is_solution(cell)
    )


class _FromSource(Preprocessor):
    """Base for preprocessors that compare a submission with the instructor's notebook."""

    enabled = Bool(True).tag(config=True)
    source_root = Unicode("", help="The course's source/ folder.").tag(config=True)

    def source_cells(self, resources) -> list:
        """The nbgrader cells of the instructor's notebook, in order (empty if not found)."""
        info = resources.get("nbgrader", {})
        path = Path(self.source_root) / info.get("assignment", "") / f"{info.get('notebook', '')}.ipynb"
        if not self.source_root or not path.is_file():
            return []
        return [cell for cell in nbformat.read(path, as_version=4).cells if _meta(cell).get("grade_id")]


class RestoreCellMetadata(_FromSource):
    """Puts back the nbgrader metadata of cells the student edited (e.g. a grade cell marked
    `grade: false`, which stock nbgrader rejects as "Inconsistent checksums"), and makes copies
    that `DeduplicateIds` stripped of their id plain cells (stock nbgrader crashes on them)."""

    def preprocess(self, nb, resources):
        source = {_meta(cell)["grade_id"]: _meta(cell) for cell in self.source_cells(resources)}
        for cell in nb.cells:
            grade_id = _meta(cell).get("grade_id")
            if "nbgrader" in cell.get("metadata", {}) and not grade_id:
                del cell.metadata["nbgrader"]
            elif grade_id and source and grade_id not in source:
                # e.g. a test cell of an older release: an ordinary cell now, so the rest is graded
                self.log.warning(
                    "Cell '%s' is not in the instructor's notebook; grading the submission without it.",
                    grade_id,
                )
                del cell.metadata["nbgrader"]
            elif grade_id in source:
                kept = {key: value for key, value in _meta(cell).items() if key == "checksum"}
                cell.metadata["nbgrader"] = {**source[grade_id], **kept}
        return nb, resources


class RestoreCellOrder(_FromSource):
    """Moves grade cells back to their place in the instructor's notebook."""

    def preprocess(self, nb, resources):
        source_ids = [_meta(cell)["grade_id"] for cell in self.source_cells(resources)]
        if not source_ids:
            return nb, resources
        tests = {
            _meta(cell)["grade_id"]: cell
            for cell in nb.cells
            if is_test_cell(cell) and _meta(cell).get("grade_id") in source_ids
        }
        cells = [cell for cell in nb.cells if _meta(cell).get("grade_id") not in tests]
        for position, grade_id in enumerate(source_ids):
            if grade_id not in tests:
                continue
            anchor = next(
                (
                    i
                    for earlier in reversed(source_ids[:position])
                    for i, cell in enumerate(cells)
                    if _meta(cell).get("grade_id") == earlier
                ),
                None,
            )
            if anchor is None:
                index = next((i for i, cell in enumerate(cells) if _meta(cell)), len(cells))
            else:
                index = anchor + 1
            cells.insert(index, tests[grade_id])
        nb.cells = cells
        return nb, resources


class ScoreHiddenTests(Preprocessor):
    """Makes the hidden tests' result the only thing nbgrader scores in a grade cell.

    After `SealedExecute`, the results come from `resources["sealed"]`, decided in the grader's
    process; anything the kernel printed that looks like a result is dropped. Without it (the
    in-kernel path), the result is the one `autograder.grade` displayed in the cell.
    """

    enabled = Bool(True).tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if not is_test_cell(cell):
            return cell, resources
        errors = [out.ename for out in cell.outputs if out.output_type == "error"]
        sealed = resources.get("sealed")
        grade_id = _meta(cell).get("grade_id")
        if sealed is not None and grade_id in sealed["results"]:
            result = sealed["results"][grade_id]
        elif sealed is None and HIDDEN_CALL in cell.source:
            shown = [
                out
                for out in cell.outputs
                if out.output_type in ("display_data", "execute_result")
                and RESULT_MIME in out.get("data", {})
            ]
            result = json.loads(shown[-1].data[RESULT_MIME]) if shown else None
        else:
            cell.outputs = [
                out
                for out in cell.outputs
                if not (out.output_type == "stream" and out.name == "stderr")
                and RESULT_MIME not in out.get("data", {})
            ]
            return cell, resources
        points = float(_meta(cell).get("points", 0))
        if result is None:
            score = 0.0
            reason = (
                f"the cell stopped with {errors[-1]} before them" if errors else "the cell did not reach them"
            )
            outputs = [
                new_output(
                    "stream",
                    name="stdout",
                    text=(
                        f"The hidden tests did not run: {reason}. Check that the code above this cell "
                        "runs without errors and that its functions keep their names.\n"
                    ),
                )
            ]
        else:
            score = min(max(float(result["score"]), 0.0), points)
            feedback = CellResult.from_json(result)
            outputs = [
                new_output(
                    "display_data",
                    data={
                        RESULT_MIME: json.dumps(result),
                        "text/html": feedback.html(),
                        "text/plain": feedback.text(),
                    },
                )
            ]
            if errors:
                outputs.append(
                    new_output(
                        "stream",
                        name="stdout",
                        text=(
                            f"The visible check in this cell failed ({errors[-1]}); the score above comes "
                            "from the hidden tests.\n"
                        ),
                    )
                )
        outputs.append(
            new_output(
                "execute_result",
                data={"text/plain": repr(float(score))},
                execution_count=cell.get("execution_count"),
            )
        )
        cell.outputs = outputs
        return cell, resources


def _adopt_renamed_notebooks(converter, assignment_id: str, student_id: str) -> None:
    """Grades a lone renamed notebook under its expected name, and says so to the instructor."""
    from nbgrader.api import Gradebook, MissingEntry

    from autograder import intake

    # The intake copy of the submission: regular files only, so nothing here is a link.
    folder = Path(
        converter.coursedir.format_path(converter.coursedir.submitted_directory, student_id, assignment_id)
    )
    own_folder = intake.submitted_folder(converter, assignment_id, student_id)
    try:
        with Gradebook(converter.coursedir.db_url, converter.coursedir.course_id) as gradebook:
            expected = [nb.name for nb in gradebook.find_assignment(assignment_id).notebooks]
    except MissingEntry:
        return
    present = sorted(path.stem for path in folder.glob("*.ipynb") if path.is_file() and not path.is_symlink())
    missing = [name for name in expected if name not in present]
    unknown = [name for name in present if name not in expected]
    if not (missing and unknown):
        return
    if len(missing) == 1 and len(unknown) == 1:
        source, target = folder / f"{unknown[0]}.ipynb", folder / f"{missing[0]}.ipynb"
        intake.copy_regular(source, target)
        converter.notebooks.append(str(target))
        converter.log.warning(
            "Student '%s' handed in '%s' instead of '%s' for '%s' (in %s): grading it under the "
            "expected name.",
            student_id,
            source.name,
            target.name,
            assignment_id,
            own_folder,
        )
    else:
        converter.log.error(
            "Student '%s' handed in %s for '%s', which expects %s: rename the notebooks in %s and "
            "autograde this student again; until then the missing notebooks score zero.",
            student_id,
            ", ".join(f"'{name}.ipynb'" for name in unknown),
            assignment_id,
            ", ".join(f"'{name}.ipynb'" for name in missing),
            own_folder,
        )


def install_autograde_hooks() -> None:
    """Makes `nbgrader autograde` grade intake copies and take renamed notebooks into account
    (called from the config)."""
    from nbgrader.converters.autograde import Autograde

    from autograder import intake

    intake.install()
    original = Autograde.init_assignment
    if getattr(original, "adopts_renamed_notebooks", False):
        return

    def init_assignment(self, assignment_id: str, student_id: str) -> None:
        _adopt_renamed_notebooks(self, assignment_id, student_id)
        original(self, assignment_id, student_id)

    init_assignment.adopts_renamed_notebooks = True
    Autograde.init_assignment = init_assignment
