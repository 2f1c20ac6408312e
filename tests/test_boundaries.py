"""Hostile submissions at the boundaries: odd files on the way in, scripts on the way out.

On the way in, a class is autograded with the real `nbgrader autograde` where students hand in
symbolic links (the notebook itself linked to the instructor's notebook or a classmate's, a lone
renamed notebook that is a link, links to the course secret, a hidden-test module, the gradebook,
a root-only file outside the course and `/dev/zero`), a hard link, a pipe, a linked submission
folder, and 10 000 small files. Each scores what the blank release notebook scores, nothing of
what they point at reaches `autograded/` or `feedback/`, the student reads why in the feedback,
the instructor in the grading log, and the honest students before and after get full marks.

On the way out, a case-study submission whose written answers and outputs carry scripts and a
forged results table is opened in nbgrader's formgrader (a real Jupyter server) and its feedback
page in headless Chromium: no script runs, no score changes, no file is written, and the forged
table renders as student content, apart from the grader's marked results.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell

from autograder import intake, sanitize, sealed
from autograder.runner import RESULT_MIME
from browser import browser_or_skip, jupyter_server, offline_browser
from conftest import ROOT, expected_scores, grade_cells
from tools import course, submissions

NEEDS_SANDBOX = pytest.mark.skipif(
    sealed.bwrap_path() is None, reason="needs bubblewrap (bwrap) and root to build the sandbox"
)
ASSIGNMENT = "parameter_counting"
HIDDEN_MODULE = ROOT / "autograder" / ASSIGNMENT / "test_dense_params.py"
# A cell that prints whatever the files next to the notebook hold.
READ_EVERYTHING = """import os
for name in sorted(os.listdir('.')):
    try:
        with open(name, 'rb') as handle:
            print('ATTACK-READ', name, handle.read(4096))
    except Exception as error:
        print('ATTACK-READ', name, type(error).__name__)
