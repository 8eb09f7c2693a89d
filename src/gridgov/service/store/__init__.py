"""A durable case store: the event log in SQLite (one machine) or PostgreSQL (a city).

>>> from gridgov.service.store import open_store
>>> store = open_store("sqlite:///:memory:")   # a file: open_store("sqlite:///cases.db")
>>> from gridgov.service.sample import sample_log
>>> store.append(sample_log(["whistle"], cases=3, seed=1)).added > 0
True

URLs
----
* ``sqlite:///relative/cases.db``, ``sqlite:////absolute/cases.db`` (SQLAlchemy's
  spelling), or a plain path; ``sqlite:///:memory:`` for a throwaway store;
* ``postgresql://user:password@host:port/dbname`` (any libpq URL; ``postgresql+psycopg://``
  is accepted too), needs ``pip install gridgov[postgres]``;
* no URL: :func:`default_store_url` — ``cases.db`` beside the data it belongs to (``near``,
  a structure file or its folder), else ``.gridgov/cases.db`` in the current directory.
  Never a temporary directory.

Guarantees
----------
Both backends give the same ones (the contract tests run on both):

**Durable once returned.** :meth:`append` returns after the transaction has committed.
SQLite runs in WAL mode with ``synchronous=FULL``: each commit fsyncs the write-ahead log
before returning. With ``synchronous=NORMAL`` a WAL commit is written but synced only at the
next checkpoint, so an append that returned could vanish after a power cut or an OS crash
(it survives a crash of the process only); FULL closes that gap. PostgreSQL commits with its
default ``synchronous_commit=on`` (the WAL record is flushed before the commit returns).

**All or nothing.** A batch is one transaction: after a crash it is wholly present or wholly
absent. A refused batch writes nothing.

**Idempotent by event id.** Events already stored with the same id and the same content are
skipped (a retried batch never duplicates; :class:`AppendResult` counts them); the same id
with other content is refused (``conflicting-event``).

**The state machine at write time.** Each event must be an activity of its case's template,
allowed from the case's current state and fired in one of its roles, with the case's
properties unchanged and time not going back (codes ``unknown-template``,
``unknown-activity``, ``forbidden-transition``, ``forbidden-role``, ``case-mismatch``,
``time-goes-back``, each with the reason). The check reads the case's row under the
database's lock — SQLite ``BEGIN IMMEDIATE`` (the one write lock, taken before reading),
PostgreSQL ``SELECT … FOR UPDATE`` on the case rows in ``case_id`` order (and the primary key
for a case two writers open at once) — so two writers can never both close a case: the
second sees the end state and is refused.

**Append-only.** Events are never updated or deleted: triggers refuse ``UPDATE`` and
``DELETE`` (and ``TRUNCATE`` on PostgreSQL) on ``events``; a correction is a new event.

**Busy, not stuck.** A writer waiting for the lock retries with jittered exponential
backoff for ``timeout`` seconds, then raises :class:`~gridgov.errors.StoreError` ``busy``;
``database is locked`` never escapes untyped. Every failure is a ``StoreError`` with a code:
``bad-url``, ``not-a-store``, ``too-new``, ``read-only``, ``disk-full``, ``cannot-connect``
…, and the store opens again afterwards.

Design notes
------------
Schema versions and migrations are in :mod:`gridgov.service.store._schema` (a version row
in ``gridgov_store`` and one function per step, run in the write transaction). Alembic was
not used: it brings SQLAlchemy, Mako and a script directory with ``env.py`` for two tables,
and cannot express the SQLite-specific pieces (``application_id``, WAL) any better. The SQL
is small and written per dialect where it matters (``BEGIN IMMEDIATE``, ``FOR UPDATE``,
``COPY``, triggers), so the drivers are used directly: the standard library's ``sqlite3``
(nothing to install, ``import gridgov`` stays fast) and psycopg 3. Timestamps are stored as
UTC microseconds in a 64-bit integer on both backends (exact, and cheap to compare).

Rates are computed from the events read in batches by the same polars code as in memory
(:func:`gridgov.service.case_table.cases`), not in SQL: a rate needs each case's deadline
in working time (holidays, 调休, office hours, pauses), which SQL cannot compute without
copying the calendar into the database. Reading is the cost, so it is made cheap where the
driver allows: only the nine columns the case table needs are read, and PostgreSQL sends each
batch as CSV through ``COPY … TO STDOUT`` for polars to parse. ``bench/bench_store.py``
measures it against the in-memory rates: on 1 M events PostgreSQL stays within 3x; SQLite,
whose Python driver builds one object per value, does not (see the benchmark's output).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, Self, runtime_checkable

from gridgov.service.store._common import AppendResult, fail
from gridgov.service.store._schema import STORE_VERSION

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

    from gridgov.org.structure import Structure
    from gridgov.service.log import Case
    from gridgov.service.workflow import Template

__all__ = [
    "STORE_VERSION",
    "AppendResult",
    "CaseStore",
    "default_store_url",
    "open_store",
]


@runtime_checkable
class CaseStore(Protocol):
    """What every store offers (:class:`SqliteStore` and :class:`PostgresStore`)."""

    url: str

    @property
    def schema_version(self) -> int:
        """The store's schema version."""

    def append(
        self, events: pl.DataFrame | Mapping[str, Any] | Sequence[Mapping[str, Any]]
    ) -> AppendResult:
        """Append one event or a batch in one transaction."""

    def count(self) -> int:
        """Number of events stored."""

    def case(self, case_id: str) -> Case:
        """One case with its events."""

    def iter_events(
        self,
        *,
        start: dt.datetime | dt.date | None = None,
        end: dt.datetime | dt.date | None = None,
        area: str | Sequence[str] | None = None,
        template: str | Sequence[str] | None = None,
        case_id: str | Sequence[str] | None = None,
        batch_size: int = 100_000,
        timezone: str = ...,
    ) -> Iterator[pl.DataFrame]:
        """Events by period, area, template or case, in batches."""

    def events(self, **filters: Any) -> pl.DataFrame:
        """Events by period, area, template or case, as one frame."""

    def open_cases(
        self,
        *,
        as_of: dt.datetime | None = None,
        calendar: Any = None,
        overdue: bool = False,
        area: str | Sequence[str] | None = None,
        template: str | Sequence[str] | None = None,
    ) -> pl.DataFrame:
        """Cases not in an end state, with their due time."""

    def rates(
        self,
        rate: str,
        *,
        by: str | None = None,
        period: str | None = "month",
        template: str | Sequence[str] | None = None,
        structure: Structure | None = None,
        calendar: Any = None,
        as_of: dt.datetime | None = None,
    ) -> pl.DataFrame:
        """One rate of :mod:`gridgov.service.rates` over the stored events."""

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run one SQL statement (``?`` placeholders)."""

    def close(self) -> None:
        """Close the store."""

    def __enter__(self) -> Self:
        """The store itself; closed on leaving the block."""

    def __exit__(self, *exc: object) -> None:
        """Close the store."""


def default_store_url(near: str | Path | None = None) -> str:
    """The store used when no URL is given: a ``cases.db`` file beside the user's data.

    ``near`` is a data file (a structure file) or a folder: the store is ``cases.db`` in
    that file's folder (or in that folder). Without ``near``: ``.gridgov/cases.db`` under the
    current directory.

    Examples
    --------
    >>> default_store_url("/data/youyi/structure.toml")
    'sqlite:////data/youyi/cases.db'
    """
    if near is None:
        path = Path.cwd() / ".gridgov" / "cases.db"
    else:
        given = Path(near).expanduser().absolute()
        folder = given if given.is_dir() or not given.suffix else given.parent
        path = folder / "cases.db"
    return f"sqlite:///{path}"


def open_store(
    url: str | Path | None = None,
    *,
    near: str | Path | None = None,
    templates: Mapping[str, Template] | Sequence[Template] | None = None,
    timeout: float = 30.0,
    read_only: bool = False,
) -> CaseStore:
    """Open (creating or migrating it if needed) the case store at ``url``.

    Parameters
    ----------
    url
        ``sqlite:///…``, ``postgresql://…`` or a path (see the module docstring); ``None``:
        :func:`default_store_url` of ``near``.
    templates
        Workflow templates by name (or a sequence of templates) for the write-time checks;
        templates not given are the shipped ones (:func:`~gridgov.service.load_template`).
    timeout
        Seconds a writer keeps retrying while the store is locked before ``busy``.
    read_only
        Open an SQLite file for queries only (a read-only file needs it).

    Raises
    ------
    gridgov.errors.StoreError
        ``bad-url``, ``not-a-store``, ``too-new``, ``read-only``, ``cannot-connect`` …
    """
    text = default_store_url(near) if url is None else str(url)
    known = None
    if templates is not None:
        known = (
            dict(templates) if isinstance(templates, Mapping) else {t.name: t for t in templates}
        )
    scheme, sep, rest = text.partition("://")
    if not sep:
        if not text.strip():
            raise fail(text, "bad-url", "<url>", "an empty store URL; 案件库地址为空")
        scheme, rest = "sqlite", "/" + str(Path(text).expanduser().absolute())
    scheme = scheme.lower()
    if scheme == "sqlite":
        path = rest[1:] if rest.startswith("/") else ""
        if not path or "?" in path:
            raise fail(
                text,
                "bad-url",
                "<url>",
                "an SQLite URL is sqlite:///relative/path.db or sqlite:////absolute/path.db; "
                "案件库地址格式错误",
            )
        from gridgov.service.store._sqlite import SqliteStore

        return SqliteStore(text, path, templates=known, timeout=timeout, read_only=read_only)
    if scheme in {"postgresql", "postgres", "postgresql+psycopg"}:
        if read_only:
            raise fail(text, "bad-url", "<url>", "read_only is for SQLite files; use a role")
        from gridgov.service.store._postgres import PostgresStore

        return PostgresStore(text, templates=known, timeout=timeout)
    raise fail(
        text.split("@")[-1],
        "bad-url",
        "<url>",
        f"unknown store scheme {scheme!r}: use sqlite:/// or postgresql://; 不支持的地址",
    )
