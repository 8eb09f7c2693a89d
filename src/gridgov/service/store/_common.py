"""Shared parts of the two backends: rows, the write-time state machine, errors and retries."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import polars as pl

from gridgov.errors import GridgovError, Problem, StoreError
from gridgov.service.schema import EVENT_COLUMNS, TIMEZONE, event_schema
from gridgov.service.workflow import Template, Transition, load_template

T = TypeVar("T")

#: Columns of the ``events`` table, in order: the schema's, with ``timestamp`` stored as
#: ``ts`` (microseconds since 1970-01-01 UTC, a 64-bit integer: exact, and the same on both
#: backends).
ROW_COLUMNS: tuple[str, ...] = tuple("ts" if c == "timestamp" else c for c in EVENT_COLUMNS)
_TS = EVENT_COLUMNS.index("timestamp")
_CASE = EVENT_COLUMNS.index("case_id")
_ID = EVENT_COLUMNS.index("event_id")


def fail(store: str, code: str, location: str, message: str) -> StoreError:
    """A :class:`StoreError` with one problem."""
    return StoreError([Problem(code, location, message)], store=store)


@dataclass(frozen=True, slots=True)
class AppendResult:
    """What an append did: events written, and events already present (a retried batch).

    Examples
    --------
    >>> AppendResult(added=3, duplicates=1)
    AppendResult(added=3, duplicates=1)
    """

    added: int
    duplicates: int


def to_rows(
    events: pl.DataFrame | Mapping[str, Any] | Sequence[Mapping[str, Any]], store: str
) -> list[tuple[Any, ...]]:
    """Rows of ``events`` in the ``events`` table's order (``ts`` in UTC microseconds).

    Raises
    ------
    StoreError
        ``bad-events``: a missing column, a null where the schema forbids one, a naive
        timestamp; every problem at once.
    """
    frame = events if isinstance(events, pl.DataFrame) else pl.DataFrame(events)
    missing = [c for c in EVENT_COLUMNS if c not in frame.columns]
    if missing:
        raise fail(store, "bad-events", "<events>", f"missing column(s) {', '.join(missing)}")
    schema = event_schema()
    problems: list[Problem] = []
    ts = frame.get_column("timestamp")
    if not isinstance(ts.dtype, pl.Datetime) or ts.dtype.time_zone is None:
        problems.append(
            Problem(
                "bad-events",
                "<events>:timestamp",
                f"timestamp must be timezone-aware datetimes, not {ts.dtype}",
            )
        )
    else:
        frame = frame.with_columns(pl.col("timestamp").dt.epoch("us"))
    for name in EVENT_COLUMNS:
        if name == "timestamp":
            continue
        try:
            frame = frame.with_columns(pl.col(name).cast(schema[name], strict=True))
        except (pl.exceptions.PolarsError, TypeError) as exc:
            problems.append(Problem("bad-events", f"<events>:{name}", f"not {schema[name]}: {exc}"))
    if not problems:
        nulls = frame.select(
            pl.col(c).is_null().arg_max().alias(c) for c in EVENT_COLUMNS if c not in _NULLABLE
        ).row(0, named=True)
        for name, first in nulls.items():
            if first is not None and frame.get_column(name)[first] is None:
                problems.append(Problem("bad-events", f"<events>:{first + 1}:{name}", "is empty"))
    if problems:
        raise StoreError(problems, store=store)
    return frame.select(EVENT_COLUMNS).rows()


_NULLABLE = frozenset({"target", "rating", "reason"})


def rows_to_frame(
    rows: Sequence[Sequence[Any]],
    timezone: str = TIMEZONE,
    names: Sequence[str] = EVENT_COLUMNS,
) -> pl.DataFrame:
    """Rows of the ``events`` table (columns ``names``) as an event log with the schema's types."""
    schema = event_schema(timezone)
    raw = {n: pl.Int64() if n == "timestamp" else schema[n] for n in names}
    frame = pl.DataFrame(list(rows), schema=raw, orient="row")
    return from_utc_us(frame, timezone)


def from_utc_us(frame: pl.DataFrame, timezone: str = TIMEZONE) -> pl.DataFrame:
    """``timestamp`` from UTC microseconds to an aware datetime in ``timezone``."""
    return frame.with_columns(
        pl.from_epoch("timestamp", "us").dt.replace_time_zone("UTC").dt.convert_time_zone(timezone)
    )


