"""Intake: a student's submission folder is checked and copied before nbgrader reads any of it.

Stock nbgrader reads `submitted/<student>/<assignment>/` as root and follows whatever it finds
there: a notebook that is a symbolic link to the instructor's notebook is graded as the student's,
links to the course secret or the gradebook are copied into `autograded/` and `feedback/`, a link
to `/dev/zero` is copied until the disk is full, and thousands of small files make grading
quadratic. `install()` (called by `install_autograde_hooks` from `nbgrader_config.py`) makes
`nbgrader autograde` read every submission from a private staging copy instead, made like this:

- the submission folder is walked without following links (`os.scandir` on directory file
  descriptors, `lstat`, `O_NOFOLLOW`); only regular files are copied, each read through a file
  descriptor that is checked to be the regular file that was listed;
- symbolic links (to anything), hard links, devices, fifos and sockets are set aside; a notebook
  set aside counts as missing, and each expected notebook that is missing then is graded as the
  blank release notebook, so it scores what an unanswered notebook scores;
- more than `Intake.max_files` files and folders, more than `Intake.max_bytes` in all, folders
  nested deeper than `Intake.max_depth`, or a submission folder that is itself a link refuse the
  whole submission: the blank release notebook is graded in place of each notebook.

The student reads why in a note at the top of the graded notebook (so in the feedback); the
instructor gets a warning in nbgrader's log and a line in the submission's grading log,
`<course>/grading_logs/<assignment>/<student>.log` (`log_for_instructor`). The rest of the class
is graded as usual.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import re
import shutil
import stat
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import nbformat
from nbformat.v4 import new_markdown_cell, new_notebook
from traitlets import Integer
from traitlets.config import LoggingConfigurable

LOG_FOLDER = "grading_logs"
STAGING_PREFIX = "nbgrader-intake-"  # then the grading process's id: `nbgrader-intake-<pid>-<random>`
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_CHUNK = 1 << 20


class Intake(LoggingConfigurable):
    """The limits of a submission folder (set them in `nbgrader_config.py` as `c.Intake.*`)."""

    max_files = Integer(1000, help="Most files and folders a submission may hold.").tag(config=True)
    max_bytes = Integer(50 << 20, help="Most bytes the files of a submission may hold in all.").tag(
        config=True
    )
    max_depth = Integer(16, help="Deepest nesting of folders in a submission.").tag(config=True)


def log_for_instructor(course_root: str | os.PathLike, assignment: str, student: str, text: str) -> Path:
    """Appends `text` to the submission's grading log, `<course>/grading_logs/<assignment>/<student>.log`.

    The first line gets a time stamp, the others are indented under it. Returns the log's path.
    """
    folder = Path(course_root) / LOG_FOLDER / assignment
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{student}.log"
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    first, *rest = text.rstrip("\n").splitlines() or [""]
    lines = [f"{stamp} {first}"] + [f"  {line}" for line in rest]
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    with os.fdopen(descriptor, "a") as handle:
        handle.write("\n".join(lines) + "\n")
    return path


def _kind(mode: int, links: int = 1) -> str:
    """What a file system entry is, in words, for the messages."""
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISREG(mode):
        return "a hard link (a file with several names)" if links > 1 else "a regular file"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (fifo)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


class Refused(Exception):
    """The whole submission is refused; the message says why, for the student."""


@dataclass
class Verdict:
    """What intake made of one submission folder."""

    set_aside: list[tuple[str, str]] = field(default_factory=list)  # (path in the folder, what it is)
    refused: str = ""  # why the whole submission was refused, or ""
    files: int = 0
    bytes: int = 0
    blank: list[str] = field(default_factory=list)  # notebooks graded as the blank release notebook

    @property
    def clean(self) -> bool:
        return not (self.set_aside or self.refused)


class _Copier:
    """Copies the regular files of an open folder into `dest`, within the limits of `limits`."""

    def __init__(self, dest: Path, limits: Intake, verdict: Verdict):
        self.dest, self.limits, self.verdict = dest, limits, verdict

    def folder(self, descriptor: int, relative: str, depth: int) -> None:
        if depth > self.limits.max_depth:
            raise Refused(f"its folders are nested more than {self.limits.max_depth} deep")
        listing = []
        with os.scandir(descriptor) as entries:
            for entry in entries:
                self.verdict.files += 1
                if self.verdict.files > self.limits.max_files:
                    raise Refused(f"it holds more than {self.limits.max_files} files and folders")
                listing.append((entry.name, entry.stat(follow_symlinks=False)))
        for name, info in sorted(listing):
            path = f"{relative}{name}"
            if stat.S_ISDIR(info.st_mode):
                try:
                    child = os.open(name, _DIR_FLAGS, dir_fd=descriptor)
                except OSError:
                    self.verdict.set_aside.append((path + "/", "a folder that could not be opened"))
                    continue
                try:
                    (self.dest / path).mkdir(mode=0o755)
                    self.folder(child, path + "/", depth + 1)
                finally:
                    os.close(child)
            elif stat.S_ISREG(info.st_mode) and info.st_nlink == 1:
                self.file(descriptor, name, info, path)
            else:
                self.verdict.set_aside.append((path, _kind(info.st_mode, info.st_nlink)))

    def file(self, folder: int, name: str, listed: os.stat_result, path: str) -> None:
        budget = self.limits.max_bytes - self.verdict.bytes
        if listed.st_size > budget:
            raise Refused(f"its files hold more than {_size(self.limits.max_bytes)} in all")
        try:
            descriptor = os.open(name, _FILE_FLAGS, dir_fd=folder)
        except OSError as error:
            kind = "a symbolic link" if error.errno == errno.ELOOP else "a file that could not be read"
            self.verdict.set_aside.append((path, kind))
            return
        try:
            opened = os.fstat(descriptor)
            if (
                not stat.S_ISREG(opened.st_mode)
                or opened.st_nlink != 1
                or (opened.st_dev, opened.st_ino) != (listed.st_dev, listed.st_ino)
            ):
                self.verdict.set_aside.append((path, "a file that changed while it was read"))
                return
            target = os.open(self.dest / path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
            with os.fdopen(target, "wb") as out:
                while chunk := os.read(descriptor, min(_CHUNK, budget + 1)):
                    budget -= len(chunk)
                    if budget < 0:
                        raise Refused(f"its files hold more than {_size(self.limits.max_bytes)} in all")
                    out.write(chunk)
            self.verdict.bytes = self.limits.max_bytes - budget
        finally:
            os.close(descriptor)


def _shown(name: str) -> str:
    """A file name as the messages show it: one line, no Markdown code-span breaks."""
    return "".join(char if char.isprintable() and char != "`" else f"\\x{ord(char):02x}" for char in name)


def _size(count: int) -> str:
    return f"{count / (1 << 20):g} MB" if count >= 1 << 20 else f"{count} bytes"


def copy_submission(base: str | os.PathLike, parts: list[str], dest: Path, limits: Intake) -> Verdict:
    """Copies the regular files of the folder `base/parts...` into the empty folder `dest`.

    `base` (the course's `submitted/` folder) may be reached through links; no part below it is
    followed. Returns what was set aside, or why the whole submission was refused (then `dest` is
    left empty).
    """
    verdict = Verdict()
    descriptors = []
    try:
        descriptors.append(os.open(base, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC))
        for part in parts:
            try:
                descriptors.append(os.open(part, _DIR_FLAGS, dir_fd=descriptors[-1]))
            except OSError as error:
                if error.errno in (errno.ELOOP, errno.ENOTDIR):
                    kind = _kind(os.stat(part, dir_fd=descriptors[-1], follow_symlinks=False).st_mode)
                    raise Refused(f"the folder '{_shown(part)}' is {kind}, not a folder") from None
                raise
        _Copier(dest, limits, verdict).folder(descriptors[-1], "", 1)
    except Refused as refusal:
        verdict.refused = str(refusal)
    finally:
        for descriptor in descriptors:
            os.close(descriptor)
    if verdict.refused:
        for child in dest.iterdir():
            shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
    return verdict


def read_regular(path: str | os.PathLike, limit: int = 50 << 20) -> bytes:
    """The bytes of `path`, which must be a regular file with one name, opened without following
    a link; at most `limit` bytes (`OSError` otherwise)."""
    descriptor = os.open(path, _FILE_FLAGS)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
            raise OSError(errno.EINVAL, f"not a regular file: {path}")
        data = bytearray()
        while chunk := os.read(descriptor, _CHUNK):
            data += chunk
            if len(data) > limit:
                raise OSError(errno.EFBIG, f"larger than {limit} bytes: {path}")
        return bytes(data)
    finally:
        os.close(descriptor)


def copy_regular(source: str | os.PathLike, target: str | os.PathLike) -> None:
    """Copies the regular file `source` (never a link) to the new file `target`."""
    data = read_regular(source)
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)


def student_note(verdict: Verdict, limits: Intake) -> str:
    """The Markdown note that tells the student what intake did with their submission."""
    rules = (
        f"Hand in regular files only (no symbolic or hard links, devices, pipes or sockets), at "
        f"most {limits.max_files} files and folders and {_size(limits.max_bytes)} in all, then ask "
        "your instructor to grade your submission again."
    )
    if verdict.refused:
        return (
            "**Grader's note: your submission was not graded,** because "
            f"{verdict.refused}. The blank notebook was graded in its place, so every question "
            f"scores what an unanswered notebook scores.\n\n{rules}"
        )
    lines = [
        "**Grader's note: part of your submission was not accepted.** The grader reads only "
        "regular files and set these aside:",
        "",
    ]
    lines += [f"- `{_shown(path)}`: {kind}" for path, kind in verdict.set_aside]
    if verdict.blank:
        names = ", ".join(f"`{name}.ipynb`" for name in verdict.blank)
        lines += [
            "",
            f"In place of {names} the blank notebook was graded: its questions score what "
            "an unanswered notebook scores.",
        ]
    return "\n".join(lines + ["", rules])


def instructor_note(verdict: Verdict, folder: str) -> str:
    """The lines for the instructor's logs about a submission intake did not take as it was."""
    if verdict.refused:
        text = f"intake: submission refused, {verdict.refused} ({folder})"
    else:
        text = f"intake: {len(verdict.set_aside)} entries set aside in {folder}"
        text += "".join(f"\n{_shown(path)}: {kind}" for path, kind in verdict.set_aside)
    if verdict.blank:
        text += "\nblank notebook graded in place of " + ", ".join(f"{n}.ipynb" for n in verdict.blank)
    return text


def _with_note(nb: nbformat.NotebookNode, note: str) -> nbformat.NotebookNode:
    cell = new_markdown_cell(note)
    if nb.get("nbformat_minor", 0) < 5:
        cell.pop("id", None)
    nb.cells.insert(0, cell)
    return nb


def _remove_stale_staging() -> None:
    """Removes the staging folders of grading processes that were killed before they could."""
    for path in Path(tempfile.gettempdir()).glob(f"{STAGING_PREFIX}*-*"):
        pid = path.name[len(STAGING_PREFIX) :].split("-", 1)[0]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(path, ignore_errors=True)
        except PermissionError:
            pass


class _Run:
    """One `nbgrader autograde` run: the staging folder and what intake made of each submission."""

    def __init__(self, converter):
        self.converter = converter
        self.coursedir = converter.coursedir
        self.limits = Intake(parent=converter)
        self.submitted = self.coursedir.submitted_directory
        _remove_stale_staging()
        self.staging = tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-")
        self.verdicts: dict[tuple[str, str], Verdict] = {}
        self.current: Path | None = None

    def real(self, student: str, assignment: str) -> str:
        """The student's own submission folder under `submitted/`."""
        return self.coursedir.format_path(self.submitted, student, assignment)

    def staged(self, student: str, assignment: str) -> str:
        return self.coursedir.format_path(self.staging, student, assignment)

    def listing(self) -> dict[str, list[str]]:
        """nbgrader's `assignments` (folder -> notebooks), found in `submitted/` without following
        links, with the paths of the staging copies that will be graded."""
        import glob

        pattern = self.real(self.coursedir.student_id, self.coursedir.assignment_id)
        regexp = self.coursedir.format_path(
            self.submitted, "(?P<student_id>[^/]+)", "(?P<assignment_id>[^/]+)", escape=True
        )
        notebook = self.coursedir.notebook_id + ".ipynb"
        found = {}
        for folder in sorted(glob.glob(pattern)):
            match = re.fullmatch(regexp, folder)
            if match is None:
                continue
            student, assignment = match.group("student_id"), match.group("assignment_id")
            names = []
            if os.path.isdir(folder) and not os.path.islink(folder):
                with os.scandir(folder) as entries:
                    names = sorted(
                        e.name
                        for e in entries
                        if not e.name.startswith(".") and fnmatch.fnmatch(e.name, notebook)
                    )
            if names or os.path.islink(folder) or not os.path.isdir(folder):
                staged = self.staged(student, assignment)
                found[staged] = [os.path.join(staged, name) for name in names] or [
                    os.path.join(staged, f"{assignment}.ipynb")
                ]
        return found

    def stage(self, assignment: str, student: str) -> list[str]:
        """Makes the staging copy of one submission; returns the notebooks to grade."""
        if self.current is not None:
            shutil.rmtree(self.current, ignore_errors=True)
        real, dest = self.real(student, assignment), Path(self.staged(student, assignment))
        shutil.rmtree(dest, ignore_errors=True)
        dest.mkdir(parents=True, mode=0o755)
        self.current = dest
        base = os.path.join(self.coursedir.root, self.submitted)
        parts = os.path.relpath(real, base).split(os.sep)
        if parts[0] == os.pardir:
            base, parts = self.coursedir.root, os.path.relpath(real, self.coursedir.root).split(os.sep)
        verdict = copy_submission(base, parts, dest, self.limits)
        self.verdicts[(assignment, student)] = verdict
        if not verdict.clean:
            self._explain(verdict, assignment, dest)
        notebook = self.coursedir.notebook_id + ".ipynb"
        return sorted(
            str(path)
            for path in dest.glob("*.ipynb")
            if path.is_file() and fnmatch.fnmatch(path.name, notebook)
        )

    def _explain(self, verdict: Verdict, assignment: str, dest: Path) -> None:
        """Grades blank notebooks for those set aside, and puts the student's note in each notebook."""
        expected = self._expected_notebooks(assignment)
        present = {path.stem for path in dest.glob("*.ipynb") if path.is_file()}
        unknown = present - set(expected)
        missing = [name for name in expected if name not in present]
        # A lone renamed notebook is adopted under the expected name later (nbgrader_plugins).
        if not (len(missing) == 1 and len(unknown) == 1 and not verdict.refused):
            verdict.blank = missing
        for name in verdict.blank:
            nbformat.write(self._blank(assignment, name), dest / f"{name}.ipynb")
        note = student_note(verdict, self.limits)
        for path in sorted(dest.glob("*.ipynb")):
            if not path.is_file():
                continue
            try:
                nb = nbformat.reads(read_regular(path).decode("utf-8"), as_version=nbformat.NO_CONVERT)
            except Exception:  # nbgrader reports a notebook it cannot read
                continue
            if nb.get("nbformat") == 4:
                path.unlink()
                nbformat.write(_with_note(nb, note), path)

    def _expected_notebooks(self, assignment: str) -> list[str]:
        from nbgrader.api import Gradebook, MissingEntry

        try:
            with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gradebook:
                return [nb.name for nb in gradebook.find_assignment(assignment).notebooks]
        except MissingEntry:
            return []

    def _blank(self, assignment: str, name: str) -> nbformat.NotebookNode:
        """The release notebook (the instructor's own file), or an empty one when there is none:
        nbgrader then adds the grade cells back, and they find nothing to grade."""
        path = (
            Path(self.coursedir.format_path(self.coursedir.release_directory, ".", assignment))
            / f"{name}.ipynb"
        )
        if path.is_file():
            return nbformat.read(path, as_version=4)
        return new_notebook()

    def report(self, assignment: str, student: str) -> None:
        """Tells the instructor what intake did with a submission that is about to be graded."""
        verdict = self.verdicts.get((assignment, student))
        if verdict is None or verdict.clean:
            return
        text = instructor_note(verdict, self.real(student, assignment))
        self.converter.log.warning("Student '%s', '%s': %s", student, assignment, text.replace("\n", "; "))
        log_for_instructor(self.coursedir.root, assignment, student, text)

    def close(self) -> None:
        self.coursedir.submitted_directory = self.submitted
        shutil.rmtree(self.staging, ignore_errors=True)


def install() -> None:
    """Makes `nbgrader autograde` grade each submission from its intake copy (called once, from
    `install_autograde_hooks`)."""
    from nbgrader.converters.autograde import Autograde
    from nbgrader.converters.base import NbGraderException

    if getattr(Autograde, "intake_installed", False):
        return
    start, init_destination = Autograde.start, Autograde.init_destination

    def start_with_intake(self) -> None:
        try:
            start(self)
        finally:
            run = self.__dict__.pop("_intake", None)
            if run is not None:
                run.close()

    def init_notebooks(self) -> None:
        run = _Run(self)
        self._intake = run
        self.notebooks = []
        self.assignments = run.listing()
        self.coursedir.submitted_directory = run.staging
        if not self.assignments:
            pattern = run.real(self.coursedir.student_id, self.coursedir.assignment_id)
            msg = f"No notebooks were matched by '{pattern}'"
            self.log.error(msg)
            raise NbGraderException(msg)

    def init_destination_with_intake(self, assignment_id: str, student_id: str) -> bool:
        run = self.__dict__.get("_intake")
        if run is None:
            return init_destination(self, assignment_id, student_id)
        self.notebooks = run.stage(assignment_id, student_id)
        should_process = init_destination(self, assignment_id, student_id)
        if should_process:
            run.report(assignment_id, student_id)
        return should_process

    Autograde.start = start_with_intake
    Autograde.init_notebooks = init_notebooks
    Autograde.init_destination = init_destination_with_intake
    Autograde.intake_installed = True


def submitted_folder(converter, assignment: str, student: str) -> str:
    """The student's real submission folder (not the intake copy nbgrader is grading from)."""
    run = converter.__dict__.get("_intake")
    if run is None:
        return converter.coursedir.format_path(converter.coursedir.submitted_directory, student, assignment)
    return run.real(student, assignment)
