"""Tries to raise its grade in the gradebook and to overwrite course and classmates' files.

Writing into its own working folder works (a scratch copy of its submission) and is not counted.
"""

# ruff: noqa: F821 (COURSE is filled in by the red-team test)
import os
import sqlite3

written = []
try:
    connection = sqlite3.connect(f"file:{COURSE}/gradebook.db?mode=rw", uri=True)
    connection.execute("UPDATE grade SET auto_score = 100")
    connection.commit()
    written.append("gradebook")
except Exception:
    pass
for path in (
    f"{COURSE}/nbgrader_config.py",
    f"{COURSE}/PWNED",
    f"{COURSE}/submitted/zz_reference/parameter_counting/parameter_counting.ipynb",
):
    try:
        with open(path, "a") as handle:
            handle.write("pwned")
        written.append(path)
    except OSError:
        pass
with open(os.path.join(os.getcwd(), "PWNED"), "a") as handle:  # its own scratch folder
    handle.write("pwned")
print(f"ATTACK-WROTE {len(written)}")
