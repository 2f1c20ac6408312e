"""`python -m tools.report --course <course folder> [--out <folder>]`: writes the course's reports."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tools.report.render import build


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m tools.report",
        description="Skill reports per candidate (HTML and PDF), a cohort report with item analysis and "
        "integrity signals, and skills.csv / skills.json, from a graded nbgrader course.",
    )
    parser.add_argument(
        "--course",
        type=Path,
        required=True,
        help="the course folder (holds gradebook.db, submitted/, autograded/, release/)",
    )
    parser.add_argument("--out", type=Path, default=None, help="where to write (default: <course>/reports)")
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDFs (no Chromium needed)")
    args = parser.parse_args(argv)
    try:
        paths = build(args.course, args.out, pdf=not args.no_pdf)
    except (FileNotFoundError, RuntimeError) as error:
        sys.exit(f"report failed: {error}")
    print(f"Candidate reports: {paths['candidates']}/<student>.html and .pdf")
    print(f"Cohort report:     {paths['cohort']}")
    print(f"Exports:           {paths['csv']}, {paths['json']}")


if __name__ == "__main__":
    main()
