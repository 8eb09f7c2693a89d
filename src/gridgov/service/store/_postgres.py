"""The server backend: PostgreSQL through psycopg 3 (``pip install gridgov[postgres]``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from gridgov.errors import missing_extra
from gridgov.service.schema import event_schema
from gridgov.service.store._base import _CASE_SELECT, LookUpFirstError, SqlStore
from gridgov.service.store._common import (
    CASE_ROW_COLUMNS,
    ROW_COLUMNS,
    CaseRow,
    fail,
    from_utc_us,
    retry,
)
from gridgov.service.store._schema import APPLICATION, SCHEMA, STORE_VERSION, postgres_script

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl
    import psycopg

    from gridgov.service.workflow import Template

#: Key of the advisory lock taken while a schema is created or migrated ('GGCS').
_SCHEMA_LOCK = 0x47474353
_CASE_UPDATE = (
    "UPDATE cases SET state = u.state, last = u.last, ended = u.ended, "
    "events = cases.events + u.n FROM unnest(%s::text[], %s::text[], %s::bigint[], "
    "%s::smallint[], %s::bigint[]) AS u(case_id, state, last, ended, n) "
    "WHERE cases.case_id = u.case_id"
)


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError as exc:
        raise missing_extra("psycopg", "postgres", "a PostgreSQL case store") from exc
    return psycopg


def _transient(exc: BaseException) -> bool:
    import psycopg.errors as e

    if isinstance(exc, (e.UniqueViolation, LookUpFirstError)):
        # a concurrent writer stored the same event or opened the same case first: the
        # retry reads what it committed (a duplicate, or a case row to lock)
        return True
    return isinstance(exc, (e.DeadlockDetected, e.SerializationFailure, e.LockNotAvailable))


class PostgresStore(SqlStore):
    """A case store in a PostgreSQL database (see :mod:`gridgov.service.store`)."""

    optimistic = True

    def __init__(
        self,
        url: str,
        *,
        templates: Mapping[str, Template] | None = None,
        timeout: float = 30.0,
    ) -> None:
        super().__init__(url, templates=templates, timeout=timeout)
        pg = _psycopg()
        conninfo = url.replace("postgresql+psycopg://", "postgresql://", 1)
        try:
            self._conn: psycopg.Connection[Any] = pg.connect(
                conninfo, autocommit=True, connect_timeout=max(1, int(timeout))
            )
        except pg.Error as exc:
            raise fail(
                self._safe, "cannot-connect", "<server>", f"cannot connect: {exc}; 无法连接数据库"
            ) from exc
        try:
            self._setup()
        except BaseException:
            self._conn.close()
            raise

    @property
    def _safe(self) -> str:
        """The URL without its password."""
        head, at, tail = self.url.rpartition("@")
        if not at:
            return self.url
        scheme, _, userinfo = head.partition("://")
        return f"{scheme}://{userinfo.split(':')[0]}@{tail}"

    def __repr__(self) -> str:
        return f"PostgresStore({self._safe!r})"

    def _setup(self) -> None:
        tables = {
            r[0]
            for r in self._read(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()", ()
            )
        }
        if SCHEMA not in tables:
            clash = tables & {"events", "cases"}
            if clash:
                raise fail(
                    self._safe,
                    "not-a-store",
                    "<server>",
                    f"the database has tables {', '.join(sorted(clash))} but is not a gridgov "
                    "case store; 不是案件库",
                )

            def create(cur: Any) -> None:
                cur.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
                cur.execute(
                    "SELECT 1 FROM pg_tables "
                    "WHERE schemaname = current_schema() AND tablename = %s",
                    (SCHEMA,),
                )
                if cur.fetchone() is None:
                    cur.execute(postgres_script())

            self._write(create)
        meta = dict(self._read(f"SELECT key, value FROM {SCHEMA}", ()))
        if meta.get("application") != APPLICATION:
            raise fail(
                self._safe, "not-a-store", "<server>", "not a gridgov case store; 不是案件库"
            )
        version = int(meta.get("version", "-1"))
        if version != STORE_VERSION:
            raise fail(
                self._safe,
                "too-new" if version > STORE_VERSION else "cannot-migrate",
                "<server>",
                f"store version {version}; this gridgov reads version {STORE_VERSION}",
            )

    @property
    def schema_version(self) -> int:
        """The store's schema version."""
        return int(self._read(f"SELECT value FROM {SCHEMA} WHERE key = 'version'", ())[0][0])

    def close(self) -> None:
        """Close the connection (committed appends are already durable)."""
        self._conn.close()

    # -- transactions ---------------------------------------------------------------------------
    def _write(self, work: Callable[[Any], Any]) -> Any:
        pg = _psycopg()

        def attempt() -> Any:
            with self._conn.transaction(), self._conn.cursor() as cur:
                return work(cur)

        try:
            return retry(attempt, transient=_transient, timeout=self.timeout, store=self._safe)
        except pg.Error as exc:
            raise self._typed(exc) from exc

    def _typed(self, exc: Exception) -> Exception:
        import psycopg.errors as e

        text = str(exc).strip()
        if isinstance(exc, e.DiskFull):
            return fail(self._safe, "disk-full", "<server>", f"the disk is full ({text}); 磁盘已满")
        if isinstance(exc, (e.ReadOnlySqlTransaction, e.InsufficientPrivilege)):
            return fail(self._safe, "read-only", "<server>", f"cannot write ({text}); 只读")
        if "append-only" in text:
            return fail(self._safe, "append-only", "<server>", f"{text}; 事件只增不改")
        if isinstance(exc, e.OperationalError):
            return fail(self._safe, "cannot-connect", "<server>", f"connection lost: {text}")
        return fail(self._safe, "database-error", "<server>", f"{type(exc).__name__}: {text}")

    def _read(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        pg = _psycopg()
        try:
            with self._conn.cursor() as cur:
                cur.execute(sql.replace("?", "%s"), tuple(params))
                return list(cur.fetchall())
        except pg.Error as exc:
            raise self._typed(exc) from exc

    def _frames(
        self,
        names: Sequence[str],
        where: str,
        params: Sequence[Any],
        batch_size: int,
        timezone: str,
    ) -> Iterator[pl.DataFrame]:
        """As the base class, but each batch travels as CSV through ``COPY … TO STDOUT``.

        polars parses the CSV in Rust: no Python object per value, several times faster than
        fetching rows. Values are bound client-side (``psycopg.sql.Literal``), as COPY takes
        no server-side parameters.
        """
        import polars as pl
        from psycopg import sql

        pg = _psycopg()
        schema = event_schema(timezone)
        raw = {
            "seq": pl.Int64(),
            **{n: pl.Int64() if n == "timestamp" else schema[n] for n in names},
        }
        columns = ", ".join("ts" if n == "timestamp" else n for n in names)
        text = (
            f"COPY (SELECT seq, {columns} FROM events WHERE seq > ?{where} ORDER BY seq LIMIT ?) "
            "TO STDOUT WITH (FORMAT csv)"
        )
        last = 0
        while True:
            query = sql.SQL(text.replace("?", "{}")).format(
                *(sql.Literal(v) for v in (last, *params, batch_size))
            )
            buffer = bytearray()
            try:
                with self._conn.cursor() as cur, cur.copy(query) as copy:
                    for chunk in copy:
                        buffer += chunk
            except pg.Error as exc:
                raise self._typed(exc) from exc
            if not buffer:
                return
            frame = pl.read_csv(bytes(buffer), has_header=False, schema=raw)
            last = int(frame["seq"][-1])
            yield from_utc_us(frame.drop("seq"), timezone)
            if frame.height < batch_size:
                return

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run one SQL statement outside any append (``?`` placeholders)."""
        return self._read(sql, params)

    # -- the append steps -----------------------------------------------------------------------
    def _stored(self, cur: Any, ids: list[str]) -> dict[str, tuple[Any, ...]]:
        cur.execute(f"SELECT {', '.join(ROW_COLUMNS)} FROM events WHERE event_id = ANY(%s)", (ids,))
        return {r[0]: r for r in cur.fetchall()}

    def _lock_cases(self, cur: Any, ids: list[str]) -> dict[str, CaseRow]:
        # row locks in case_id order: two writers touching the same cases queue, never deadlock
        cur.execute(f"{_CASE_SELECT} WHERE case_id = ANY(%s) ORDER BY case_id FOR UPDATE", (ids,))
        return {r[0]: CaseRow.stored(r) for r in cur.fetchall()}

    def _insert(self, cur: Any, rows: list[tuple[Any, ...]], cases: list[CaseRow]) -> None:
        new = sorted((c for c in cases if c.new), key=lambda c: c.case_id)
        if new:
            with cur.copy(f"COPY cases ({', '.join(CASE_ROW_COLUMNS)}) FROM STDIN") as copy:
                for case in new:
                    copy.write_row(case.values())
        old = [c for c in cases if not c.new]
        if old:
            cur.execute(
                _CASE_UPDATE,
                (
                    [c.case_id for c in old],
                    [c.state for c in old],
                    [c.last for c in old],
                    [int(c.ended) for c in old],
                    [c.events for c in old],
                ),
            )
        with cur.copy(f"COPY events ({', '.join(ROW_COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
