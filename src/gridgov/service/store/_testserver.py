"""A throwaway PostgreSQL server for the store's tests and benchmark (not for production).

:func:`throwaway_postgres` finds ``initdb`` and ``pg_ctl`` (``/usr/lib/postgresql/*/bin``
or the PATH), creates a cluster in a temporary directory, starts it listening only on a
Unix socket in that directory (no TCP) on a free port number, yields its URL and stops it.
initdb refuses to run as root, so as root the cluster belongs to a system user
``gridgov-pg`` (created if missing) and the server runs as that user (``runuser``).
Failures raise ``RuntimeError`` with the server's own message: callers fail, never skip.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PG_USER = "gridgov-pg"
_numbers = itertools.count()


def pg_bin(name: str) -> str:
    """The newest installed PostgreSQL's ``name`` program."""
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)
    path = str(found[0]) if found else shutil.which(name)
    if path is None:
        raise RuntimeError(
            f"PostgreSQL's {name} not found: run `python3 tasks.py test` (it installs the "
            "Debian postgresql package) or `apt-get install -y postgresql`"
        )
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _as_owner(args: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return args
    if subprocess.run(["id", PG_USER], capture_output=True, check=False).returncode != 0:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", PG_USER],
            check=True,
            capture_output=True,
        )
    return ["runuser", "-u", PG_USER, "--", *args]


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """A running PostgreSQL server; yields a libpq URL of its ``postgres`` database."""
    base = Path(tempfile.mkdtemp(prefix="gridgov-pg-"))
    data, sock, log = base / "data", base / "sock", base / "log"
    sock.mkdir()
    owner = _as_owner([])
    if owner:
        shutil.chown(base, PG_USER)
        shutil.chown(sock, PG_USER)
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    try:
        initdb, pg_ctl = pg_bin("initdb"), pg_bin("pg_ctl")
        cmd = [initdb, "-D", str(data), "-U", PG_USER, "--auth=trust", "-E", "UTF8"]
        run = subprocess.run(_as_owner(cmd), capture_output=True, text=True, check=False, env=env)
        if run.returncode != 0:
            raise RuntimeError(f"initdb failed: {run.stderr}")
        port = _free_port()
        options = f"-c listen_addresses='' -k {sock} -p {port} -c max_connections=50"
        cmd = [pg_ctl, "-D", str(data), "-o", options, "-l", str(log), "-w", "start"]
        run = subprocess.run(_as_owner(cmd), capture_output=True, text=True, check=False, env=env)
        if run.returncode != 0:
            text = log.read_text(errors="replace") if log.exists() else ""
            raise RuntimeError(f"PostgreSQL did not start: {run.stderr}\n{text}")
        try:
            yield f"postgresql://{PG_USER}@/postgres?host={sock}&port={port}"
        finally:
            subprocess.run(
                _as_owner([pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"]),
                capture_output=True,
                check=False,
            )
    finally:
        shutil.rmtree(base, ignore_errors=True)


def fresh_database(server: str) -> str:
    """A new empty database on ``server`` (a URL of its ``postgres`` database); its URL."""
    import psycopg

    name = f"t{os.getpid()}_{next(_numbers)}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')  # name: digits and underscores only
    return server.replace("/postgres?", f"/{name}?")
