"""The store's tables, their version, and the migrations from older versions.

Versions:

* **0** — the pre-release layout: a lone ``events`` table with the event schema's columns
  in order, ``timestamp`` as ISO-8601 text, no case table and no version record;
* **1** — ``gridgov_store`` (key/value: ``application``, ``version``, ``event_schema``),
  ``events`` (``seq`` in append order, ``event_id`` unique, ``ts`` in UTC microseconds,
  append-only by triggers) and ``cases`` (one row per case: its properties and where its
  state machine stands, the row that writers lock).

A migration runs in the same write transaction as the version bump, so a store is never
half-migrated; events of an older store are replayed through the same write-time checks as
an append, and a store whose events the templates refuse is not migrated (the error says
which events).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from gridgov.service.schema import EVENT_COLUMNS, SCHEMA_VERSION

if TYPE_CHECKING:  # pragma: no cover
    from gridgov.service.store._sqlite import SqliteStore

#: The store's schema version (not the event schema's, which the store records too).
STORE_VERSION: Final = 1
SCHEMA: Final = "gridgov_store"
APPLICATION: Final = "gridgov case store"
#: SQLite ``PRAGMA application_id`` ('GGCS'), so ``file(1)`` can tell a store from other files.
APPLICATION_ID: Final = 0x47474353

_TEXT = "TEXT"


def _tables(text: str, integer: str, seq: str) -> str:
    return f"""
CREATE TABLE {SCHEMA} (key {text} PRIMARY KEY, value {text} NOT NULL);
INSERT INTO {SCHEMA} (key, value) VALUES
    ('application', '{APPLICATION}'),
    ('version', '{STORE_VERSION}'),
    ('event_schema', '{SCHEMA_VERSION}');
CREATE TABLE events (
    seq {seq},
    event_id {text} NOT NULL UNIQUE,
    case_id {text} NOT NULL,
    template {text} NOT NULL,
    kind {text} NOT NULL,
    urgency {text} NOT NULL,
    area {text} NOT NULL,
    activity {text} NOT NULL,
    ts {integer} NOT NULL,
    actor {text} NOT NULL,
    role {text} NOT NULL,
    target {text},
    rating SMALLINT,
    reason {text}
);
CREATE INDEX events_case ON events (case_id, seq);
CREATE INDEX events_ts ON events (ts);
CREATE TABLE cases (
    case_id {text} PRIMARY KEY,
    template {text} NOT NULL,
    kind {text} NOT NULL,
    urgency {text} NOT NULL,
    area {text} NOT NULL,
    state {text} NOT NULL,
    opened {integer} NOT NULL,
    last {integer} NOT NULL,
    ended SMALLINT NOT NULL,
    events {integer} NOT NULL
);
CREATE INDEX cases_open ON cases (ended, template, area);
"""


def sqlite_script() -> str:
    """The current schema for SQLite, with triggers that keep events append-only."""
    return (
        _tables(_TEXT, "INTEGER", "INTEGER PRIMARY KEY")
        + """
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'gridgov: events are append-only; a correction is a new event'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'gridgov: events are append-only; a correction is a new event'); END;
"""
    )


def postgres_script() -> str:
    """The current schema for PostgreSQL, with triggers that keep events append-only."""
    return (
        _tables(_TEXT, "BIGINT", "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY")
        + """
CREATE FUNCTION gridgov_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'gridgov: events are append-only; a correction is a new event';
END $$;
CREATE TRIGGER events_no_change BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION gridgov_append_only();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION gridgov_append_only();
"""
    )


def statements(script: str) -> list[str]:
    """The statements of ``script`` (a trigger's body stays whole)."""
    import sqlite3

    out: list[str] = []
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            out.append(pending.strip())
            pending = ""
    return out


def migrate_sqlite(store: SqliteStore, cur: Any, version: int | None) -> None:
    """Bring an SQLite store from ``version`` (``None``: an empty file) to :data:`STORE_VERSION`.

    Runs inside the store's write transaction: a failure leaves the file as it was.
    """
    if version is None:
        store.create(cur)
        return
    if version == 0:
        _from_0(store, cur)


def _from_0(store: SqliteStore, cur: Any) -> None:
    """Version 0 → 1: timestamps to UTC microseconds, case rows rebuilt by replaying events."""
    import polars as pl

    from gridgov.service.store._common import advance, case_ids, to_rows

    old = cur.execute(f"SELECT {', '.join(EVENT_COLUMNS)} FROM events ORDER BY rowid").fetchall()
    cur.execute("ALTER TABLE events RENAME TO events_v0")
    store.create(cur)
    frame = pl.DataFrame(
        old,
        schema={**dict.fromkeys(EVENT_COLUMNS, pl.String()), "rating": pl.Int64()},
        orient="row",
    ).with_columns(
        pl.col("timestamp").str.to_datetime(time_unit="us", time_zone="UTC"),
        pl.col("rating").cast(pl.Int8),
    )
    rows = to_rows(frame, store.url)
    cases = store._lock_cases(cur, case_ids(rows))
    advance(rows, cases, store._machines, store.url)
    store._insert(cur, rows, [c for c in cases.values() if c.changed])
    cur.execute("DROP TABLE events_v0")
