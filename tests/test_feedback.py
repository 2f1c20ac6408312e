"""What a student sees after grading: explanations under each grade cell's results, written answers
still to be graded shown as pending (in the feedback, the export and the demo's table), a table of
contents that names each grade cell, and maths that renders offline."""

import csv
import re
import shutil
from dataclasses import dataclass

import nbformat
import pytest

from autograder import feedback
from autograder.pending import Totals, totals
from autograder.runner import Case, CellResult
from browser import offline_browser
from conftest import ASSIGNMENTS, grade_cells
from tools import course, demo

WITH_EXPLANATIONS = ("parameter_counting", "softmax", "backprop", "optimizers", "case_study")


@pytest.mark.parametrize("assignment", WITH_EXPLANATIONS)
def test_every_grade_cell_has_an_explanation_and_every_explanation_a_grade_cell(assignment):
    hidden = {cell.grade_id for cell in grade_cells(assignment) if cell.hidden}
    sections = feedback.explanations(assignment)
    assert set(sections) == hidden
    assert all(len(text) > 40 for text in sections.values())


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_explanations_never_reach_the_release(assignment):
    release = (course.ROOT / "release" / assignment / f"{assignment}.ipynb").read_text()
    for cell, text in feedback.explanations(assignment).items():
        for line in text.splitlines():
            if len(line.strip()) > 30:
                assert line.strip() not in release, (cell, line)


def test_the_results_box_ends_with_the_explanation_in_html_and_text():
    result = CellResult(
        "test_x",
        [Case("a", 1.0, False, "hint", "Wrong loss.", "model-size")],
        explanation="The loss is a **mean**: $L = \\frac{1}{N} \\sum_i \\ell_i$.",
    )
    html = result.html()
    assert html.index("</table>") < html.index("About this question") < html.index("<strong>mean</strong>")
    assert "$L = \\frac{1}{N}" in html
    assert result.text().endswith(result.explanation)
    assert CellResult.from_json(result.to_json()) == result
    assert "explanation" not in CellResult("test_x").to_json()


@dataclass
class FakeGrade:
    name: str
    score: float
    max_score: float
    cell_type: str
    needs_manual_grade: bool = False
    manual_score: float | None = None


def test_totals_keep_pending_written_answers_apart():
    grades = [FakeGrade("test_a", 8, 8, "code"), FakeGrade("test_b", 5, 5, "code")]
    grades += [
        FakeGrade(f"asper_{i}", 0.0, points, "markdown", needs_manual_grade=True)
        for i, points in enumerate((3, 2, 4, 3, 2))
    ]
    found = totals(grades)
    assert found.summary() == "13 of 13 autograded points, 14 pending"
    assert found.pending_cells == [f"asper_{i}" for i in range(5)] and not found.final
    grades[2] = FakeGrade("asper_0", 2.5, 3, "markdown", manual_score=2.5)
    assert totals(grades).summary() == "13 of 13 autograded points, 2.5 of 3 graded by hand, 11 pending"
    for i in range(3, 7):
        grades[i] = FakeGrade(f"asper_{i - 2}", 1.0, grades[i].max_score, "markdown", manual_score=1.0)
    assert totals(grades).summary() == "19.5 / 27" and totals(grades).final


def test_an_answer_left_blank_is_zero_not_pending():
    blank = FakeGrade("asper_ask", 0.0, 3, "markdown", needs_manual_grade=False)
    assert totals([blank]) == Totals(score=0.0, max_score=3)
    assert totals([blank]).summary() == "0 / 3"


@pytest.fixture(scope="module")
def case_study_graded(tmp_path_factory):
    """A case-study class, autograded, with feedback and export: `ada` answered in writing (pending),
    `ben` handed in the untouched release (his blank answers score 0 by themselves)."""
    root = course.make_course(tmp_path_factory.mktemp("feedback") / "course")
    course.nbgrader(root, "generate_assignment", "case_study", "--force")
    for student, kind in (("ada", "reference"), ("ben", "untouched")):
        demo.hand_in(root, "case_study", student, kind)
    course.nbgrader(root, "autograde", "case_study")
    course.nbgrader(root, "generate_feedback", "case_study")
    course.nbgrader(root, "export", "--to", str(root / "grades.csv"))
    return root


def _page(root, student):
    return (root / "feedback" / student / "case_study" / "case_study.html").read_text()


def _export(root):
    with open(root / "grades.csv") as handle:
        return {row["student_id"]: row for row in csv.DictReader(handle) if row["assignment"] == "case_study"}


