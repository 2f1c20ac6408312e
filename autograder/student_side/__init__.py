"""Everything that runs inside the student's sandboxed kernel, and nothing else.

The sealed grader copies this folder whole into the sandbox (with the assignments' `probes.py`):
`worker` answers the grader's requests, `serve` runs them on the student's definitions, `codec`
turns values into plain data. Nothing here decides a score and nothing here is secret.
"""
