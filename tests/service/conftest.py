"""A throwaway PostgreSQL server for the store's contract tests (and the SQLite twin).

The session fixture starts a real server in a temporary directory, listening only on a Unix
socket there (``gridgov.service.store._testserver``), and stops it at the end. If it cannot
start the tests FAIL — they never skip: ``python3 tasks.py test`` installs the Debian
``postgresql`` package first.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from gridgov.service.store._testserver import fresh_database, throwaway_postgres


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A running PostgreSQL server; yields a libpq URL of its ``postgres`` database."""
    try:
        server = throwaway_postgres()
        url = server.__enter__()
    except RuntimeError as exc:
        pytest.fail(str(exc))
    try:
        yield url
    finally:
        server.__exit__(None, None, None)


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
