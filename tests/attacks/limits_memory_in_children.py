"""Forks 5 children that each hold 1.5 GiB: more than the sandbox may hold, though each process is small."""

import os
import time

for _ in range(5):
    if os.fork() == 0:
        try:
            block = bytearray(3 << 29)
            for i in range(0, len(block), 4096):
                block[i] = 1
            time.sleep(30)
        finally:
            os._exit(0)
time.sleep(5)
