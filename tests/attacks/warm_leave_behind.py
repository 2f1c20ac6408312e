"""Tries to leave something behind for the next student, whose kernel is started while this one runs."""

import os
import sys

for path in ("/tmp/left_behind", "/dev/shm/left_behind", "/submission/../left_behind"):
    try:
        with open(path, "w") as handle:
            handle.write("left")
    except OSError:
        pass
sys.modules["left_behind"] = sys
os.environ["LEFT_BEHIND"] = "1"
print("ATTACK-VISIBLE-PROCESSES", len([p for p in os.listdir("/proc") if p.isdigit()]))
