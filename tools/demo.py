"""The main job: a demo class released, autograded and reported on nbgrader's sqlite gradebook.

`python -m tools.demo` builds a course in `build/demo/`, generates the release from
`source/`, hands in the demo class of `tests/submissions/<assignment>/demo_class.txt`, runs
`nbgrader autograde`, `generate_feedback` and `export`, and prints a per-student table.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import nbformat

from tools import course, submissions

SUBMISSIONS = course.ROOT / "tests" / "submissions"


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


def autograde(course_dir: Path, assignment: str, students: list[str]) -> None:
    """Runs `nbgrader autograde` on the whole class, printing a line as each student is graded."""
    started = time.monotonic()
    pattern = re.compile(rf"Autograding .*/autograded/([^/]+)/{assignment}/")
    done = 0
    for line in course.nbgrader_lines(course_dir, "autograde", assignment, "--force"):
        match = pattern.search(line)
        if match:
            done += 1
            print(f"  [{done}/{len(students)}] {assignment}: grading {match.group(1)}"
                  f"  ({time.monotonic() - started:.0f} s)", flush=True)
        elif "ERROR" in line:
            print(f"  {line}", flush=True)


def report(course_dir: Path, classes: dict[str, list[tuple[str, str]]]) -> str:
    """A per-student table of scores from the gradebook, with the cells that lost points."""
    from nbgrader.api import Gradebook, MissingEntry

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
                # nbgrader counts a written answer nobody has graded yet as 0: pending, not lost.
                waiting = {grade.name for grade in grades
                           if grade.needs_manual_grade and grade.manual_score is None}
                lost = [f"{grade.name} ({grade.score:g}/{grade.max_score:g})" for grade in grades
                        if grade.name not in waiting and grade.score < grade.max_score]
                pending = len(waiting)
                score = f"{sub.score:g} / {sub.max_score:g}"
                if pending:
                    score += f" ({pending} to grade by hand)"
                lost_text = "every cell" if sub.score == 0 and len(lost) == len(grades) else ", ".join(lost)
                rows.append((student, assignment, kind, score, lost_text or "-"))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = []
    for index, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[4])
        if index == 0:
            lines.append("-" * len(lines[0]))
    return "\n".join(lines)


def run(course_dir: Path) -> None:
    """Runs the whole cycle in `course_dir` and prints where its results are."""
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
    classes = {a: demo_class(a) for a in course.assignments(course_dir) if demo_class(a)}
    for assignment, pairs in classes.items():
        print(f"Handing in {len(pairs)} submissions of {assignment} ...", flush=True)
        for student, kind in pairs:
            hand_in(course_dir, assignment, student, kind)
        autograde(course_dir, assignment, [student for student, _ in pairs])
        print(f"Generating feedback for {assignment} ...", flush=True)
        course.nbgrader(course_dir, "generate_feedback", assignment, "--force")
    csv = course_dir / "grades.csv"
    course.nbgrader(course_dir, "export", "--to", str(csv))
    print()
    print(report(course_dir, classes))
    print()
    print(f"Gradebook: {course_dir / 'gradebook.db'}")
    print(f"Grades CSV: {csv}")
    print(f"Feedback:   {course_dir / 'feedback'}/<student>/<assignment>/<assignment>.html")
    print(f"Done in {time.monotonic() - started:.0f} s.")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--course-dir", type=Path, default=course.ROOT / "build" / "demo",
                        help="where to build the demo course (replaced on every run)")
    args = parser.parse_args(argv)
    try:
        run(args.course_dir.resolve())
    except RuntimeError as error:
        sys.exit(f"demo failed: {error}")


if __name__ == "__main__":
    main()
