"""The main job: a demo cohort released, autograded and reported on nbgrader's sqlite gradebook.

`python -m tools.demo` builds a course in `build/demo/`, generates the release from `source/`,
hands in the demo cohort of `tests/submissions/cohort.toml` (each person one candidate across the
assignments), runs `nbgrader autograde`, `generate_feedback` and `export`, grades some written
answers by hand through the gradebook (as an instructor would in formgrader), prints a per-student
table, and writes the skill, cohort and integrity reports (`python -m tools.report`).
"""

from __future__ import annotations

import argparse
import ast
import random
import re
import sys
import time
import tomllib
from pathlib import Path

import nbformat

from tools import course, submissions

SUBMISSIONS = course.ROOT / "tests" / "submissions"
COHORT = SUBMISSIONS / "cohort.toml"


def demo_class(assignment: str) -> list[tuple[str, str]]:
    """The `(student_id, submission)` pairs of an assignment's demo class."""
    path = SUBMISSIONS / assignment / "demo_class.txt"
    if not path.is_file():
        return []
    pairs = []
    for line in path.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            student, kind = line.split()
            pairs.append((student, kind))
    return pairs


def hand_in(course_dir: Path, assignment: str, student: str, kind: str) -> None:
    """Writes `student`'s submission of `assignment` into the course's `submitted/` folder."""
    release = nbformat.read(course_dir / "release" / assignment / f"{assignment}.ipynb", as_version=4)
    if kind == "untouched":
        nb = release
    else:
        variant = None if kind == "reference" else SUBMISSIONS / assignment / f"{kind}.py"
        nb = submissions.submission(assignment, release, variant)
    folder = course_dir / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{assignment}.ipynb")
    (folder / "timestamp.txt").write_text("2026-11-20 12:00:00.000000 UTC")


# The demo cohort (tests/submissions/cohort.toml): each person one candidate across the assignments.


def load_cohort(path: Path = COHORT) -> dict:
    """The cohort file: `assignments` and `people` (name -> {assignment: entry, about, written})."""
    data = tomllib.loads(path.read_text())
    for person, entry in data["people"].items():
        for assignment, kinds in entry.items():
            if assignment in ("about", "written"):
                continue
            for kind in [kinds] if isinstance(kinds, str) else kinds if isinstance(kinds, list) else []:
                if (
                    kind not in ("reference", "untouched", "missing")
                    and not (SUBMISSIONS / assignment / f"{kind}.py").is_file()
                ):
                    raise RuntimeError(f"{path}: {person}'s {assignment} names no variant file {kind}.py")
    return data


def cohort_class(cohort: dict, assignment: str) -> list[tuple[str, object]]:
    """The `(person, entry)` pairs handing in `assignment`, copies last (they copy handed-in files)."""
    pairs = [(person, entry.get(assignment, "reference")) for person, entry in cohort["people"].items()]
    pairs = [(person, kind) for person, kind in pairs if kind != "missing"]
    return sorted(pairs, key=lambda pair: isinstance(pair[1], dict))


def disguise(code: str) -> str:
    """The code with its variables renamed (parameters kept), as someone hiding a copy would; comments
    are lost."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return code
    taken = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    parameters = {node.arg for node in ast.walk(tree) if isinstance(node, ast.arg)}
    local = {
        node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
    } - parameters
    names = {name: f"my_{name.lower()}" for name in local if f"my_{name.lower()}" not in taken}

    class Rename(ast.NodeTransformer):
        def visit_Name(self, node):
            node.id = names.get(node.id, node.id)
            return node

    return ast.unparse(Rename().visit(tree))


def hand_in_person(course_dir: Path, assignment: str, person: str, kind) -> None:
    """Writes `person`'s submission of `assignment`, with a notes cell of their own (its own cell id)."""
    folder = course_dir / "submitted" / person / assignment
    release_path = course_dir / "release" / assignment / f"{assignment}.ipynb"
    if isinstance(kind, dict):
        source = course_dir / "submitted" / kind["copy_of"] / assignment / f"{assignment}.ipynb"
        original = nbformat.read(source, as_version=4)
        for cell in original.cells:
            if cell.cell_type == "code" and submissions.nbgrader_meta(cell).get("solution"):
                cell.source = disguise(cell.source)
        nb = original
    else:
        release = nbformat.read(release_path, as_version=4)
        kinds = [kind] if isinstance(kind, str) else list(kind)
        if kinds == ["untouched"]:
            nb = release
        else:
            sources = submissions.reference_sources(submissions.source_notebook(assignment))
            for name in kinds:
                if name != "reference":
                    sources.update(submissions.variant_sources(SUBMISSIONS / assignment / f"{name}.py"))
                    sources.update(submissions.variant_answers(SUBMISSIONS / assignment / f"{name}.py"))
            nb = submissions.fill(release, sources)
        # A cell the person created: Jupyter gives it a random id (seeded here, so runs repeat).
        notes = nbformat.v4.new_markdown_cell("My notes: check shapes before submitting.")
        notes.id = f"{random.Random(f'{person}/{assignment}').getrandbits(64):016x}"
        nb.cells.append(notes)
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{assignment}.ipynb")
    (folder / "timestamp.txt").write_text("2026-11-20 12:00:00.000000 UTC")