"""


# ---------------------------------------------------------------- intake, without nbgrader


def _copy(folder: Path, dest: Path, **limits) -> intake.Verdict:
    dest.mkdir()
    return intake.copy_submission(folder.parent, [folder.name], dest, intake.Intake(**limits))


def test_intake_copies_regular_files_and_sets_aside_everything_else(tmp_path):
    import socket

    folder = tmp_path / "submitted"
    (folder / "data").mkdir(parents=True)
    (folder / "work.ipynb").write_text("{}")
    (folder / "data" / "table.csv").write_text("1,2\n")
    (tmp_path / "secret").write_text("SECRET")
    os.symlink(tmp_path / "secret", folder / "secret")
    os.symlink("/dev/zero", folder / "data" / "zero")
    os.symlink(tmp_path, folder / "up")
    os.mkfifo(folder / "pipe")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(folder / "sock"))
    os.link(tmp_path / "secret", folder / "hard")
    verdict = _copy(folder, tmp_path / "copy")
    copied = sorted(str(p.relative_to(tmp_path / "copy")) for p in (tmp_path / "copy").rglob("*"))
    assert copied == ["data", "data/table.csv", "work.ipynb"]
    assert not verdict.refused
    assert dict(verdict.set_aside) == {
        "secret": "a symbolic link",
        "data/zero": "a symbolic link",
        "up": "a symbolic link",
        "pipe": "a named pipe (fifo)",
        "sock": "a socket",
        "hard": "a hard link (a file with several names)",
    }
    assert all(not p.is_symlink() for p in (tmp_path / "copy").rglob("*"))


def test_intake_refuses_a_submission_folder_that_is_a_link(tmp_path):
    (tmp_path / "classmate").mkdir()
    (tmp_path / "classmate" / "work.ipynb").write_text("{}")
    os.symlink(tmp_path / "classmate", tmp_path / "mine")
    verdict = _copy(tmp_path / "mine", tmp_path / "copy")
    assert "is a symbolic link" in verdict.refused and not list((tmp_path / "copy").iterdir())


@pytest.mark.parametrize(
    "make, limits, reason",
    [
        (lambda f: [(f / f"f{i}").touch() for i in range(10_000)], {}, "more than 1000 files"),
        (lambda f: (f / "big").write_bytes(b"x" * 2048), {"max_bytes": 1024}, "more than 1024 bytes"),
        (lambda f: (f / "/".join("d" * 20)).mkdir(parents=True), {}, "nested more than 16 deep"),
    ],
)
def test_intake_refuses_oversized_submissions_quickly(tmp_path, make, limits, reason):
    folder = tmp_path / "submitted"
    folder.mkdir()
    make(folder)
    started = time.monotonic()
    verdict = _copy(folder, tmp_path / "copy", **limits)
    assert time.monotonic() - started < 2
    assert reason in verdict.refused and not list((tmp_path / "copy").iterdir())


def test_the_instructor_log_gets_one_stamped_entry_per_call(tmp_path):
    path = intake.log_for_instructor(tmp_path, ASSIGNMENT, "eve", "intake: refused\nwork.ipynb: a link")
    intake.log_for_instructor(tmp_path, ASSIGNMENT, "eve", "second")
    lines = path.read_text().splitlines()
    assert path == tmp_path / "grading_logs" / ASSIGNMENT / "eve.log"
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC intake: refused$", lines[0])
    assert lines[1] == "  work.ipynb: a link" and lines[2].endswith(" second")


def test_staging_folders_of_killed_grading_processes_are_removed(monkeypatch, tmp_path):
    import subprocess

    finished = subprocess.Popen(["true"])
    finished.wait()  # a grading process that is gone
    monkeypatch.setattr(intake.tempfile, "tempdir", str(tmp_path))
    stale = tmp_path / f"{intake.STAGING_PREFIX}{finished.pid}-abc"
    live = tmp_path / f"{intake.STAGING_PREFIX}{os.getpid()}-def"
    for folder in (stale, live):
        (folder / "eve").mkdir(parents=True)
    intake._remove_stale_staging()
    assert live.is_dir() and not stale.exists()


# ---------------------------------------------------------------- sanitizing, without a browser


def test_student_html_keeps_markdown_and_shows_scripts_as_text():
    clean = sanitize.clean_html(
        '<p>A <b>bold</b> <a href="https://example.org" onclick="x()">link</a></p>'
        '<script>alert(1)</script><img src="x" onerror="alert(2)"><style>body{}</style>'
        '<table style="position:fixed"><tr><td class="grader-result">1</td></tr></table>'
        '<a href="javascript:alert(3)">js</a><span class="nf">f</span>'
    )
    assert '<p>A <b>bold</b> <a href="https://example.org">link</a></p>' in clean
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in clean and "&lt;style&gt;" in clean
    assert "onerror" not in clean and "onclick" not in clean and "javascript:" not in clean
    assert "style=" not in clean and "grader-result" not in clean and "<img>" in clean
    assert '<span class="nf">f</span>' in clean


# ---------------------------------------------------------------- intake, through nbgrader


def _hand_in(root: Path, student: str, notebook=None, files: dict | None = None) -> Path:
    folder = root / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True)
    if notebook is not None:
        nbformat.write(notebook, folder / f"{ASSIGNMENT}.ipynb")
    for name, make in (files or {}).items():
        make(folder / name)
    return folder


def _link(target: Path):
    return lambda path: os.symlink(target, path)


def _with_cell(nb, code: str):
    nb = nbformat.from_dict(nb)
    first = next(i for i, cell in enumerate(nb.cells) if cell.cell_type == "code")
    cell = new_code_cell(code)
    if nb.nbformat_minor < 5:
        cell.pop("id", None)
    nb.cells.insert(first + 1, cell)
    return nb


def _scores(root: Path) -> dict[str, dict[str, float]]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        return {
            submission.student.id: {
                grade.name: grade.score for notebook in submission.notebooks for grade in notebook.grades
            }
            for submission in gradebook.find_assignment(ASSIGNMENT).submissions
        }


@pytest.fixture(scope="module")
def linked_class(tmp_path_factory):
    """A class with honest students around attackers who hand in links and odd files, autograded
    and given feedback in one run each."""
    scratch = tmp_path_factory.mktemp("boundaries")
    root = course.make_course(scratch / "course")
    for other in course.assignments(root):
        if other != ASSIGNMENT:
            shutil.rmtree(root / "source" / other)
    course.generate_release(root)
    secret = sealed.read_secret(root / ".course_secret")
    root_only = scratch / "outside" / "root_only.txt"
    root_only.parent.mkdir()
    root_only.write_text(f"ROOT-ONLY-{secret[:16]}\n")
    root_only.chmod(0o600)
    release = nbformat.read(root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    reference = submissions.submission(ASSIGNMENT, release, None)
    snooping = _with_cell(release, READ_EVERYTHING)
    source_nb = root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    honest_nb = root / "submitted" / "a_honest" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"

    _hand_in(root, "a_honest", reference)
    _hand_in(root, "blank", release)
    attackers = {
        "link_source": dict(files={f"{ASSIGNMENT}.ipynb": _link(source_nb)}),
        "link_classmate": dict(
            files={f"{ASSIGNMENT}.ipynb": _link(Path("../../a_honest") / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")}
        ),
        "link_renamed": dict(files={"my_work.ipynb": _link(honest_nb)}),
        "link_secret": dict(notebook=snooping, files={"secret.txt": _link(root / ".course_secret")}),
        "link_hidden_test": dict(notebook=snooping, files={"tests.py": _link(HIDDEN_MODULE)}),
        "link_gradebook": dict(notebook=snooping, files={"grades.db": _link(root / "gradebook.db")}),
        "link_root_only": dict(notebook=snooping, files={"notes.txt": _link(root_only)}),
        "link_dev_zero": dict(notebook=snooping, files={"data.bin": _link(Path("/dev/zero"))}),
        "hard_link_secret": dict(
            notebook=snooping, files={"s.txt": lambda path: os.link(root / ".course_secret", path)}
        ),
        "fifo": dict(notebook=snooping, files={"pipe": os.mkfifo}),
    }
    for student, parts in attackers.items():
        _hand_in(root, student, **parts)
    (root / "submitted" / "linked_folder").mkdir()
    os.symlink(honest_nb.parent, root / "submitted" / "linked_folder" / ASSIGNMENT)
    attackers["linked_folder"] = {}
    _hand_in(root, "z_honest", reference)
    many = _hand_in(root, "many_files", reference)
    for index in range(10_000):
        (many / f"file{index:05d}.txt").write_text("x")

    started = time.monotonic()
    graded = course.nbgrader(root, "autograde", ASSIGNMENT, "--student", "[!m]*", check=False)
    class_seconds = time.monotonic() - started
    course.nbgrader(root, "generate_feedback", ASSIGNMENT, "--student", "[!m]*", check=False)
    started = time.monotonic()
    many_graded = course.nbgrader(root, "autograde", ASSIGNMENT, "--student", "many_files", check=False)
    many_seconds = time.monotonic() - started
    started = time.monotonic()
    course.nbgrader(root, "generate_feedback", ASSIGNMENT, "--student", "many_files", check=False)
    many_feedback_seconds = time.monotonic() - started
    print(
        f"class of {len(attackers) + 3}: {class_seconds:.1f} s; 10 000 files: autograde "
        f"{many_seconds:.1f} s, feedback {many_feedback_seconds:.1f} s"
    )
    return dict(
        root=root,
        attackers=sorted(attackers),
        log=graded.stderr + many_graded.stderr,
        secret=secret,
        root_only=root_only.read_text().strip(),
        scores=_scores(root),
        many_seconds=many_seconds,
        many_feedback_seconds=many_feedback_seconds,
        returncodes=(graded.returncode, many_graded.returncode),
    )


@pytest.mark.parametrize(
    "attacker",
    [
        "link_source",
        "link_classmate",
        "link_renamed",
        "link_secret",
        "link_hidden_test",
        "link_gradebook",
        "link_root_only",
        "link_dev_zero",
        "hard_link_secret",
        "fifo",
        "linked_folder",
        "many_files",
    ],
)
@pytest.mark.pipeline
@NEEDS_SANDBOX
def test_an_odd_submission_scores_what_the_blank_notebook_scores(linked_class, attacker):
    scores = linked_class["scores"]
    assert scores["blank"] == pytest.approx(expected_scores(ASSIGNMENT, "untouched"))
    assert scores[attacker] == pytest.approx(scores["blank"]), attacker


@pytest.mark.pipeline
@NEEDS_SANDBOX
def test_the_honest_students_around_them_get_full_marks(linked_class):
    assert linked_class["returncodes"] == (0, 0), linked_class["log"][-3000:]
    for student in ("a_honest", "z_honest"):
        assert linked_class["scores"][student] == pytest.approx(expected_scores(ASSIGNMENT, "reference"))


def _leaks(linked_class) -> dict[str, bytes]:
    """What must never be in a graded or feedback file: the course secret, a root-only file, the
    hidden tests' code, the gradebook, the instructor's solution (for attackers) and zero floods."""
    code = [
        line.strip()
        for line in HIDDEN_MODULE.read_text().splitlines()
        if re.search(r"student\.|check_count|rng\.", line)
    ]
    solution = submissions.reference_sources(submissions.source_notebook(ASSIGNMENT))["dense_params"]
    body = next(line.strip() for line in solution.splitlines()[1:] if "return" in line)
    return {
        "secret": linked_class["secret"].encode(),
        "root-only": linked_class["root_only"].encode(),
        "gradebook": b"SQLite format 3",
        "zeros": b"\0" * 4096,
        "solution": body.encode(),
        **{f"hidden test line {i}": line.encode() for i, line in enumerate(code)},
    }


@pytest.mark.pipeline
@NEEDS_SANDBOX
def test_nothing_linked_reaches_autograded_or_feedback(linked_class):
    root = linked_class["root"]
    leaks = _leaks(linked_class)
    assert len(leaks) > 6
    honest = {"a_honest", "z_honest"}
    checked = set()
    for path in sorted([*(root / "autograded").rglob("*"), *(root / "feedback").rglob("*")]):
        assert not path.is_symlink(), path
        if path.is_file():
            student = path.relative_to(root).parts[1]
            checked.add(student)
            assert path.stat().st_size < 5 << 20, path
            data = path.read_bytes()
            found = [
                name
                for name, text in leaks.items()
                if text in data and not (name == "solution" and student in honest)
            ]
            assert not found, (path, found)
    assert checked == set(linked_class["attackers"]) | honest | {"blank", "many_files"}


@pytest.mark.pipeline
@NEEDS_SANDBOX
def test_the_student_reads_why_and_the_instructor_gets_a_log_line(linked_class):
    root = linked_class["root"]
    words = {
        "hard_link_secret": "hard link",
        "fifo": "named pipe",
        "linked_folder": "is a symbolic link",
        "many_files": "more than 1000 files",
    }
    for student in linked_class["attackers"] + ["many_files"]:
        word = words.get(student, "symbolic link")
        page = (root / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
        assert "Grader's note" in page and word in page, student
        log = (root / "grading_logs" / ASSIGNMENT / f"{student}.log").read_text()
        assert "intake:" in log and word in log, student
        assert f"Student '{student}'" in linked_class["log"], student
    for student in ("a_honest", "z_honest", "blank"):
        page = (root / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
        assert "Grader's note" not in page


@pytest.mark.pipeline
@NEEDS_SANDBOX
def test_ten_thousand_small_files_are_refused_in_seconds(linked_class):
    # Stock nbgrader took 112 s to autograde and 105 s to give feedback for such a folder.
    assert linked_class["many_seconds"] < 60 and linked_class["many_feedback_seconds"] < 20


# ---------------------------------------------------------------- rendering, in Chromium

# What a hostile script does when it runs: marks the page, then uses the instructor's session to
# give its own submission full marks and to write a file into the course folder.
ATTACK_JS = """
document.documentElement.setAttribute("data-pwned", "WHERE");
window.__pwned = (window.__pwned || []).concat(["WHERE"]);
var base = (typeof base_url === "string") ? base_url : "/formgrader";
var sid = (typeof submission_id === "string") ? submission_id : "";
var xsrf = decodeURIComponent((document.cookie.match(/_xsrf=([^;]+)/) || ["", ""])[1]);
var headers = {"X-XSRFToken": xsrf, "Content-Type": "application/json"};
fetch(base + "/api/grades?submission_id=" + sid).then(function (r) { return r.json(); })
.then(function (grades) {
  grades.forEach(function (g) {
    fetch(base + "/api/grade/" + g.id, {method: "PUT", headers: headers,
      body: JSON.stringify({manual_score: g.max_score, extra_credit: 0})});
  });
});
fetch("/api/contents/PWNED-WHERE.txt", {method: "PUT", headers: headers,
  body: JSON.stringify({type: "file", format: "text", content: "pwned"})});