def empty_frame(timezone: str = TIMEZONE) -> pl.DataFrame:
    """An event log without events."""
    return pl.DataFrame(schema=event_schema(timezone))


def to_us(when: dt.datetime | dt.date | None, store: str) -> int | None:
    """``when`` in UTC microseconds; a date is its midnight in Asia/Shanghai."""
    if when is None:
        return None
    if not isinstance(when, dt.datetime):
        from zoneinfo import ZoneInfo

        when = dt.datetime.combine(when, dt.time(), ZoneInfo(TIMEZONE))
    if when.tzinfo is None:
        raise fail(store, "bad-argument", "<query>", f"naive datetime {when}: give a timezone")
    return int((when - _EPOCH) // dt.timedelta(microseconds=1))


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


# -- the state machine --------------------------------------------------------------------------


@dataclass(slots=True)
class CaseRow:
    """A case's row in the ``cases`` table: its properties and where its machine stands."""

    case_id: str
    template: str
    kind: str
    urgency: str
    area: str
    state: str
    opened: int
    last: int
    ended: bool
    events: int = 0
    new: bool = False
    changed: bool = False

    @classmethod
    def stored(cls, r: Sequence[Any]) -> CaseRow:
        """A row read from the ``cases`` table (``CASE_ROW_COLUMNS`` order)."""
        return cls(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], ended=bool(r[8]))

    def values(self) -> tuple[Any, ...]:
        return (
            self.case_id,
            self.template,
            self.kind,
            self.urgency,
            self.area,
            self.state,
            self.opened,
            self.last,
            int(self.ended),
            self.events,
        )


CASE_ROW_COLUMNS = (
    "case_id",
    "template",
    "kind",
    "urgency",
    "area",
    "state",
    "opened",
    "last",
    "ended",
    "events",
)


_Machine = tuple[Template, dict[str, tuple[Transition, ...]], frozenset[str]]


def _by_activity(transitions: Iterable[Transition]) -> dict[str, tuple[Transition, ...]]:
    out: dict[str, list[Transition]] = {}
    for t in transitions:
        out.setdefault(t.activity, []).append(t)
    return {k: tuple(v) for k, v in out.items()}


@dataclass
class Machines:
    """Templates by name, each with its transitions by activity (one per activity)."""

    templates: Mapping[str, Template] | None = None
    _cache: dict[str, _Machine | None] = field(default_factory=dict)

    def get(self, name: str) -> _Machine | None:
        if name not in self._cache:
            found: Template | None
            if self.templates is not None and name in self.templates:
                found = self.templates[name]
            else:
                try:
                    found = load_template(name)
                except GridgovError:
                    found = None
            self._cache[name] = (
                None
                if found is None
                else (
                    found,
                    _by_activity(found.transitions),
                    frozenset(found.end_states()),
                )
            )
        return self._cache[name]


