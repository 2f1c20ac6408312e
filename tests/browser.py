"""A real Jupyter server in a course folder and headless Chromium, for the tests that use a browser.

Chromium is Debian's (`/usr/bin/chromium`), driven through Playwright. Pages may reach only the
local server and local files: every other request is recorded and refused, so a test can both run
offline and see what a page tried to fetch.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tools import course

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium tries to reach the network on its own.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STARTUP_SECONDS = 60


def browser_or_skip():
    """Playwright's sync API, or a skip saying what is missing on this machine."""
    if not CHROMIUM.is_file():
        pytest.skip(f"the browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)")
    if importlib.util.find_spec("playwright") is None:
        pytest.skip("the browser tests need the playwright package (pip install playwright)")
    from playwright import sync_api

    return sync_api


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def jupyter_server(root: Path, scratch: Path) -> Iterator[tuple[str, str]]:
    """A Jupyter server (with nbgrader's formgrader) in the course folder `root`: `(base url, token)`.

    The server is its own process group, stopped at the end whatever happened.
    """
    port, token = free_port(), secrets.token_hex(16)
    env = course.nbgrader_env()
    env.update(JUPYTER_CONFIG_DIR=str(scratch / "config"), JUPYTER_RUNTIME_DIR=str(scratch / "runtime"))
    log_path = scratch / "server.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyter",
                "server",
                "--no-browser",
                "--ip=127.0.0.1",
                f"--port={port}",
                "--ServerApp.port_retries=0",
                "--ServerApp.allow_root=True",
                f"--IdentityProvider.token={token}",
                f"--ServerApp.root_dir={root}",
            ],
            cwd=root,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if server.poll() is not None:
                pytest.fail(f"the Jupyter server stopped:\n{log_path.read_text()[-3000:]}")
            if time.monotonic() > deadline:
                pytest.fail(
                    f"the Jupyter server did not answer in {STARTUP_SECONDS} s:\n"
                    f"{log_path.read_text()[-3000:]}"
                )
            request = urllib.request.Request(
                f"{base}/api/status", headers={"Authorization": f"token {token}"}
            )
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        yield base, token
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


@contextlib.contextmanager
def offline_browser(profile: Path, local: str = "file://") -> Iterator[tuple[object, list]]:
    """A headless Chromium context that may load only URLs starting with `local` (a server's base
    URL, or `file://`): `(context, requests)`, where `requests` lists `(method, url)` of every
    request any page made, refused or not."""
    sync_api = browser_or_skip()
    requests: list[tuple[str, str]] = []
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
        )
        try:
            context.on("request", lambda request: requests.append((request.method, request.url)))
            # Nothing but the local pages: they would otherwise ask CDNs for MathJax.
            context.route(
                "**/*",
                lambda route: route.continue_() if route.request.url.startswith(local) else route.abort(),
            )
            yield context, requests
        finally:
            context.close()