"""
# The grader's result box as a student would copy it from a feedback page.
FORGED_TABLE = (
    '<div class="grader-result" style="border: 2px solid #1f5f8b">'
    '<div class="grader-result-label">Grader &middot; hidden tests of this cell</div>'
    "<p><b>FORGED</b>: 9 of 9 points from hidden tests</p>"
    "<table><tr><th>result</th><th>points</th></tr><tr><td>pass</td><td>9</td></tr></table></div>"
)


def _js(where: str) -> str:
    return ATTACK_JS.replace("WHERE", where).replace("\n", " ")


def _hostile_answers() -> dict[str, str]:
    """Written answers (Markdown cells) that carry scripts, event handlers and a forged result."""
    return {
        "asper_ask": f"My questions.\n\n<script>{_js('markdown-script')}</script>\n",
        "asper_suppose": f"<img src=\"missing.png\" onerror='{_js('markdown-onerror')}'> and "
        f"<svg onload='{_js('markdown-svg')}'></svg>",
        "asper_plan": FORGED_TABLE.replace("FORGED", "FORGED-TABLE")
        + "\n\n<style>body { display: none }</style>",
        "asper_execute": f"<details open ontoggle='{_js('markdown-details')}'><summary>x</summary></details>"
        '<iframe src="/api/contents"></iframe><a href="javascript:void(0)">js link</a>',
        "asper_recap": '<meta http-equiv="refresh" content="0; url=https://example.org">'
        '<base href="https://example.org/">'
        '<form action="/api/contents" method="post"><button>go</button></form>',
    }


def _hostile_outputs_cell() -> str:
    """A code cell whose outputs carry scripts and a display forged with the grader's mime type."""
    forged = {
        "cell": "test_ndcg_at_k",
        "score": 9,
        "max_score": 9,
        "problem": "",
        "cases": [{"name": "FORGED-RESULT", "points": 9, "passed": True, "hint": "all good"}],
    }
    html = FORGED_TABLE.replace("FORGED", "FORGED-RESULT")
    script = f"<script>{_js('output-script')}</script><b>FORGED-OUTPUT</b>"
    return (
        "from IPython.display import HTML, Javascript, Markdown, display\n"
        f"display(HTML({script!r}))\n"
        f"display(Javascript({_js('output-javascript')!r}))\n"
        f"display(Markdown({('<script>' + _js('output-markdown') + '</script>')!r}))\n"
        f"display({{{RESULT_MIME!r}: {json.dumps(forged)!r}, 'text/html': {html!r}}}, raw=True)\n"
    )