def advance(
    rows: Iterable[tuple[Any, ...]],
    cases: dict[str, CaseRow],
    machines: Machines,
    store: str,
) -> None:
    """Replay ``rows`` (new events, batch order) on ``cases``; refuse the batch on any problem.

    ``cases`` holds the stored row of every case the batch touches (as read under the
    database's lock); new cases are added. Checks, per event: a known template and activity,
    the case's properties unchanged, the activity allowed from the case's state and in the
    event's role, and time never going back within a case.
    """
    problems: list[Problem] = []
    broken: set[str] = set()  # cases with a problem: their later events are not judged
    for n, row in enumerate(rows, start=1):
        (eid, cid, tpl, kind, urg, area, act, ts, _actor, role) = row[:10]
        if cid in broken:
            continue
        where = f"event:{eid}"
        machine = machines.get(tpl)
        if machine is None:
            problems.append(Problem("unknown-template", where, f"no workflow template {tpl!r}"))
            continue
        template, by_activity, ends = machine
        case = cases.get(cid)
        if case is None:
            case = CaseRow(cid, tpl, kind, urg, area, template.start, ts, ts, False, new=True)
            cases[cid] = case
        elif (case.template, case.kind, case.urgency, case.area) != (tpl, kind, urg, area):
            broken.add(cid)
            problems.append(
                Problem(
                    "case-mismatch",
                    where,
                    f"case {cid} is ({case.template}, {case.kind}, {case.urgency}, {case.area}); "
                    f"this event says ({tpl}, {kind}, {urg}, {area}); 案件属性与已有事件不一致",
                )
            )
            continue
        steps = by_activity.get(act)
        if steps is None:
            problems.append(
                Problem(
                    "unknown-activity",
                    where,
                    f"template {tpl} has no activity {act!r}; 模板无此环节",
                )
            )
            broken.add(cid)
            continue
        allowed = [t for t in steps if case.state in t.from_]
        if not allowed:
            sources = sorted({f for t in steps for f in t.from_})
            problems.append(
                Problem(
                    "forbidden-transition",
                    where,
                    f"case {cid} is in state {case.state!r}"
                    + (" (ended)" if case.ended else "")
                    + f"; {act!r} is allowed only from {', '.join(sources)}; "
                    f"案件当前状态 {case.state} 不允许 {act}",
                )
            )
            broken.add(cid)
            continue
        step = next((t for t in allowed if role in t.roles), None)
        if step is None:
            roles = sorted({r for t in allowed for r in t.roles})
            problems.append(
                Problem(
                    "forbidden-role",
                    where,
                    f"{act!r} is fired by {', '.join(roles)}, not {role!r}; 角色无权执行此环节",
                )
            )
            broken.add(cid)
            continue
        if ts < case.last:
            broken.add(cid)
            problems.append(
                Problem(
                    "time-goes-back",
                    where,
                    f"event {n} of the batch is earlier than the last event of case {cid}; "
                    "事件时间早于案件上一事件",
                )
            )
            continue
        case.state = step.to
        case.ended = step.to in ends
        case.last = ts
        case.events += 1
        case.changed = True
    if problems:
        raise StoreError(problems, store=store)


def split_known(
    rows: list[tuple[Any, ...]], stored: Mapping[str, tuple[Any, ...]], store: str
) -> list[tuple[Any, ...]]:
    """The rows not yet stored; identical rows already stored are dropped (idempotence).

    Raises
    ------
    StoreError
        ``conflicting-event``: an event id already stored (or repeated in the batch) with
        other content; ``None`` and equal values compare equal.
    """
    problems: list[Problem] = []
    seen: dict[str, tuple[Any, ...]] = {}
    fresh: list[tuple[Any, ...]] = []
    for row in rows:
        eid = row[_ID]
        before = stored.get(eid) or seen.get(eid)
        if before is None:
            seen[eid] = row
            fresh.append(row)
        elif tuple(before) != tuple(row):
            diff = [c for c, a, b in zip(ROW_COLUMNS, before, row, strict=True) if a != b]
            problems.append(
                Problem(
                    "conflicting-event",
                    f"event:{eid}",
                    f"event id {eid} is already stored with other {', '.join(diff)}; "
                    "a correction is a new event with its own id; 同一事件编号内容不同",
                )
            )
    if problems:
        raise StoreError(problems, store=store)
    return fresh


def case_ids(rows: Iterable[tuple[Any, ...]]) -> list[str]:
    """Distinct case ids of ``rows``, sorted (locks are taken in this order)."""
    return sorted({r[_CASE] for r in rows})


def event_ids(rows: Iterable[tuple[Any, ...]]) -> list[str]:
    """Event ids of ``rows``."""
    return [r[_ID] for r in rows]


def retry(
    action: Callable[[], T],
    *,
    transient: Callable[[BaseException], bool],
    timeout: float,
    store: str,
) -> T:
    """Run ``action``; on a transient failure (busy, deadlock) retry with jittered backoff.

    After ``timeout`` seconds a :class:`StoreError` ``busy`` is raised; nothing untyped
    escapes.
    """
    deadline = time.monotonic() + timeout
    pause = 0.002
    while True:
        try:
            return action()
        except Exception as exc:
            if not transient(exc):
                raise
            if time.monotonic() + pause > deadline:
                raise fail(
                    store,
                    "busy",
                    "<store>",
                    f"the store stayed busy (locked by other writers) for {timeout:g} s: {exc}; "
                    "数据库忙, 请稍后重试",
                ) from exc
            time.sleep(pause * (0.5 + random.random()))  # noqa: S311 - jitter, not crypto
            pause = min(pause * 2, 0.25)
