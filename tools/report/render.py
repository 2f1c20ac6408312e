"""Writes the reports of a graded course: candidate pages (HTML + PDF), the cohort page and the exports."""

from __future__ import annotations

import csv
import datetime
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import jinja2

from tools.report import analysis, charts, integrity, stats
from tools.report.collect import SKILLS, WRITTEN_SKILL, Course, load

TEMPLATES = Path(__file__).resolve().parent / "templates"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
    "--run-all-compositor-stages-before-draw",
]
SKILL_WORDS = {
    "model-size": "parameter counts, output sizes, receptive fields, back-of-envelope sizes",
    "numerical-stability": "results that stay finite and accurate at extreme inputs",
    "losses-and-probabilities": "softmax, log-softmax, cross-entropy, the logistic loss",
    "backpropagation": "gradients of layers and losses by hand, gradient checking",
    "pytorch": "autograd Functions, modules and optimizers on PyTorch's own interfaces",
    "optimization": "gradient descent variants, mini-batching, update rules",
    "training-deep-nets": "normalisation, dropout, initialisation, early stopping, residual connections",
    "evaluation-metrics": "ranking and classification metrics",
    "ml-system-design": "the case-study write-up (ASPER), graded by hand",
}


class Progress:
    """A progress line: rewritten in place on a terminal, a few plain lines otherwise."""

    def __init__(self, label: str, total: int, stream=None):
        self.label, self.total, self.done = label, total, 0
        self.stream = stream or sys.stdout
        self.started = time.monotonic()
        self.tty = self.stream.isatty()
        self._last_tenth = -1

    def step(self) -> None:
        self.done += 1
        elapsed = time.monotonic() - self.started
        line = f"  {self.label}: {self.done}/{self.total} ({elapsed:.0f} s)"
        if self.tty:
            self.stream.write("\r" + line + ("\n" if self.done == self.total else ""))
        else:
            tenth = 10 * self.done // max(self.total, 1)
            if tenth == self._last_tenth and self.done != self.total:
                return
            self._last_tenth = tenth
            self.stream.write(line + "\n")
        self.stream.flush()


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["pct"] = lambda v: (
        "-" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.0f}%"
    )
    env.filters["num"] = lambda v, d=2: (
        "-" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.{d}f}"
    )
    env.filters["pts"] = lambda v: f"{v:g}" if v == round(v, 2) else f"{v:.2f}"
    env.filters["highlight"] = _highlight
    env.filters["code"] = _inline_code
    env.filters["pct_share"] = lambda v: "-" if v is None else f"{100 * v:.0f}%"
    return env


def _highlight(code: str):
    """Code with copydetect's overlap marks (\\x00 ... \\x01) turned into <mark>, the rest escaped."""
    from markupsafe import Markup, escape

    out = escape(code).replace("\x00", Markup("<mark>")).replace("\x01", Markup("</mark>"))
    return Markup(out)


def _inline_code(text: str):
    """Text with `backticked` names set as code, the rest escaped."""
    from markupsafe import Markup, escape

    parts = str(text).split("`")
    return Markup(
        "".join(
            str(escape(part)) if index % 2 == 0 else f"<code>{escape(part)}</code>"
            for index, part in enumerate(parts)
        )
    )


