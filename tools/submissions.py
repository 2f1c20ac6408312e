"""Builds submissions from the reference solution with some functions replaced.

The project's tests and the demo class describe a submission as a Python file of top-level
functions and classes (a "variant"): each replaces the solution cell with the same `grade_id`,
and every other solution cell keeps the reference solution. A variant says which hidden test
cases its mistake must fail in `FAILS = {"test_cell": ["case", ...]}`. It may also answer
Markdown answer cells (graded by hand) in `ANSWERS = {"grade_id": "markdown text"}`.

Everything else at the top level of a variant (functions and classes that are not solution cells,
assignments such as `sm = torch.softmax`, other statements) becomes one extra code cell of the
submission, with the file's imports, right after the notebook's first code cell: a helper "in
another cell" of the student's notebook.
"""

from __future__ import annotations

import ast
import copy
import re
from pathlib import Path
from typing import Any

import nbformat

from autograder.nbgrader_plugins import is_test_cell, nbgrader_meta  # noqa: F401 (re-exported)

ROOT = Path(__file__).resolve().parent.parent
_MARKERS = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*(\n|\Z)", re.MULTILINE)


def source_notebook(assignment: str, root: Path = ROOT) -> nbformat.NotebookNode:
    """Returns the instructor's notebook of `assignment`."""
    return nbformat.read(root / "source" / assignment / f"{assignment}.ipynb", as_version=4)


def reference_sources(nb: nbformat.NotebookNode) -> dict[str, str]:
    """Returns each solution cell's reference code by `grade_id`, with the markers removed."""
    return {
        nbgrader_meta(cell)["grade_id"]: _MARKERS.sub("", cell.source)
        for cell in nb.cells
        if nbgrader_meta(cell).get("solution")
    }


def variant_sources(path: Path) -> dict[str, str]:
    """Returns each top-level function or class of a variant file, after the file's imports, by name."""
    text = path.read_text()
    tree = ast.parse(text)
    imports = "".join(
        ast.get_source_segment(text, node) + "\n"
        for node in tree.body
        if isinstance(node, (ast.Import, ast.ImportFrom))
    )
    return {
        node.name: imports + ast.get_source_segment(text, node)
        for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.ClassDef))
    }


def variant_extra_cell(path: Path, solutions: set[str]) -> str | None:
    """The extra code cell of a variant: its imports and every top-level statement that is not a
    solution cell, the docstring, `FAILS` or `ANSWERS`; None when there is nothing else."""
    text = path.read_text()
    tree = ast.parse(text)
    imports, extra = [], []
    for index, node in enumerate(tree.body):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            imports.append(ast.get_source_segment(text, node))
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name in solutions:
            continue
        elif index == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue
        elif isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") in ("FAILS", "ANSWERS"):
            continue
        else:
            extra.append(ast.get_source_segment(text, node))
    return "\n".join(imports) + "\n\n" + "\n\n".join(extra) + "\n" if extra else None


def variant_answers(path: Path) -> dict[str, str]:
    """Returns the text a variant gives its Markdown answer cells (`ANSWERS`), by `grade_id`."""
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "ANSWERS":
            return {str(cell): str(text).strip() for cell, text in ast.literal_eval(node.value).items()}
    return {}


def variant_failures(path: Path) -> dict[str, set[str]]:
    """Returns the hidden test cases a variant's mistake must fail, by grade cell."""
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "FAILS":
            return {cell: set(cases) for cell, cases in ast.literal_eval(node.value).items()}
    return {}


def fill(nb: nbformat.NotebookNode, sources: dict[str, str]) -> nbformat.NotebookNode:
    """Returns a copy of `nb` whose solution cells hold `sources` (by `grade_id`) where given."""
    filled = copy.deepcopy(nb)
    for cell in filled.cells:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if nbgrader_meta(cell).get("solution") and grade_id in sources:
            cell.source = sources[grade_id]
    return filled


def submission(
    assignment: str, release: nbformat.NotebookNode, variant: Path | None
) -> nbformat.NotebookNode:
    """The release notebook answered with the reference solution, overridden by `variant`."""
    reference = reference_sources(source_notebook(assignment))
    sources = dict(reference)
    extra = None
    if variant is not None:
        sources.update(variant_sources(variant))
        sources.update(variant_answers(variant))
        extra = variant_extra_cell(variant, set(reference))
    nb = fill(release, sources)
    if extra is not None:
        first = next(i for i, cell in enumerate(nb.cells) if cell.cell_type == "code")
        cell = nbformat.v4.new_code_cell(extra)
        if nb.nbformat_minor < 5:
            cell.pop("id", None)
        nb.cells.insert(first + 1, cell)
    return nb


def code_cells(assignment: str, variant: Path | None = None) -> list[tuple[str, str]]:
    """The code cells a submission would hold, except grade cells, in order: (label, source)."""
    nb = source_notebook(assignment)
    reference = reference_sources(nb)
    sources = dict(reference)
    extra = None
    if variant is not None:
        sources.update(variant_sources(variant))
        extra = variant_extra_cell(variant, set(reference))
    cells = []
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if cell.cell_type != "code" or meta.get("grade"):
            continue
        cells.append((meta.get("grade_id", "cell"), sources.get(meta.get("grade_id"), cell.source)))
        if extra is not None:
            cells.append(("extra", extra))
            extra = None
    return cells


def sources(assignment: str, variant: Path | None = None) -> list[str]:
    """The source of each code cell of a submission (no grade cells): what the grader reads."""
    return [code for _, code in code_cells(assignment, variant)]


def namespace(assignment: str, variant: Path | None = None) -> dict[str, Any]:
    """Runs the code cells a submission would hold (no grade cells) and returns its globals."""
    scope: dict[str, Any] = {"__name__": "__main__"}
    for label, code in code_cells(assignment, variant):
        exec(compile(code, f"<{label}>", "exec"), scope)
    return scope