def grade_written_answers(course_dir: Path, cohort: dict) -> int:
    """Scores the written answers of the people whose `written` share is given, as an instructor
    would in formgrader (score and comment per answer); the others stay pending. Returns how many."""
    from nbgrader.api import Gradebook, MissingEntry

    graded = 0
    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}") as gradebook:
        for person, entry in cohort["people"].items():
            share = entry.get("written")
            if share is None:
                continue
            for assignment in cohort["assignments"]:
                try:
                    submission = gradebook.find_submission(assignment, person)
                except MissingEntry:
                    continue
                for notebook in submission.notebooks:
                    comments = {comment.name: comment for comment in notebook.comments}
                    for grade in notebook.grades:
                        if not (grade.needs_manual_grade and grade.manual_score is None):
                            continue
                        grade.manual_score = round(2 * share * grade.max_score) / 2
                        grade.needs_manual_grade = False
                        if grade.name in comments:
                            comments[grade.name].manual_comment = (
                                "Clear and specific."
                                if share >= 0.8
                                else "Reasonable; justify the assumptions."
                                if share >= 0.5
                                else "Generic: name the metric, the data and the risks."
                            )
                        graded += 1
        gradebook.db.commit()
    return graded


def autograde(course_dir: Path, assignment: str, students: list[str]) -> None:
    """Runs `nbgrader autograde` on the whole class, printing a line as each student is graded."""
    started = time.monotonic()
    pattern = re.compile(rf"Autograding .*/autograded/([^/]+)/{assignment}/")
    done = 0
    for line in course.nbgrader_lines(course_dir, "autograde", assignment, "--force"):
        match = pattern.search(line)
        if match:
            done += 1
            print(
                f"  [{done}/{len(students)}] {assignment}: grading {match.group(1)}"
                f"  ({time.monotonic() - started:.0f} s)",
                flush=True,
            )
        elif "ERROR" in line:
            print(f"  {line}", flush=True)


def report(course_dir: Path, classes: dict[str, list[tuple[str, str]]]) -> str:
    """A per-student table of scores from the gradebook, with the cells that lost points."""
    from nbgrader.api import Gradebook, MissingEntry

    from autograder.pending import totals

    rows = [("student", "assignment", "submission", "score", "lost points in")]
    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}") as gradebook:
        for assignment, pairs in classes.items():
            for student, kind in pairs:
                try:
                    sub = gradebook.find_submission(assignment, student)
                except MissingEntry:
                    rows.append((student, assignment, kind, "not graded", ""))
                    continue
                grades = [grade for notebook in sub.notebooks for grade in notebook.grades]
                # nbgrader counts a written answer nobody has graded yet as 0: pending, not lost,
                # and the total says so ("13 of 13 autograded points, 14 pending").
                found = totals(grades)
                waiting = set(found.pending_cells)
                lost = [
                    f"{grade.name} ({grade.score:g}/{grade.max_score:g})"
                    for grade in grades
                    if grade.name not in waiting and grade.score < grade.max_score
                ]
                score = found.summary()
                lost_text = "every cell" if sub.score == 0 and len(lost) == len(grades) else ", ".join(lost)
                rows.append((student, assignment, kind, score, lost_text or "-"))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = []
    for index, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[4])
        if index == 0:
            lines.append("-" * len(lines[0]))
    return "\n".join(lines)


