"""Red team: submissions that attack the grader earn nothing for it and harm no one else.

Every attacker hands in a wrong `dense_params` (no biases) plus one attack from `tests/attacks/`.
The whole class, attackers and honest students, is graded in one real `nbgrader autograde` run with
the course's sealed configuration. Each attacker must score exactly what its wrong answer deserves
on `test_dense_params`, the honest students must get full marks, and the gradebook and the course
files must be as the grader left them.
"""

from __future__ import annotations

import functools
import hashlib
import re
import socket
import tempfile
import threading
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell

from autograder import sealed
from autograder.runner import run_tests
from autograder.student import Student
from conftest import ROOT, case_points, expected_scores
from tools import course, submissions

pytestmark = [
    pytest.mark.pipeline,
    pytest.mark.skipif(
        sealed.bwrap_path() is None, reason="needs bubblewrap (bwrap) and root to build the sandbox"
    ),
]

ASSIGNMENT = "parameter_counting"
ATTACKS = sorted((ROOT / "tests" / "attacks").glob("*.py"))
WRONG_DENSE = "def dense_params(n_in, n_out, bias=True):\n    return n_in * n_out\n"
# Attacks that break only their own kernel (its numpy, its process table, its memory, the worker that
# answers the grader) may cost them other cells too; they must never gain.
OWN_HARM = {
    "fake_numpy_module",
    "fork_bomb",
    "limits_memory_in_children",
    "protocol_replace_package",
    "protocol_worker_none",
    "protocol_block_connect",
    "protocol_garbage",
    "protocol_stale_replies",
    "protocol_forged_result",
    "protocol_huge_header",
    "protocol_trickle_reply",
}
LIMITS = (
    "--Execute.timeout=15",
    "--SealedExecute.call_seconds=3",
    "--SealedExecute.call_wall_seconds=8",
    "--SealedExecute.cell_wall_seconds=30",
    "--SealedExecute.connect_seconds=10",
    "--SealedExecute.notebook_seconds=240",
)
HONEST = {
    "zz_reference": (None, ""),
    "zz_noisy": ("noisy_but_correct", ""),
    "zz_slow": (None, "import time\ntime.sleep(4)\nprint('slow but fine')"),
    "zz_chatty": (None, "for i in range(2000):\n    print('epoch', i, 'loss', 1.0 / (i + 1))"),
    "zz_spy": (
        None,
        "import os\nprint('LEFT-BEHIND', [p for p in ('/tmp/left_behind', "
        "'/dev/shm/left_behind', '/left_behind') if os.path.exists(p)], "
        "'LEFT_BEHIND' in os.environ)",
    ),
}


@functools.cache
def _deserved(attack: str) -> dict[str, float]:
    """What an attacker's notebook earns for its answers alone, graded in this process on the same
    submitted source (the attack's code is read, never run, here): the wrong `dense_params` (or the
    attack's own, which is wrong everywhere) and the reference for the rest."""
    code = (ROOT / "tests" / "attacks" / f"{attack}.py").read_text()
    with tempfile.TemporaryDirectory() as scratch:
        variant = Path(scratch) / "wrong_dense.py"
        variant.write_text(WRONG_DENSE)
        student = Student(submissions.namespace(ASSIGNMENT, variant))
        sources = [*submissions.sources(ASSIGNMENT, variant), code]
        scores = {
            cell: run_tests(ASSIGNMENT, cell, student, sources=sources).score
            for cell in expected_scores(ASSIGNMENT, "reference")
            if cell in case_points(ASSIGNMENT)
        }
    if "def dense_params" in code:
        scores["test_dense_params"] = 0.0
    return scores