@pytest.fixture(scope="module")
def hostile_case_study(tmp_path_factory):
    """A case-study course where `mallory` handed in scripts and forged results, autograded and
    given feedback."""
    browser_or_skip()
    root = course.make_course(tmp_path_factory.mktemp("hostile") / "course")
    for other in course.assignments(root):
        if other != "case_study":
            shutil.rmtree(root / "source" / other)
    course.generate_release(root)
    release = nbformat.read(root / "release" / "case_study" / "case_study.ipynb", as_version=4)
    nb = submissions.fill(submissions.submission("case_study", release, None), _hostile_answers())
    folder = root / "submitted" / "mallory" / "case_study"
    folder.mkdir(parents=True)
    nbformat.write(_with_cell(nb, _hostile_outputs_cell()), folder / "case_study.ipynb")
    course.nbgrader(root, "autograde", "case_study")
    course.nbgrader(root, "generate_feedback", "case_study")
    return root


def _gradebook_state(root: Path) -> list:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        notebook = gradebook.find_submission_notebook("case_study", "case_study", "mallory")
        grades = [
            (g.name, g.auto_score, g.manual_score, g.extra_credit, g.needs_manual_grade)
            for g in notebook.grades
        ]
        return sorted(grades) + sorted((c.name, c.manual_comment) for c in notebook.comments)