def run(course_dir: Path, reports: bool = True) -> None:
    """Runs the whole cycle in `course_dir` and prints where its results are."""
    from tools.report.render import build

    started = time.monotonic()
    print(f"Course folder: {course_dir}")
    course.make_course(course_dir)
    print("Generating the release from source/ ...", flush=True)
    course.generate_release(course_dir)
    for assignment in course.assignments(course_dir):
        fresh = (course_dir / "release" / assignment / f"{assignment}.ipynb").read_text()
        committed = course.ROOT / "release" / assignment / f"{assignment}.ipynb"
        if not committed.is_file() or committed.read_text() != fresh:
            print(f"  note: release/{assignment} differs from source/; run `make release`")
    cohort = load_cohort()
    available = course.assignments(course_dir)
    graded = [a for a in cohort["assignments"] if a in available]
    print(
        f"Demo cohort: {len(cohort['people'])} people, each one candidate across {', '.join(graded)}"
        f" ({COHORT.relative_to(course.ROOT)})"
    )
    classes: dict[str, list[tuple[str, str]]] = {}
    for assignment in graded:
        pairs = cohort_class(cohort, assignment)
        print(f"Handing in {len(pairs)} submissions of {assignment} ...", flush=True)
        for person, kind in pairs:
            hand_in_person(course_dir, assignment, person, kind)
        classes[assignment] = [(person, _label(kind)) for person, kind in pairs]
        autograde(course_dir, assignment, [person for person, _ in pairs])
    written = grade_written_answers(course_dir, cohort)
    print(f"Graded {written} written answers by hand (people with a `written` share); the rest stay pending.")
    # After the hand grading: feedback shows the written scores, and the rest as pending, never as 0.
    for assignment in graded:
        print(f"Generating feedback for {assignment} ...", flush=True)
        course.nbgrader(course_dir, "generate_feedback", assignment, "--force")
    csv = course_dir / "grades.csv"
    course.nbgrader(course_dir, "export", "--to", str(csv))
    print()
    print(report(course_dir, classes))
    print()
    paths = None
    if reports:
        print("Writing the reports (python -m tools.report) ...", flush=True)
        paths = build(course_dir)
        print()
    others = grade_demo_classes(others_dir(course_dir), [a for a in available if a not in graded])
    print(f"Gradebook: {course_dir / 'gradebook.db'}")
    print(f"Grades CSV: {csv}")
    print(f"Feedback:   {course_dir / 'feedback'}/<student>/<assignment>/<assignment>.html")
    if paths:
        print(f"Candidate reports (recruiters): {paths['candidates']}/<student>.html and .pdf")
        print(f"Cohort report (instructors):    {paths['cohort']}")
        print(f"Skills per candidate:           {paths['csv']} and {paths['json']}")
    if others:
        print(f"Demo classes of {', '.join(others)} (not in the cohort): {others_dir(course_dir)}")
    print(f"Done in {time.monotonic() - started:.0f} s.")


def others_dir(course_dir: Path) -> Path:
    """The course folder of the assignments the demo grades by their small demo classes."""
    return course_dir.with_name(course_dir.name + "-classes")


def grade_demo_classes(course_dir: Path, assignments: list[str]) -> list[str]:
    """Grades the demo class of each assignment the cohort leaves out, in a course of its own (so the
    cohort's reports stay about the cohort), with feedback and a table; returns the assignments."""
    classes = {a: demo_class(a) for a in assignments if demo_class(a)}
    if not classes:
        return []
    print(f"Grading the demo classes of {', '.join(classes)} in {course_dir} ...", flush=True)
    course.make_course(course_dir)
    course.generate_release(course_dir)
    for assignment, pairs in classes.items():
        for student, kind in pairs:
            hand_in(course_dir, assignment, student, kind)
        autograde(course_dir, assignment, [student for student, _ in pairs])
        course.nbgrader(course_dir, "generate_feedback", assignment, "--force")
    print()
    print(report(course_dir, classes))
    print()
    return list(classes)


def _label(kind) -> str:
    """A cohort entry in words, for the table."""
    if isinstance(kind, dict):
        return f"copy of {kind['copy_of']}"
    return kind if isinstance(kind, str) else "+".join(kind)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--course-dir",
        type=Path,
        default=course.ROOT / "build" / "demo",
        help="where to build the demo course (replaced on every run)",
    )
    parser.add_argument("--no-reports", action="store_true", help="grade only; skip the reports")
    args = parser.parse_args(argv)
    try:
        run(args.course_dir.resolve(), reports=not args.no_reports)
    except RuntimeError as error:
        sys.exit(f"demo failed: {error}")


if __name__ == "__main__":
    main()