def _snapshot(root: Path) -> dict[str, str]:
    files = {}
    for top in ("source", "autograder", "release", "submitted", "nbgrader_config.py", ".course_secret"):
        for path in sorted([root / top] if (root / top).is_file() else (root / top).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                files[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


class Listener:
    """A loopback server that records whether anyone connected."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self.connections += 1
            connection.close()


def _hand_in(root: Path, student: str, nb, extra_files: dict[str, str] | None = None) -> None:
    folder = root / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / f"{ASSIGNMENT}.ipynb")
    for name, text in (extra_files or {}).items():
        (folder / name).write_text(text)


def _with_cell(nb, code: str):
    nb = nbformat.from_dict(nb)
    first = next(i for i, cell in enumerate(nb.cells) if cell.cell_type == "code")
    cell = new_code_cell(code)
    cell.pop("id", None)
    nb.cells.insert(first + 1, cell)
    return nb


def _attack_notebook(release, attack: Path, root: Path, port: int):
    code = attack.read_text().replace("COURSE", repr(str(root))).replace("PORT", str(port))
    if "def dense_params" in code:
        return submissions.fill(submissions.submission(ASSIGNMENT, release, None), {"dense_params": code})
    nb = submissions.fill(submissions.submission(ASSIGNMENT, release, None), {"dense_params": WRONG_DENSE})
    return _with_cell(nb, code)


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    root = course.make_course(tmp_path_factory.mktemp("redteam") / "course")
    course.generate_release(root)
    sealed.read_secret(root / ".course_secret")
    release = nbformat.read(root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    listener = Listener()
    for attack in ATTACKS:
        extra = {"numpy.py": "FAKE = True\n"} if attack.stem == "fake_numpy_module" else None
        _hand_in(root, f"a_{attack.stem}", _attack_notebook(release, attack, root, listener.port), extra)
    for student, (variant, code) in HONEST.items():
        path = ROOT / "tests" / "submissions" / ASSIGNMENT / f"{variant}.py" if variant else None
        nb = submissions.submission(ASSIGNMENT, release, path)
        _hand_in(root, student, _with_cell(nb, code) if code else nb)
    before = _snapshot(root)
    done = course.nbgrader(root, "autograde", ASSIGNMENT, *LIMITS, check=False)
    course.nbgrader(root, "generate_feedback", ASSIGNMENT, check=False)
    return root, before, _snapshot(root), listener, done


def _scores(root: Path, student: str) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission(ASSIGNMENT, student)
        return {grade.name: grade.score for notebook in submission.notebooks for grade in notebook.grades}


def _outputs(root: Path, student: str) -> str:
    nb = nbformat.read(root / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    return "\n".join(str(out) for cell in nb.cells for out in cell.get("outputs", []))


def test_the_autograde_run_itself_succeeds(attacked):
    root, _, _, _, done = attacked
    assert done.returncode == 0, done.stderr[-3000:]


@pytest.mark.parametrize("attack", [a.stem for a in ATTACKS])
def test_an_attack_earns_nothing_for_its_wrong_answer(attacked, attack):
    root = attacked[0]
    scores = _scores(root, f"a_{attack}")
    deserved = {**expected_scores(ASSIGNMENT, "reference"), **_deserved(attack)}
    for cell, points in deserved.items():
        if attack in OWN_HARM:
            assert scores[cell] <= points, cell
        else:
            assert scores[cell] == pytest.approx(points), cell


def test_honest_students_in_the_same_run_earn_full_marks(attacked):
    root = attacked[0]
    for student in HONEST:
        assert _scores(root, student) == pytest.approx(expected_scores(ASSIGNMENT, "reference")), student


def test_course_files_and_classmates_submissions_are_untouched(attacked):
    root, before, after, _, _ = attacked
    assert after == before
    assert not (root / "PWNED").exists()


def test_student_code_read_nothing_reached_no_network_and_wrote_nothing(attacked):
    root, _, _, listener, _ = attacked
    assert "ATTACK-READ files=0 bytes=0" in _outputs(root, "a_read_course_files")
    assert "ATTACK-WROTE 0" in _outputs(root, "a_write_course_files")
    assert "ATTACK-NET refused" in _outputs(root, "a_network")
    assert listener.connections == 0


def test_output_floods_are_cut(attacked):
    root = attacked[0]
    path = root / "autograded" / "a_output_flood" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert path.stat().st_size < 5 << 20
    assert "the output was cut" in _outputs(root, "a_output_flood")


def test_everyone_gets_feedback(attacked):
    root = attacked[0]
    for student in [f"a_{a.stem}" for a in ATTACKS] + list(HONEST):
        assert (root / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html").is_file(), student


def test_every_notebook_stays_within_its_budget(attacked):
    root = attacked[0]
    for attack in ATTACKS:
        log = (root / "grading_logs" / ASSIGNMENT / f"a_{attack.stem}.log").read_text()
        took = float(re.search(r" in ([0-9.]+) s", log).group(1))
        assert took < 240 + 15, attack.stem


def test_memory_and_disk_are_limited_for_the_whole_sandbox(attacked):
    root = attacked[0]
    for attack in ATTACKS:
        log = (root / "grading_logs" / ASSIGNMENT / f"a_{attack.stem}.log").read_text()
        peak, limit = map(int, re.search(r"Peak memory (\d+) MiB of (\d+) MiB", log).groups())
        assert peak <= limit, attack.stem
    written = int(re.search(r"ATTACK-TMP MiB (\d+)", _outputs(root, "a_limits_fill_tmp")).group(1))
    assert 0 < written <= 512


def test_protocol_attacks_are_logged_for_the_instructor(attacked):
    root = attacked[0]
    for attack in ("protocol_replace_package", "protocol_worker_none", "protocol_block_connect"):
        assert (
            "could not reach the student's functions"
            in (root / "grading_logs" / ASSIGNMENT / f"a_{attack}.log").read_text()
        ), attack
    for attack in (
        "protocol_garbage",
        "protocol_stale_replies",
        "protocol_forged_result",
        "protocol_huge_header",
        "protocol_trickle_reply",
        "protocol_disable_alarm_cpu",
    ):
        assert (
            "the kernel will be restarted"
            in (root / "grading_logs" / ASSIGNMENT / f"a_{attack}.log").read_text()
        ), attack


def test_nothing_is_left_behind_for_the_next_student(attacked):
    root = attacked[0]
    assert "LEFT-BEHIND [] False" in _outputs(root, "zz_spy")
