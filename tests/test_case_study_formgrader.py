"""The case study's written answers are graded by hand in nbgrader's formgrader, in a real browser.

The test builds a course, hands in a case-study submission, autogrades it, starts a Jupyter server
with nbgrader's formgrader in the course folder, and drives headless Chromium (Debian's, through
Playwright) as an instructor would: open the submission, give each ASPER answer a score and a
comment. Then `nbgrader export` must hold the scores, and the student's feedback from
`nbgrader generate_feedback` the scores and the comments.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from browser import browser_or_skip, jupyter_server, offline_browser
from conftest import grade_cells
from tools import course, demo, submissions

pytestmark = pytest.mark.pipeline

ASSIGNMENT = "case_study"
STUDENT = "kim"
# What the instructor enters for each ASPER answer: a score and a comment.
MANUAL = {
    "asper_ask": (2.5, "Sharp questions on metrics and data; also ask how bookings are tied to searches."),
    "asper_suppose": (2, "Each assumption has a reason and a fallback."),
    "asper_plan": (3.5, "Solid plan; say how the A/B test is sized."),
    "asper_execute": (3, "Metric, loss and numbers are right, with what they imply."),
    "asper_recap": (1.5, "Risks are specific; the summary could be shorter."),
}


def written_answer_cells() -> dict[str, float]:
    """The Markdown answer cells graded by hand, with their points, from the source notebook."""
    return {
        submissions.nbgrader_meta(cell)["grade_id"]: float(submissions.nbgrader_meta(cell)["points"])
        for cell in submissions.source_notebook(ASSIGNMENT).cells
        if cell.cell_type == "markdown" and submissions.nbgrader_meta(cell).get("grade")
    }


@pytest.fixture(scope="module")
def graded_course(tmp_path_factory) -> Path:
    """A course where one case-study submission with written answers was autograded."""
    browser_or_skip()
    root = course.make_course(tmp_path_factory.mktemp("formgrader") / "course")
    for other in course.assignments(root):  # only the case study: a faster release, a focused gradebook
        if other != ASSIGNMENT:
            shutil.rmtree(root / "source" / other)
    course.generate_release(root)
    demo.hand_in(root, ASSIGNMENT, STUDENT, "reference")
    course.nbgrader(root, "autograde", ASSIGNMENT)
    return root


@pytest.fixture(scope="module")
def formgrader(graded_course, tmp_path_factory) -> Iterator[tuple[str, str]]:
    """A Jupyter server with nbgrader's formgrader in the course folder: `(base url, token)`."""
    with jupyter_server(graded_course, tmp_path_factory.mktemp("jupyter")) as server:
        yield server


@pytest.fixture(scope="module")
def graded_by_hand(graded_course, formgrader, tmp_path_factory) -> Path:
    """The course after an instructor scored and commented every written answer in formgrader."""
    base, token = formgrader
    shots = tmp_path_factory.mktemp("screenshots")
    assert set(MANUAL) == set(written_answer_cells()), "MANUAL must list every written answer cell"
    with offline_browser(tmp_path_factory.mktemp("chromium-profile"), base) as (context, _):
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(f"{base}/formgrader?token={token}", wait_until="domcontentloaded")
        page.get_by_role("link", name="Manual Grading").click()
        page.wait_for_url("**/formgrader/gradebook")
        page.get_by_role("link", name=ASSIGNMENT, exact=True).click()
        page.wait_for_url(f"**/formgrader/gradebook/{ASSIGNMENT}")
        page.get_by_role("link", name=ASSIGNMENT, exact=True).click()
        page.wait_for_url(f"**/formgrader/gradebook/{ASSIGNMENT}/{ASSIGNMENT}")
        page.get_by_role("link", name="Submission #1").click()
        page.wait_for_url(lambda url: "/formgrader/submissions/" in url)
        page.wait_for_load_state("networkidle")
        for grade_id, (points, comment) in MANUAL.items():
            score_box = page.locator(f"input.score[id='{grade_id}']")
            with page.expect_response(
                lambda r: "/formgrader/api/grade/" in r.url and r.request.method == "PUT"
            ) as saved:
                score_box.fill(f"{points:g}")
                score_box.press("Tab")
            assert saved.value.ok, (grade_id, saved.value.status)
            comment_box = page.locator(f"textarea.comment[id='{grade_id}-comment']")
            with page.expect_response(
                lambda r: "/formgrader/api/comment/" in r.url and r.request.method == "PUT"
            ) as saved:
                comment_box.fill(comment)
                comment_box.press("Tab")
            assert saved.value.ok, (grade_id, saved.value.status)
        page.screenshot(path=str(shots / "formgrader-graded.png"), full_page=True)
        # What the instructor entered is what the server kept: reload and read the page again.
        page.reload(wait_until="domcontentloaded")
        page.wait_for_load_state("networkidle")
        for grade_id, (points, comment) in MANUAL.items():
            assert float(page.locator(f"input.score[id='{grade_id}']").input_value()) == points
            assert page.locator(f"textarea.comment[id='{grade_id}-comment']").input_value() == comment
    return graded_course


def test_formgrader_scores_land_in_the_gradebook_and_the_export(graded_by_hand):
    from nbgrader.api import Gradebook

    root = graded_by_hand
    autograded = sum(cell.points for cell in grade_cells(ASSIGNMENT))
    written = sum(points for points, _ in MANUAL.values())
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        notebook = gradebook.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, STUDENT)
        grades = {grade.name: grade for grade in notebook.grades}
        comments = {comment.name: comment.manual_comment for comment in notebook.comments}
        for grade_id, (points, comment) in MANUAL.items():
            assert grades[grade_id].manual_score == points and not grades[grade_id].needs_manual_grade
            assert comments[grade_id] == comment
        assert gradebook.find_submission(ASSIGNMENT, STUDENT).score == pytest.approx(autograded + written)
    course.nbgrader(root, "export", "--to", str(root / "grades.csv"))
    with open(root / "grades.csv") as handle:
        row = next(
            r for r in csv.DictReader(handle) if r["assignment"] == ASSIGNMENT and r["student_id"] == STUDENT
        )
    assert float(row["score"]) == pytest.approx(autograded + written)
    assert float(row["max_score"]) == pytest.approx(autograded + sum(written_answer_cells().values()))


def test_feedback_shows_each_written_score_and_comment(graded_by_hand):
    import html

    root = graded_by_hand
    course.nbgrader(root, "generate_feedback", ASSIGNMENT)
    page = (root / "feedback" / STUDENT / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    text = html.unescape(page)
    maximum = written_answer_cells()
    for grade_id, (points, comment) in MANUAL.items():
        assert comment in text, grade_id
        assert (
            f'href="#{grade_id}">Written answer <code>{grade_id}</code></a> '
            f"(Score: {points:.1f} / {maximum[grade_id]:.1f})"
        ) in page, grade_id
