"""A throwaway PostgreSQL server for the tests: Debian's `postgresql` package, started in a temporary
folder on a random loopback port (as the `postgres` user when run as root: the server refuses root).

`DL_COURSE_TEST_PG` (a SQLAlchemy URL of a server's maintenance database, e.g.
`postgresql+psycopg2://postgres@127.0.0.1:5432/postgres`) makes the tests use that server instead.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

URL_ENV = "DL_COURSE_TEST_PG"


def binaries() -> Path | None:
    """The folder of `initdb` and `pg_ctl` (the newest installed version), or None."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda path: int(Path(path).parent.parent.name)
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A PostgreSQL server in its own folder; `stop()` removes it."""

    def __init__(self) -> None:
        bindir = binaries()
        if bindir is None:
            raise FileNotFoundError("PostgreSQL is not installed (Debian package `postgresql`)")
        self.folder = Path(tempfile.mkdtemp(prefix="test-postgres-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.folder, user.pw_uid, user.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.pg_ctl = [*self.as_user, str(bindir / "pg_ctl"), "-D", str(self.data)]
        subprocess.run(
            [
                *self.as_user,
                str(bindir / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "--no-sync",
                "-E",
                "UTF8",
            ],
            check=True,
            capture_output=True,
        )
        options = (
            f"-k {self.folder} -p {self.port} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        done = subprocess.run(
            [*self.pg_ctl, "-o", options, "-l", str(self.folder / "server.log"), "-w", "-t", "60", "start"],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            log = (self.folder / "server.log").read_text() if (self.folder / "server.log").exists() else ""
            self.stop()
            raise RuntimeError(f"PostgreSQL did not start: {done.stderr}\n{log}")
        self.url = f"postgresql+psycopg2://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        if self.data.exists():
            subprocess.run([*self.pg_ctl, "-m", "immediate", "-w", "stop"], capture_output=True)
        shutil.rmtree(self.folder, ignore_errors=True)


def create_database(server_url: str) -> str:
    """A new empty database on the server at `server_url`; returns its URL."""
    import sqlalchemy

    name = f"course_{uuid.uuid4().hex[:12]}"
    engine = sqlalchemy.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return server_url.rsplit("/", 1)[0] + f"/{name}"


def connections(server_url: str, database: str) -> int:
    """How many connections the server has open to `database` (this query's own not counted)."""
    import sqlalchemy

    engine = sqlalchemy.create_engine(server_url, poolclass=sqlalchemy.pool.NullPool)
    with engine.connect() as conn:
        count = conn.execute(
            sqlalchemy.text("SELECT count(*) FROM pg_stat_activity WHERE datname = :db"), {"db": database}
        ).scalar()
    engine.dispose()
    return int(count)
