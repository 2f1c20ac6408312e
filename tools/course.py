"""Working copies of the course and the nbgrader commands run in them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COURSE_FILES = ("source", "autograder", "nbgrader_config.py")


def assignments(root: Path = ROOT) -> list[str]:
    """The assignments in `source/`, in name order."""
    return sorted(p.name for p in (root / "source").iterdir() if (p / f"{p.name}.ipynb").is_file())


def make_course(dest: Path, root: Path = ROOT) -> Path:
    """Creates a fresh course folder at `dest` holding the course's source, autograder and config."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")
    for name in COURSE_FILES:
        path = root / name
        if path.is_dir():
            shutil.copytree(path, dest / name, ignore=ignore)
        else:
            shutil.copy2(path, dest / name)
    return dest


def nbgrader_env() -> dict[str, str]:
    """The environment for nbgrader commands: this Python's scripts (alembic, kernels) first."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


def nbgrader(course: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Runs `nbgrader ARGS` in `course` and returns the finished process (output captured)."""
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=course,
        env=nbgrader_env(),
        capture_output=True,
        text=True,
    )
    if check and done.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed in {course}:\n{done.stderr[-4000:]}")
    return done


def nbgrader_lines(course: Path, *args: str) -> Iterator[str]:
    """Runs `nbgrader ARGS` in `course`, yielding its log lines as they come."""
    process = subprocess.Popen(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=course,
        env=nbgrader_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:
        yield line.rstrip("\n")
    if process.wait() != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed in {course}")


def generate_release(course: Path) -> None:
    """Generates `release/` in `course` from its `source/`, each assignment from scratch."""
    for assignment in assignments(course):
        shutil.rmtree(course / "release" / assignment, ignore_errors=True)
        nbgrader(course, "generate_assignment", assignment, "--force")


def update_release(root: Path = ROOT) -> list[str]:
    """Regenerates the committed `release/` from `source/`; returns the assignments written."""
    with tempfile.TemporaryDirectory() as scratch:
        course = make_course(Path(scratch) / "course", root)
        generate_release(course)
        written = []
        for assignment in assignments(course):
            target = root / "release" / assignment
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(course / "release" / assignment, target)
            written.append(assignment)
    for stale in (root / "release").iterdir():
        if stale.name not in written:
            shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
    return written


def main() -> None:
    """`python -m tools.course release`: regenerate release/ from source/."""
    if sys.argv[1:] != ["release"]:
        sys.exit("usage: python -m tools.course release")
    for assignment in update_release():
        print(f"release/{assignment} regenerated from source/{assignment}")


if __name__ == "__main__":
    main()
