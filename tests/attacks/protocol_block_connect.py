"""Makes every socket connection in the kernel hang, so the worker never reaches the grader."""

import socket
import time


def _hang(self, address):
    while True:
        time.sleep(1)


socket.socket.connect = _hang
