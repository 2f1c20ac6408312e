"""Developer and instructor tooling: the demo, the benchmark, course copies and test submissions.

Nothing here is copied into a course or imported by the grader (`autograder/`).
"""