WRITTEN = ("asper_ask", "asper_suppose", "asper_plan", "asper_execute", "asper_recap")


@pytest.mark.pipeline
def test_feedback_shows_unmarked_written_answers_as_pending(case_study_graded):
    html = _page(case_study_graded, "ada")
    assert "(Score: 13 of 13 autograded points, 14 pending)" in html
    for grade_id in WRITTEN:
        entry = rf"Written answer <code>{grade_id}</code></a> \(to be graded by hand, [\d.]+ points\)"
        assert re.search(entry, html), grade_id
    assert "Score: 0.0 / 3.0" not in html
    # Each autograded cell is named in the table of contents and explained under its results.
    for cell in grade_cells("case_study"):
        if cell.hidden:
            assert f"Grade cell <code>{cell.grade_id}</code>" in html
    assert html.count("About this question") == sum(cell.hidden for cell in grade_cells("case_study"))
    blank = _page(case_study_graded, "ben")
    assert "pending" not in blank.split('<div id="toc">')[0] and "(Score: 0 / 27)" in blank


@pytest.mark.pipeline
def test_export_marks_pending_totals(case_study_graded):
    rows = _export(case_study_graded)
    assert rows["ada"]["status"] == "pending: 14 points to be graded by hand"
    assert float(rows["ada"]["autograded_score"]) == 13 and float(rows["ada"]["pending_points"]) == 14
    assert rows["ben"]["status"] == "final" and float(rows["ben"]["score"]) == 0


@pytest.mark.pipeline
def test_the_demo_table_says_pending_never_a_final_looking_total(case_study_graded):
    table = demo.report(case_study_graded, {"case_study": [("ada", "reference"), ("ben", "untouched")]})
    assert "13 of 13 autograded points, 14 pending" in table and "13 / 27" not in table


@pytest.mark.pipeline
def test_once_graded_by_hand_the_totals_are_final(case_study_graded, tmp_path):
    from nbgrader.api import Gradebook

    root = course.make_course(tmp_path / "course")
    for folder in ("release", "submitted", "autograded"):
        shutil.copytree(case_study_graded / folder, root / folder)
    (root / "gradebook.db").write_bytes((case_study_graded / "gradebook.db").read_bytes())
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        for notebook in gradebook.find_submission("case_study", "ada").notebooks:
            for grade in notebook.grades:
                if grade.name in WRITTEN:
                    grade.manual_score, grade.needs_manual_grade = grade.max_score / 2, False
        gradebook.db.commit()
    course.nbgrader(root, "generate_feedback", "case_study", "--force")
    course.nbgrader(root, "export", "--to", str(root / "grades.csv"))
    html = _page(root, "ada")
    assert "(Score: 20 / 27)" in html and "(to be graded by hand" not in html and "pending-note" not in html
    assert html.count("Written answer <code>") == len(WRITTEN) and "(Score: 1.5 / 3.0)" in html
    assert _export(root)["ada"]["status"] == "final"


@pytest.mark.pipeline
def test_feedback_maths_renders_offline_in_chromium(case_study_graded, tmp_path):
    page_path = case_study_graded / "feedback" / "ada" / "case_study" / "case_study.html"
    assert not re.findall(r"<script[^>]*\bsrc=", page_path.read_text()), "the page loads no script file"
    with offline_browser(tmp_path / "profile") as (context, requests):
        page = context.new_page()
        problems = []
        page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.goto(page_path.as_uri(), wait_until="load")
        page.wait_for_function(
            "() => document.querySelectorAll('mjx-container svg').length > 10", timeout=60_000
        )
        explanation = page.locator(".question-explanation mjx-container svg").first
        explanation.scroll_into_view_if_needed()
        assert explanation.bounding_box()["width"] > 5
        page.screenshot(path=str(tmp_path / "feedback-maths.png"))
    assert not problems, problems
    assert all(url.startswith("file://") for _, url in requests), requests
    assert (tmp_path / "feedback-maths.png").stat().st_size > 10_000


def test_the_release_notebook_tells_students_hidden_tests_decide():
    for assignment in WITH_EXPLANATIONS:
        path = course.ROOT / "release" / assignment / f"{assignment}.ipynb"
        intro = nbformat.read(path, as_version=4).cells[0]
        words = " ".join(intro.source.split())
        assert "Hidden tests decide" in words and "not the whole grade" in words, assignment
