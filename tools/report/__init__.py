"""Reports on a graded course: skill reports for recruiters, item analysis and integrity signals.

`python -m tools.report --course <course folder>` reads the gradebook and the autograded notebooks
and writes into `<course>/reports/`: `candidates/<student>.html` and `.pdf` (one page per candidate),
`cohort.html` (instructors), `skills.csv` and `skills.json` (one row per candidate).
Tooling only: the grader never imports it.
"""
