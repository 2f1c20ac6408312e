"""nbgrader settings for the course; nbgrader reads this file in the course folder."""

import os
import sys

COURSE = os.path.dirname(os.path.abspath(__file__))

# The nbgrader process imports the autograder from here. Student kernels never see it: they run
# sandboxed and get only the student-side worker (see autograder/sealed.py).
sys.path.insert(0, COURSE)

from autograder.nbgrader_plugins import install_autograde_hooks  # noqa: E402
from autograder.sanitize import configure_pages  # noqa: E402

# Submissions are graded from copies holding only their regular files (autograder/intake.py); a
# student who renamed the notebook is graded under the expected name, with a warning.
install_autograde_hooks()

c = get_config()  # noqa: F821 (nbgrader provides get_config)

c.CourseDirectory.course_id = "dl-assessment"
c.CourseDirectory.root = COURSE

c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}

# Grade cells that a student deleted come back, moved ones go back to their place, and edited
# nbgrader metadata is put back (autograder/nbgrader_plugins.py).
c.OverwriteCells.add_missing_cells = True
c.RestoreCellOrder.source_root = os.path.join(COURSE, "source")
c.RestoreCellMetadata.source_root = os.path.join(COURSE, "source")
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "autograder.nbgrader_plugins.RestoreCellMetadata",
    "nbgrader.preprocessors.OverwriteCells",
    "autograder.nbgrader_plugins.RestoreCellOrder",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# Sealed grading: the student's kernel runs in a sandbox; the hidden tests run in this process
# and a grade cell's score is what they awarded (autograder/sealed.py, nbgrader_plugins.py).
c.Autograde.autograde_preprocessors = [
    "autograder.sealed.SealedExecute",
    "autograder.nbgrader_plugins.ScoreHiddenTests",
    "autograder.sanitize.SanitizeStudentOutputs",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
c.SealedExecute.source_root = os.path.join(COURSE, "source")
c.SealedExecute.secret_file = os.path.join(COURSE, ".course_secret")
c.SealedExecute.log_root = os.path.join(COURSE, "grading_logs")
c.Execute.shutdown_kernel = "immediate"
# Time, memory, disk and output limits: autograder/limits.py (each can be set here as SealedExecute.*).

# Feedback shows test names, points and hints, never the hidden tests' source; after each grade
# cell's results, the course's explanation of the question; written answers not graded yet as
# pending; maths with a MathJax inlined from a pinned package (autograder/feedback.py).
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "autograder.feedback.FeedbackDetails",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "nbgrader.preprocessors.ClearHiddenTests",
]

# Student Markdown and outputs are shown sanitized, under a Content Security Policy, in the feedback
# and in the formgrader's views of submissions (autograder/sanitize.py).
configure_pages(c)
c.GenerateFeedback.HTMLExporter.filters = {
    **c.HTMLExporter.filters,
    "mathjax_inline": "autograder.feedback.mathjax_inline",
}

# The grades export says which totals still wait for written answers to be graded by hand.
c.ExportApp.plugin_class = "autograder.pending.PendingCsvExport"