def _pdf(html: Path, pdf: Path) -> None:
    """Prints `html` to `pdf` with Debian's headless Chromium."""
    with tempfile.TemporaryDirectory(prefix="report-chromium-") as profile:
        done = subprocess.run(
            [
                CHROMIUM,
                *CHROMIUM_ARGS,
                f"--user-data-dir={profile}",
                f"--print-to-pdf={pdf}",
                html.resolve().as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    if done.returncode != 0 or not pdf.is_file():
        raise RuntimeError(f"chromium could not print {html} to PDF:\n{done.stderr[-2000:]}")


def _sentence(text: str) -> str:
    return text.strip().rstrip(".")


def _failure(e: analysis.Evidence) -> dict:
    """A failed check in words: its hint, and the grader's note unless it only says the answer was wrong."""
    problem = "" if e.problem.strip() in ("", "Wrong answer.") else e.problem.strip()
    return {
        "hint": _sentence(e.hint or e.case or e.cell),
        "problem": problem,
        "cell": e.cell.removeprefix("test_"),
        "assignment": e.assignment,
    }


def _flag_view(flag: integrity.Flag, student: str | None = None) -> dict:
    return {
        "kind": flag.kind,
        "students": list(flag.students),
        "assignment": flag.assignment,
        "where": flag.where,
        "evidence": flag.evidence,
        "others": flag.about(student) if student else "",
        "detail": flag.detail,
    }


def _grouped(flags: list[integrity.Flag], student: str) -> list[dict]:
    """The candidate's flags, one entry per kind, other candidates and assignment."""
    groups: dict[tuple, dict] = {}
    for flag in flags:
        key = (flag.kind, flag.about(student), flag.assignment)
        group = groups.setdefault(
            key, {"kind": flag.kind, "others": key[1], "assignment": flag.assignment, "flags": []}
        )
        view = _flag_view(flag, student)
        share = flag.detail.get("share", {})
        view["mine"] = share.get(student)
        view["theirs"] = [share[s] for s in flag.students if s != student and s in share]
        group["flags"].append(view)
    return list(groups.values())


def _candidate_view(
    course: Course,
    person: analysis.Candidate,
    cohort_size: int,
    large: bool,
    flags: list[integrity.Flag],
    generated: str,
) -> dict:
    skills = []
    for skill in SKILLS:
        score = person.skills[skill]
        if not score.assessed:
            continue
        checks = [e for e in score.evidence if not e.manual]
        failed = [_failure(e) for e in checks if e.passed is False and not e.status]
        unattempted = sorted(
            {e.cell.removeprefix("test_") for e in score.evidence if e.status == "not attempted"}
        )
        passed = [e for e in checks if e.passed is True]
        pending = [e for e in score.evidence if e.status == "pending"]
        missing = sorted({e.assignment for e in score.evidence if e.status == "not handed in"})
        written = []
        if skill == WRITTEN_SKILL:
            for assignment in course.assignments:
                sub = course.submission(person.student, assignment)
                for record in sub.cells if sub else []:
                    if record.manual:
                        written.append(
                            {
                                "cell": record.name,
                                "assignment": assignment,
                                "pending": record.pending,
                                "score": record.score,
                                "max": record.max_score,
                                "comment": record.comment,
                            }
                        )
        by_cell: dict[str, dict] = {}
        for e in checks:
            if e.passed is None:
                continue
            entry = by_cell.setdefault(
                e.cell,
                {
                    "name": e.cell.removeprefix("test_"),
                    "assignment": e.assignment,
                    "passed": 0,
                    "total": 0,
                    "hints": [],
                },
            )
            entry["total"] += 1
            if e.passed:
                entry["passed"] += 1
                entry["hints"].append(_sentence(e.hint))
        skills.append(
            {
                "skill": skill,
                "cells": list(by_cell.values()),
                "words": SKILL_WORDS.get(skill, ""),
                "percent": score.percent,
                "level": score.level,
                "earned": score.earned,
                "possible": score.possible,
                "pending_points": score.pending,
                "percentile": score.percentile,
                "band": score.band,
                "sem": score.sem,
                "failed": failed,
                "passed": passed,
                "pending": pending,
                "missing": missing,
                "unattempted": unattempted,
                "written": written,
                "checks": sum(e.passed is not None for e in checks),
            }
        )
    chart_rows = [
        {
            "skill": s["skill"],
            "percent": s["percent"],
            "level": s["level"],
            "percentile": s["percentile"],
            "band": s["band"],
        }
        for s in skills
    ]
    mine = _grouped([f for f in flags if person.student in f.students], person.student)
    autograded = person.graded
    earned = person.earned
    return {
        "student": person.student,
        "course": course.root.name,
        "cohort_size": cohort_size,
        "large": large,
        "min_cohort": stats.MIN_COHORT,
        "generated": generated,
        "skills": skills,
        "chart": charts.skill_profile(
            chart_rows, large and any(r["percentile"] is not None for r in chart_rows)
        ),
        "levels": analysis.LEVELS,
        "flags": mine,
        "total": person.total,
        "max_total": person.max_total,
        "pending_points": person.pending_points,
        "percentile": person.percentile,
        "earned": earned,
        "graded": autograded,
        "handed_in": person.handed_in,
        "missing": person.missing,
        "strong": [s["skill"] for s in skills if s["level"] == "strong"],
        "weak": [s["skill"] for s in skills if s["level"] in ("not shown", "foundational")],
    }


def _assignment_view(result: analysis.AssignmentStats) -> dict:
    def rows(table):
        return [
            {
                "label": r["item"].label,
                "cell": r["item"].cell,
                "case": r["item"].case,
                "points": r["item"].points,
                "skill": r["item"].skill,
                "hint": r["item"].hint,
                "manual": r["item"].manual,
                "mean": r["mean"],
                "fraction": r["fraction"],
                "discrimination": r["discrimination"],
                "alpha_if_deleted": r["alpha_if_deleted"],
                "flags": r["flags"],
            }
            for r in table
        ]

    return {
        "assignment": result.assignment,
        "n": result.n,
        "max_score": result.max_score,
        "totals": result.totals,
        "alpha": result.alpha,
        "case_alpha": result.case_alpha,
        "sem": result.sem,
        "cells": rows(result.cells),
        "cases": rows(result.cases),
        "excluded": result.excluded,
        "mean_total": sum(result.totals) / len(result.totals) if result.totals else float("nan"),
    }


def export_rows(people: dict[str, analysis.Candidate], flags: list[integrity.Flag]) -> list[dict]:
    """One row per candidate: each skill's percentage (blank when nothing graded), totals and flags."""
    rows = []
    for student, person in people.items():
        row: dict = {"student_id": student}
        for skill in SKILLS:
            percent = person.skills[skill].percent
            row[skill] = "" if percent is None else round(percent, 2)
        row["total_score"] = round(person.total, 6)
        row["max_score"] = round(person.max_total, 6)
        row["pending_points"] = round(person.pending_points, 6)
        mine = [f for f in flags if student in f.students]
        row["flags"] = len(mine)
        row["flag_kinds"] = "; ".join(sorted({f.kind for f in mine}))
        rows.append(row)
    return rows


def build(
    course_dir: Path, out: Path | None = None, pdf: bool = True, log: Callable[[str], None] = print
) -> dict[str, Path]:
    """Writes every report of the graded course in `course_dir` into `out` (default `<course>/reports`).

    Returns the paths written: `cohort`, `csv`, `json`, `candidates` (a folder).
    """
    started = time.monotonic()
    course_dir = Path(course_dir).resolve()
    out = (Path(out) if out else course_dir / "reports").resolve()
    log(f"Reading the gradebook and the autograded notebooks of {course_dir} ...")
    course = load(course_dir)
    if not course.students:
        raise RuntimeError(f"the gradebook of {course_dir} has no students yet: autograde first")
    items = analysis.course_items(course)
    people = analysis.candidates(course, items)
    large = len(people) >= stats.MIN_COHORT
    analysis.add_percentiles(course, items, people)
    log(f"Looking for integrity signals among {len(people)} candidates ...")
    flags = integrity.course_flags(course)
    generated = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    env = environment()
    folder = out / "candidates"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)

    progress = Progress("candidate reports", len(people))
    pages = []
    for student, person in people.items():
        view = _candidate_view(course, person, len(people), large, flags, generated)
        page = folder / f"{student}.html"
        page.write_text(env.get_template("candidate.html.j2").render(**view))
        pages.append(page)
        progress.step()
    if pdf:
        if not Path(CHROMIUM).is_file():
            log(f"  note: no Chromium at {CHROMIUM}: PDFs skipped (apt-get install chromium)")
        else:
            progress = Progress("PDFs (Chromium)", len(pages))
            with ThreadPoolExecutor(max_workers=2) as pool:
                for _ in pool.map(lambda p: _pdf(p, p.with_suffix(".pdf")), pages):
                    progress.step()

    per_assignment = [
        _assignment_view(analysis.assignment_stats(course, items, a)) for a in course.assignments
    ]
    points = [
        {"assignment": a["assignment"], "fraction": r["fraction"], "discrimination": r["discrimination"]}
        for a in per_assignment
        for r in a["cases"]
    ]
    level_counts = {skill: {name: 0 for name, _ in analysis.LEVELS} | {"pending": 0} for skill in SKILLS}
    for person in people.values():
        for skill in SKILLS:
            if person.skills[skill].assessed:
                level_counts[skill][person.skills[skill].level] += 1
    cohort_view = {
        "course": course_dir.name,
        "generated": generated,
        "n": len(people),
        "large": large,
        "min_cohort": stats.MIN_COHORT,
        "assignments": per_assignment,
        "unsubmitted": course.unsubmitted,
        "histograms": charts.histograms(per_assignment),
        "item_map": charts.item_map(points) if large and points else "",
        "flags": [_flag_view(f) for f in flags],
        "thresholds": {
            "low": stats.LOW_DISCRIMINATION,
            "easy": stats.EASY,
            "hard": stats.HARD,
            "similarity": integrity.SIMILARITY,
            "min_shared": integrity.MIN_SHARED,
            "common": integrity.common_limit(len(people)),
            "rare": integrity.rare_limit(len(people)),
            "min_failed": integrity.MIN_FAILED,
        },
        "levels": analysis.LEVELS,
        "level_counts": level_counts,
        "skills": SKILLS,
        "candidates": [
            {
                "student": s,
                "total": p.total,
                "max": p.max_total,
                "pending": p.pending_points,
                "flags": sum(s in f.students for f in flags),
            }
            for s, p in people.items()
        ],
    }
    cohort = out / "cohort.html"
    cohort.write_text(env.get_template("cohort.html.j2").render(**cohort_view))

    rows = export_rows(people, flags)
    csv_path, json_path = out / "skills.csv", out / "skills.json"
    with open(csv_path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    detail = []
    for row, (student, person) in zip(rows, people.items()):
        detail.append(
            {
                **row,
                "skills": {
                    skill: {
                        "percent": person.skills[skill].percent,
                        "level": person.skills[skill].level if person.skills[skill].assessed else None,
                        "earned": person.skills[skill].earned,
                        "possible": person.skills[skill].possible,
                        "pending_points": person.skills[skill].pending,
                        "percentile": person.skills[skill].percentile,
                        "percentile_band": list(person.skills[skill].band)
                        if person.skills[skill].band
                        else None,
                    }
                    for skill in SKILLS
                },
                "flag_details": [
                    _flag_view(f, student) | {"detail": None} for f in flags if student in f.students
                ],
            }
        )
    json_path.write_text(
        json.dumps(
            {
                "course": course_dir.name,
                "generated": generated,
                "skills": list(SKILLS),
                "levels": [{"level": n, "from_percent": p} for n, p in analysis.LEVELS],
                "min_cohort_for_percentiles": stats.MIN_COHORT,
                "candidates": detail,
            },
            indent=2,
        )
    )
    log(f"Reports written in {time.monotonic() - started:.0f} s.")
    return {"cohort": cohort, "csv": csv_path, "json": json_path, "candidates": folder}
