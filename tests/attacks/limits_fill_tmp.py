"""Writes to /tmp until the disk refuses (a tmpfs in RAM grew to half the machine's memory)."""

import os

written = 0
try:
    for index in range(100_000):
        with open(f"/tmp/fill-{index}", "wb") as handle:
            handle.write(os.urandom(1 << 20))
        written += 1
except OSError:
    pass
print("ATTACK-TMP MiB", written)
