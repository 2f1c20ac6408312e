"""Forks until the system refuses (the children sleep, holding their process slots)."""

import os
import time

children = 0
try:
    while True:
        if os.fork() == 0:
            time.sleep(3600)
            os._exit(0)
        children += 1
except OSError:
    pass
print(f"ATTACK-FORK stopped after {children} children")