def _files(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.name != "gradebook.db"
    }


def _assert_inert(page, url: str, requests: list, local: str) -> None:
    """No hostile script ran on `page`, it made no request it should not, and only the grader's own
    results are in the grader's marked boxes."""
    assert page.url == url  # no refresh or redirect either
    assert page.evaluate("document.documentElement.getAttribute('data-pwned')") is None
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert not [r for r in requests if r[0] != "GET"], requests
    assert not [r for r in requests if "/api/contents" in r[1] or "example.org" in r[1]], requests
    assert not [r for r in requests if not r[1].startswith((local, "data:")) and "mathjax" not in r[1]]
    boxes = page.locator(".grader-result")
    assert boxes.count() == sum(1 for cell in grade_cells("case_study") if cell.hidden)
    assert boxes.filter(has_text="FORGED").count() == 0
    for forged in ("FORGED-TABLE", "FORGED-RESULT", "FORGED-OUTPUT"):
        assert page.get_by_text(forged).count() >= 1, forged


@pytest.mark.pipeline
@pytest.mark.xdist_group("test_boundaries-pages")
@NEEDS_SANDBOX
def test_the_formgrader_shows_a_hostile_submission_without_running_it(hostile_case_study, tmp_path_factory):
    from nbgrader.api import Gradebook

    root = hostile_case_study
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        submission_id = gradebook.find_submission_notebook("case_study", "case_study", "mallory").id
    grades, files = _gradebook_state(root), _files(root)
    shots = tmp_path_factory.mktemp("screenshots")
    with jupyter_server(root, tmp_path_factory.mktemp("jupyter")) as (base, token):
        with offline_browser(tmp_path_factory.mktemp("chromium-profile"), base) as (context, requests):
            page = context.new_page()
            page.set_default_timeout(20_000)
            page.goto(f"{base}/formgrader?token={token}", wait_until="domcontentloaded")
            requests.clear()
            url = f"{base}/formgrader/submissions/{submission_id}/"
            page.goto(url, wait_until="domcontentloaded")
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(1000)
            page.screenshot(path=str(shots / "formgrader-hostile.png"), full_page=True)
            _assert_inert(page, url, requests, base)
            # The formgrader's own scripts still run: they show the autograded scores.
            test_cell = next(cell.grade_id for cell in grade_cells("case_study") if cell.hidden)
            assert page.locator(f"input.score[id='{test_cell}']").get_attribute("placeholder")
    assert _gradebook_state(root) == grades
    assert _files(root) == files and not list(root.rglob("PWNED*"))


