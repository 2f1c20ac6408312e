"""Every limit the grader puts on student code, with its default: the one place they are set.

Time limits exist to stop endless loops, not to judge speed. A cell or a call of student code is
measured in CPU time of the student's whole sandbox, so a machine kept busy by other work does not
turn a correct answer into a time-out; code that sleeps or waits instead of computing is stopped by
a wall-time ceiling far above what computing needs. The notebook's budget is wall time and hard: no
submission keeps `nbgrader autograde` longer than `NOTEBOOK_SECONDS`, cells and hidden tests together.

`SealedExecute` (autograder/sealed.py) exposes each as a setting, e.g.
`nbgrader autograde A --SealedExecute.call_seconds=5`; a cell's limit is nbgrader's own `Execute.timeout`.
"""

GiB, MiB = 1 << 30, 1 << 20

CELL_SECONDS = 120.0  # CPU seconds for one notebook cell (`Execute.timeout`); a test cell's visible
# check is a few calls of student code and gets `CALL_SECONDS` like a call
CELL_WALL_SECONDS = 300.0  # wall seconds for a cell that sleeps or waits
CALL_SECONDS = 10.0  # CPU seconds for one call of student code by a hidden test
CALL_WALL_SECONDS = 60.0  # wall seconds for a call that sleeps or waits
CONNECT_SECONDS = 30.0  # wall seconds for the kernel to let the grader reach the student's functions
NOTEBOOK_SECONDS = 600.0  # wall seconds for one notebook: its cells, restarts and hidden tests
HIDDEN_TESTS_SHARE = 1 / 3  # of the budget kept for the hidden tests: cells that run long cannot take it
MAX_RESTARTS = 20  # kernel restarts per notebook (a cell or a function that crashed or ran too long)

MEMORY_BYTES = 6 * GiB  # the whole sandbox: every process and the files it writes
PROCESSES = 256  # processes and threads in the sandbox
FILE_BYTES = 64 * MiB  # the largest file student code may write
DISK_BYTES = 512 * MiB  # all files student code may write (its /tmp and its scratch folder)
DISK_FILES = 20_000  # files and folders student code may create
SUBMISSION_FILES = 1_000  # files of the submission folder copied into the sandbox
SUBMISSION_BYTES = 100 * MiB  # their total size

CELL_OUTPUT_BYTES = 1 * MiB  # output kept per cell; the rest is cut with a note
NOTEBOOK_OUTPUT_BYTES = 8 * MiB  # output kept per notebook
REPLY_BYTES = 256 * MiB  # the largest answer a student function may send back
