"""The embedded backend: one SQLite file, WAL journal, ``synchronous=FULL``, stdlib ``sqlite3``."""

from __future__ import annotations

import json
import sqlite3
import stat
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gridgov.service.schema import EVENT_COLUMNS
from gridgov.service.store._base import _CASE_SELECT, SqlStore
from gridgov.service.store._common import (
    CASE_ROW_COLUMNS,
    ROW_COLUMNS,
    CaseRow,
    fail,
    retry,
)
from gridgov.service.store._schema import (
    APPLICATION,
    APPLICATION_ID,
    SCHEMA,
    STORE_VERSION,
    sqlite_script,
    statements,
)

if TYPE_CHECKING:  # pragma: no cover
    from gridgov.service.workflow import Template

_EVENT_INSERT = (
    f"INSERT INTO events ({', '.join(ROW_COLUMNS)}) VALUES ({', '.join('?' * len(ROW_COLUMNS))})"
)
_CASE_INSERT = (
    f"INSERT INTO cases ({', '.join(CASE_ROW_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(CASE_ROW_COLUMNS))})"
)
_CASE_UPDATE = (
    "UPDATE cases SET state = ?, last = ?, ended = ?, events = events + ? WHERE case_id = ?"
)


def _transient(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and (
        "locked" in str(exc) or "busy" in str(exc)
    )


class SqliteStore(SqlStore):
    """A case store in one SQLite file (see :mod:`gridgov.service.store`)."""

    def __init__(
        self,
        url: str,
        path: str,
        *,
        templates: Mapping[str, Template] | None = None,
        timeout: float = 30.0,
        read_only: bool = False,
    ) -> None:
        super().__init__(url, templates=templates, timeout=timeout)
        self.path = path
        self.read_only = read_only
        memory = path == ":memory:"
        if not memory:
            file = Path(path)
            if file.is_dir():
                raise fail(
                    url, "not-a-store", path, "is a directory, not a store file; 不是案件库文件"
                )
            if file.exists() and not read_only and not file.stat().st_mode & _WRITABLE:
                raise fail(
                    url,
                    "read-only",
                    path,
                    "the file is read-only; open it with read_only=True to query it; 文件只读",
                )
            if not file.exists():
                if read_only:
                    raise fail(url, "no-store", path, "no such store file; 案件库不存在")
                try:
                    file.parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise fail(
                        url, "cannot-open", path, f"cannot create its folder: {exc}"
                    ) from exc
        target = f"file:{path}?mode=ro" if read_only else path
        try:
            self._conn = sqlite3.connect(
                target,
                uri=read_only,
                timeout=min(timeout, 1.0),
                isolation_level=None,
                check_same_thread=False,
            )
        except sqlite3.Error as exc:
            raise fail(url, "cannot-open", path, f"cannot open: {exc}") from exc
        try:
            self._setup(memory)
        except BaseException:
            self._conn.close()
            raise

    # -- opening --------------------------------------------------------------------------------
    def _setup(self, memory: bool) -> None:
        conn = self._conn
        try:
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if not self.read_only and not memory:
                # WAL: readers never block the writer; FULL: every commit fsyncs the WAL
                mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
                if mode != "wal":
                    raise fail(self.url, "cannot-open", self.path, f"WAL mode refused ({mode})")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) and _transient(exc):
                raise fail(
                    self.url, "busy", self.path, f"locked by another process: {exc}"
                ) from exc
            raise fail(
                self.url,
                "not-a-store",
                self.path,
                f"not a SQLite database, so not a gridgov case store ({exc}); 不是案件库",
            ) from exc
        version = self._version(tables)
        if version == STORE_VERSION:
            return
        if self.read_only:
            raise fail(
                self.url,
                "read-only",
                self.path,
                f"store version {version} needs migrating to {STORE_VERSION}, "
                "which a read-only store cannot do; 只读案件库无法升级",
            )
        from gridgov.service.store._schema import migrate_sqlite

        self._write(lambda cur: migrate_sqlite(self, cur, version))

    def _version(self, tables: set[str]) -> int | None:
        """The schema version; ``None`` for an empty file, which becomes a new store."""
        conn = self._conn
        if SCHEMA in tables:
            meta = dict(conn.execute(f"SELECT key, value FROM {SCHEMA}").fetchall())
            if meta.get("application") != APPLICATION:
                raise fail(
                    self.url, "not-a-store", self.path, "not a gridgov case store; 不是案件库"
                )
            version = int(meta.get("version", "-1"))
            if version > STORE_VERSION:
                raise fail(
                    self.url,
                    "too-new",
                    self.path,
                    f"store version {version} was written by a newer gridgov (this one knows "
                    f"up to {STORE_VERSION}); upgrade gridgov; 案件库版本较新, 请升级 gridgov",
                )
            return version
        if not tables:
            return None
        if tables == {"events"}:
            columns = tuple(r[1] for r in conn.execute("PRAGMA table_info(events)"))
            if columns == EVENT_COLUMNS:
                return 0
        raise fail(
            self.url,
            "not-a-store",
            self.path,
            f"a SQLite database with tables {', '.join(sorted(tables))}, "
            "not a gridgov case store; 不是案件库",
        )

    @property
    def schema_version(self) -> int:
        """The store's schema version (:data:`STORE_VERSION` once open)."""
        return int(
            self._conn.execute(f"SELECT value FROM {SCHEMA} WHERE key='version'").fetchone()[0]
        )

    def create(self, cur: sqlite3.Cursor) -> None:
        """Create the current schema (used by the migrations)."""
        for statement in statements(sqlite_script()):  # executescript would commit first
            cur.execute(statement)
        cur.execute(f"PRAGMA application_id={APPLICATION_ID}")

    def close(self) -> None:
        """Close the connection (committed appends are already durable)."""
        self._conn.close()

    # -- transactions ---------------------------------------------------------------------------
    def _write(self, work: Callable[[sqlite3.Cursor], Any]) -> Any:
        if self.read_only:
            raise fail(self.url, "read-only", self.path, "opened read-only; 只读打开")

        def attempt() -> Any:
            cur = self._conn.cursor()
            cur.execute("BEGIN IMMEDIATE")  # the write lock, taken before anything is read
            try:
                result = work(cur)
                cur.execute("COMMIT")
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.rollback()
                raise
            return result

        try:
            return retry(attempt, transient=_transient, timeout=self.timeout, store=self.url)
        except sqlite3.Error as exc:
            raise self._typed(exc) from exc

    def _typed(self, exc: sqlite3.Error) -> Exception:
        text = str(exc)
        code = getattr(exc, "sqlite_errorcode", None)
        if code == sqlite3.SQLITE_FULL or "full" in text:
            return fail(
                self.url,
                "disk-full",
                self.path,
                f"the disk is full, nothing written ({text}); 磁盘已满",
            )
        if "readonly" in text or code == sqlite3.SQLITE_READONLY:
            return fail(self.url, "read-only", self.path, f"cannot write ({text}); 只读")
        if "append-only" in text:
            return fail(self.url, "append-only", self.path, f"{text}; 事件只增不改")
        return fail(self.url, "database-error", self.path, f"{type(exc).__name__}: {text}")

    def _read(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        try:
            return retry(
                lambda: self._conn.execute(sql, tuple(params)).fetchall(),
                transient=_transient,
                timeout=self.timeout,
                store=self.url,
            )
        except sqlite3.Error as exc:
            raise self._typed(exc) from exc

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run one SQL statement outside any append (for checks such as ``integrity_check``)."""
        return self._read(sql, params)

    # -- the append steps -----------------------------------------------------------------------
    def _stored(self, cur: Any, ids: list[str]) -> dict[str, tuple[Any, ...]]:
        found: dict[str, tuple[Any, ...]] = {}
        sql = (
            f"SELECT {', '.join(ROW_COLUMNS)} FROM events "
            "WHERE event_id IN (SELECT value FROM json_each(?))"
        )
        for i in range(0, len(ids), 50_000):
            for row in cur.execute(sql, (json.dumps(ids[i : i + 50_000]),)):
                found[row[0]] = row
        return found

    def _lock_cases(self, cur: Any, ids: list[str]) -> dict[str, CaseRow]:
        # BEGIN IMMEDIATE already holds the database's single write lock
        sql = f"{_CASE_SELECT} WHERE case_id IN (SELECT value FROM json_each(?))"
        out: dict[str, CaseRow] = {}
        for i in range(0, len(ids), 50_000):
            for r in cur.execute(sql, (json.dumps(ids[i : i + 50_000]),)):
                out[r[0]] = CaseRow.stored(r)
        return out

    def _insert(self, cur: Any, rows: list[tuple[Any, ...]], cases: list[CaseRow]) -> None:
        cur.executemany(_EVENT_INSERT, rows)
        cur.executemany(_CASE_INSERT, [c.values() for c in cases if c.new])
        cur.executemany(
            _CASE_UPDATE,
            [(c.state, c.last, int(c.ended), c.events, c.case_id) for c in cases if not c.new],
        )


_WRITABLE = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
