"""release/ is what nbgrader generates from source/ today, and gives nothing away."""

import re

import nbformat
import pytest

from conftest import ASSIGNMENTS, ROOT
from tools import course, submissions


@pytest.fixture(scope="module")
def fresh_release(tmp_path_factory):
    built = course.make_course(tmp_path_factory.mktemp("course") / "course")
    course.generate_release(built)
    return built / "release"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_equals_a_fresh_generate_assignment(fresh_release, assignment):
    committed = sorted(p.relative_to(ROOT / "release") for p in (ROOT / "release" / assignment).rglob("*"))
    fresh = sorted(p.relative_to(fresh_release) for p in (fresh_release / assignment).rglob("*"))
    assert committed == fresh, "release/ has other files than a fresh release: run `make release`"
    for path in fresh:
        if path.suffix == ".ipynb":
            assert (ROOT / "release" / path).read_text() == (fresh_release / path).read_text(), (
                f"release/{path} is stale: run `make release`")


def test_release_has_only_the_assignments_notebooks():
    files = sorted(p.relative_to(ROOT / "release").as_posix()
                   for p in (ROOT / "release").rglob("*") if p.is_file())
    assert files == [f"{a}/{a}.ipynb" for a in ASSIGNMENTS]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_holds_no_solution_hidden_test_or_autograder_text(assignment):
    text = (ROOT / "release" / assignment / f"{assignment}.ipynb").read_text()
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "autograder", "BEGIN MARK SCHEME"):
        assert marker not in text
    release = nbformat.reads(text, as_version=4)
    shown = "\n".join(cell.source for cell in release.cells)
    for grade_id, code in submissions.reference_sources(submissions.source_notebook(assignment)).items():
        body = code.split('"""')[-1] if code.count('"""') >= 2 else code
        for line in body.splitlines():
            line = line.strip()
            if len(line) > 12 and not re.match(r"^(def |class |import |from |#)", line):
                assert line not in shown, f"solution line of {grade_id} in release: {line!r}"


def test_source_folders_hold_only_notebooks():
    for assignment in ASSIGNMENTS:
        files = [p for p in (ROOT / "source" / assignment).rglob("*") if p.is_file()]
        assert [p.name for p in files] == [f"{assignment}.ipynb"], files


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_notebooks_are_saved_without_outputs(assignment):
    for cell in submissions.source_notebook(assignment).cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None