@pytest.mark.pipeline
@pytest.mark.xdist_group("test_boundaries-pages")
@NEEDS_SANDBOX
def test_the_feedback_page_shows_a_hostile_submission_without_running_it(
    hostile_case_study, tmp_path_factory
):
    page_path = hostile_case_study / "feedback" / "mallory" / "case_study" / "case_study.html"
    shots = tmp_path_factory.mktemp("screenshots")
    with offline_browser(tmp_path_factory.mktemp("chromium-profile")) as (context, requests):
        page = context.new_page()
        page.goto(page_path.as_uri(), wait_until="load")
        page.wait_for_timeout(1000)
        page.screenshot(path=str(shots / "feedback-hostile.png"), full_page=True)
        _assert_inert(page, page_path.as_uri(), requests, "file://")
        assert page.locator("body").is_visible()
    # The page's own scripts carry the nonce of its policy, which allows no inline script.
    html = page_path.read_text()
    policy = re.search(r'<meta content="([^"]*)" http-equiv="Content-Security-Policy"', html)
    scripts = policy.group(1).split("script-src")[1].split(";")[0] if policy else ""
    assert "'nonce-" in scripts and "unsafe-inline" not in scripts
    # MathJax is inlined in the feedback page, so its policy names no remote host at all.
    assert "http" not in policy.group(1), policy.group(1)
    nonce = re.search(r"'nonce-(\w+)'", scripts).group(1)
    assert all(f'nonce="{nonce}"' in tag for tag in re.findall(r"<script[^>]*>", html))
