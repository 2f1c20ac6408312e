"""Benchmark: autograding one class with stock nbgrader and with the sealed grader, same machine, same run.

`python -m tools.bench` builds two course folders holding the same demo class, grades one with
stock nbgrader (its default preprocessors; hidden tests run inside the student's kernel) and one
with this course's `nbgrader_config.py` (sandboxed kernel, hidden tests in the grader's process),
and prints the seconds per notebook of each.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from tools import course, demo

STOCK_CONFIG = '''"""Stock nbgrader: default preprocessors; hidden tests run inside the student's kernel."""
import os

c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "dl-assessment"
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\\nraise NotImplementedError()"}
os.environ["PYTHONPATH"] = os.path.dirname(os.path.abspath(__file__))
'''


def build(folder: Path, assignment: str, copies: int, stock: bool) -> int:
    """A course at `folder` with `copies` of the demo class handed in; returns the notebook count."""
    course.make_course(folder)
    if stock:
        (folder / "nbgrader_config.py").write_text(STOCK_CONFIG)
    course.nbgrader(folder, "generate_assignment", assignment, "--force")
    count = 0
    for copy in range(copies):
        for student, kind in demo.demo_class(assignment):
            demo.hand_in(folder, assignment, f"{student}{copy}", kind)
            count += 1
    return count


def timed_autograde(folder: Path, assignment: str) -> float:
    started = time.perf_counter()
    course.nbgrader(folder, "autograde", assignment)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", default="parameter_counting")
    parser.add_argument("--copies", type=int, default=2, help="copies of the demo class to grade")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        rows = []
        for label, stock in (("stock nbgrader", True), ("sealed", False)):
            folder = Path(scratch) / label.split()[0]
            notebooks = build(folder, args.assignment, args.copies, stock)
            seconds = timed_autograde(folder, args.assignment)
            rows.append((label, notebooks, seconds))
            print(f"{label:15s} {notebooks} notebooks in {seconds:6.1f} s: "
                  f"{seconds / notebooks:.2f} s per notebook", flush=True)
        (_, n, stock_s), (_, _, sealed_s) = rows
        print(f"sealed / stock: {sealed_s / stock_s:.2f} ({args.assignment}, {n} notebooks each)")


if __name__ == "__main__":
    main()
