"""Builds submissions from the reference solution with some functions replaced.

The project's tests and the demo class describe a submission as a Python file of top-level
functions and classes (a "variant"): each replaces the solution cell with the same `grade_id`,
and every other solution cell keeps the reference solution. A variant says which hidden test
cases its mistake must fail in `FAILS = {"test_cell": ["case", ...]}`. It may also answer
Markdown answer cells (graded by hand) in `ANSWERS = {"grade_id": "markdown text"}`.
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
    return {nbgrader_meta(cell)["grade_id"]: _MARKERS.sub("", cell.source)
            for cell in nb.cells if nbgrader_meta(cell).get("solution")}


def variant_sources(path: Path) -> dict[str, str]:
    """Returns each top-level function or class of a variant file, after the file's imports, by name."""
    text = path.read_text()
    tree = ast.parse(text)
    imports = "".join(ast.get_source_segment(text, node) + "\n" for node in tree.body
                      if isinstance(node, (ast.Import, ast.ImportFrom)))
    return {node.name: imports + ast.get_source_segment(text, node) for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.ClassDef))}


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


def submission(assignment: str, release: nbformat.NotebookNode,
               variant: Path | None) -> nbformat.NotebookNode:
    """The release notebook answered with the reference solution, overridden by `variant`."""
    sources = reference_sources(source_notebook(assignment))
    if variant is not None:
        sources.update(variant_sources(variant))
        sources.update(variant_answers(variant))
    return fill(release, sources)


def namespace(assignment: str, variant: Path | None = None) -> dict[str, Any]:
    """Runs the code cells a submission would hold (no grade cells) and returns its globals."""
    nb = source_notebook(assignment)
    sources = reference_sources(nb)
    if variant is not None:
        sources.update(variant_sources(variant))
    scope: dict[str, Any] = {"__name__": "__main__"}
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if cell.cell_type != "code" or meta.get("grade"):
            continue
        code = sources.get(meta.get("grade_id"), cell.source)
        exec(compile(code, f"<{meta.get('grade_id', 'cell')}>", "exec"), scope)
    return scope
