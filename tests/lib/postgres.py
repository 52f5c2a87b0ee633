"""A real, throwaway PostgreSQL cluster for the tests (Debian's `postgresql`), or the server the environment names.

`POSTDESK_TEST_DATABASE_URL` (a `postgresql+psycopg://` URL to a database the tests may create schemas in) wins;
otherwise one cluster is made per test session with `initdb` in a temp dir (as the `postgres` user when the
suite runs as root: the server refuses to run as root) and started on a free loopback port with durability off,
since nothing in it must survive. Each test gets its own schema (`search_path` in the URL), which is much
cheaper than a database per test and just as separate.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote

import psycopg

INSTALL_HINT = "PostgreSQL is not installed: sudo apt-get install postgresql (or set POSTDESK_TEST_DATABASE_URL)"
ENV = "POSTDESK_TEST_DATABASE_URL"


def server_bin() -> Path | None:
    """The newest installed server's bin directory (Debian keeps them out of PATH)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


def available() -> bool:
    return bool(os.environ.get(ENV)) or server_bin() is not None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Postgres:
    """One server for the session; `new_url()` hands out an empty schema on it."""

    def __init__(self) -> None:
        self.base_url = os.environ.get(ENV, "")
        self.root: Path | None = None
        self.bin = server_bin()

    def __enter__(self) -> Postgres:
        if not self.base_url:
            self._start_cluster()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.root is not None:
            self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop", check=False)
            shutil.rmtree(self.root, ignore_errors=True)

    # -- the cluster
    def _start_cluster(self) -> None:
        assert self.bin is not None
        self.root = Path(tempfile.mkdtemp(prefix="pd-pg-"))
        self.user = "postgres" if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name
        if os.geteuid() == 0:
            entry = pwd.getpwnam("postgres")
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        port = _free_port()
        self._run("initdb", "-D", str(self.root / "data"), "-A", "trust", "-U", "postdesk", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync", "--no-instructions")
        options = (f"-p {port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300 "
                   "-c shared_buffers=64MB")
        self._run("pg_ctl", "-D", str(self.root / "data"), "-l", str(self.root / "server.log"), "-o", options,
                  "-w", "-t", "60", "start")
        self.base_url = f"postgresql+psycopg://postdesk@127.0.0.1:{port}/postgres"

    def _run(self, tool: str, *args: str, check: bool = True) -> None:
        assert self.bin is not None
        cmd = [str(self.bin / tool), *args]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd="/")
        if check and res.returncode != 0:
            log = (self.root / "server.log") if self.root else None
            extra = log.read_text()[-2000:] if log and log.exists() else ""
            raise RuntimeError(f"{tool} failed ({res.returncode}): {res.stderr or res.stdout}\n{extra}")

    # -- what the tests use
    def _dsn(self) -> str:
        return self.base_url.replace("postgresql+psycopg://", "postgresql://", 1)

    def new_url(self) -> str:
        """A SQLAlchemy URL whose connections live in a fresh, empty schema."""
        schema = "t_" + secrets.token_hex(6)
        with psycopg.connect(self._dsn(), autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        sep = "&" if "?" in self.base_url else "?"
        return f"{self.base_url}{sep}options={quote(f'-csearch_path={schema}')}"

    def drop(self, url: str) -> None:
        schema = url.rsplit("search_path%3D", 1)[-1]
        with contextlib.suppress(psycopg.Error), psycopg.connect(self._dsn(), autocommit=True) as conn:
            conn.execute("SET lock_timeout = '5s'")  # a daemon that still holds a lock must not hang the suite
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
