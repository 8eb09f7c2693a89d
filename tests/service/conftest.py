"""A throwaway PostgreSQL server for the store's contract tests (and the SQLite twin).

The session fixture finds ``initdb`` and ``pg_ctl`` (``/usr/lib/postgresql/*/bin`` or the
PATH), creates a cluster in a temporary directory, starts it listening only on a Unix socket
in that directory on a free port, and stops it at the end. initdb refuses to run as root, so
as root the cluster belongs to a system user ``gridgov-pg`` (created if missing). If the
server cannot start the tests FAIL — they never skip: ``python3 tasks.py test`` installs the
Debian ``postgresql`` package first.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

PG_USER = "gridgov-pg"


def _pg_bin(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)
    path = str(found[0]) if found else shutil.which(name)
    if path is None:
        pytest.fail(
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


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A running PostgreSQL server; yields a libpq URL of its ``postgres`` database."""
    base = Path(tempfile.mkdtemp(prefix="gridgov-pg-"))
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    if os.geteuid() == 0:
        _as_owner(["true"])  # creates the user
        shutil.chown(base, PG_USER)
        shutil.chown(sock, PG_USER)
    port = _free_port()
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    run = subprocess.run(
        _as_owner([initdb, "-D", str(data), "-U", PG_USER, "--auth=trust", "-E", "UTF8"]),
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    if run.returncode != 0:
        pytest.fail(f"initdb failed: {run.stderr}")
    options = f"-c listen_addresses='' -k {sock} -p {port} -c max_connections=50"
    run = subprocess.run(
        _as_owner([pg_ctl, "-D", str(data), "-o", options, "-l", str(base / "log"), "-w", "start"]),
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    if run.returncode != 0:
        log = (base / "log").read_text(errors="replace") if (base / "log").exists() else ""
        pytest.fail(f"PostgreSQL did not start: {run.stderr}\n{log}")
    try:
        yield f"postgresql://{PG_USER}@/postgres?host={sock}&port={port}"
    finally:
        subprocess.run(
            _as_owner([pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"]),
            capture_output=True,
            check=False,
        )
        shutil.rmtree(base, ignore_errors=True)


_numbers = itertools.count()


def fresh_database(server: str) -> str:
    """A new empty database on ``server``; its URL."""
    import psycopg

    name = f"t{os.getpid()}_{next(_numbers)}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return server.replace("/postgres?", f"/{name}?")


@pytest.fixture(params=["sqlite", "postgresql"])
def new_store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], str]:
    """A maker of URLs of new, empty stores, on each backend in turn."""
    numbers = itertools.count()
    if request.param == "sqlite":
        return lambda: f"sqlite:///{tmp_path / f'cases{next(numbers)}.db'}"
    server: str = request.getfixturevalue("pg_server")
    return lambda: fresh_database(server)


@pytest.fixture
def store_url(new_store_url: Callable[[], str]) -> str:
    """The URL of a new, empty store on each backend."""
    return new_store_url()
