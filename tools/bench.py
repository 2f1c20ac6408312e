"""Benchmark: one class graded by stock nbgrader, by sequential sealed `nbgrader autograde` and by the
parallel grader (`python -m autograder.grade` on a local Dask cluster), same machine, same run.

`python -m tools.bench` builds a course holding `--copies` copies of the demo class (8 notebooks
each; 5 copies make 40), grades

1. a copy with stock nbgrader (its default preprocessors; hidden tests run inside the student's kernel),
2. a copy with `nbgrader autograde` and this course's `nbgrader_config.py` (sealed, one at a time),
3. a copy with `python -m autograder.grade` (sealed, one task per notebook on Dask),

prints the seconds per notebook of each (whole commands, start-up included) and the ratios, and
checks that the sequential and the parallel gradebooks hold identical grades for every cell (it
exits non-zero when they do not). It also prints what one sandboxed kernel costs in CPU seconds
(starting it, then importing numpy and torch), the part of a notebook's time that warm kernels move
off the notebook's own path but that every notebook still pays.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograder import limits, sealed
from autograder.grade import grade_table
from autograder.sandbox import Box
from autograder.sealed import read_secret
from tools import course, demo

STOCK_CONFIG = '''"""Stock nbgrader: default preprocessors; hidden tests run inside the student's kernel."""
import os

c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "dl-assessment"
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\\nraise NotImplementedError()"}
os.environ["PYTHONPATH"] = os.path.dirname(os.path.abspath(__file__))
'''


def build(folder: Path, assignment: str, copies: int, stock: bool = False) -> int:
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
    if not stock:
        read_secret(folder / ".course_secret")  # the sealed copies share one secret, so the same seeds
    return count


def timed(command: list[str], folder: Path) -> tuple[float, str]:
    """Runs `command` in `folder`; returns its wall time and its output."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=folder, env=course.nbgrader_env(), capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} failed in {folder}:\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
        )
    return seconds, done.stdout


def kernel_cost(assignment: str, repeats: int = 3) -> tuple[float, float]:
    """Median CPU seconds of the whole sandbox (cpuacct) for starting a sandboxed kernel, and for
    then running the warm-up imports (`sealed._Spare.WARM_UP`), over `repeats` fresh boxes."""
    starts, imports = [], []
    for _ in range(repeats):
        box = Box(
            sandbox=True,
            memory_bytes=limits.MEMORY_BYTES,
            processes=limits.PROCESSES,
            file_bytes=limits.FILE_BYTES,
            disk_bytes=limits.DISK_BYTES,
            disk_files=limits.DISK_FILES,
        )
        try:
            box.install_student_side({assignment})
            km = sealed.start_kernel(box, "python3", [], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            started = box.cpu_seconds()
            sealed.run_silently(km, sealed._Spare.WARM_UP)
            starts.append(started)
            imports.append(box.cpu_seconds() - started)
        finally:
            box.close()
    return statistics.median(starts), statistics.median(imports)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", default="parameter_counting")
    parser.add_argument(
        "--copies", type=int, default=5, help="copies of the demo class to grade (8 notebooks each)"
    )
    parser.add_argument("--workers", type=int, default=os.cpu_count(), help="workers of the parallel grader")
    args = parser.parse_args(argv)
    a = args.assignment
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        root = Path(scratch)
        notebooks = build(root / "stock", a, args.copies, stock=True)
        build(root / "sealed", a, args.copies)
        shutil.copytree(root / "sealed", root / "parallel", symlinks=True)
        print(
            f"{a}: {notebooks} notebooks, {os.cpu_count()} cores, {args.workers} parallel workers", flush=True
        )
        runs = {}
        for label, folder, command in (
            ("stock nbgrader", "stock", [sys.executable, "-m", "nbgrader", "autograde", a]),
            ("sealed, sequential", "sealed", [sys.executable, "-m", "nbgrader", "autograde", a]),
            (
                "sealed, parallel",
                "parallel",
                [sys.executable, "-m", "autograder.grade", a, "--workers", str(args.workers)],
            ),
        ):
            runs[label], output = timed(command, root / folder)
            print(
                f"  {label:20s} {runs[label]:7.1f} s  {runs[label] / notebooks:5.2f} s per notebook",
                flush=True,
            )
        summary = output.strip().splitlines()[-2:]  # the parallel grader's own summary
        print("  parallel grader: " + "\n   ".join(line.strip() for line in summary))
        stock, sequential, parallel = runs.values()
        print(
            f"  parallel is {stock / parallel:.2f}x faster than stock nbgrader per notebook, "
            f"{sequential / parallel:.2f}x faster than sequential sealed grading "
            f"(sequential sealed / stock: {sequential / stock:.2f})"
        )
        expected = grade_table(f"sqlite:///{root / 'sealed' / 'gradebook.db'}", a)
        got = grade_table(f"sqlite:///{root / 'parallel' / 'gradebook.db'}", a)
        differing = sorted(key for key in set(expected) | set(got) if expected.get(key) != got.get(key))
        if differing or len(expected) == 0:
            print(f"  GRADES DIFFER between sequential and parallel grading in {len(differing)} cells:")
            for key in differing[:20]:
                print(f"    {key}: sequential {expected.get(key)}, parallel {got.get(key)}")
            return 1
        students = len({key[0] for key in expected})
        print(f"  grades identical: all {len(expected)} cells of {students} students, sequential = parallel")
    start, imports = kernel_cost(a)
    print(
        f"  one sandboxed kernel: {start:.2f} CPU s to start, {imports:.2f} CPU s to import numpy and torch"
        f" (every notebook pays them; warm kernels start them ahead, beside the grading)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
