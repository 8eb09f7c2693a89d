"""Event logs: validate a frame of case events, read one from a file, materialise one case.

An event log is a polars frame with the columns of :mod:`gridgov.service.schema`, one row per
event. :func:`validate_events` checks it all at once — with vectorised expressions and joins,
never a Python loop over events — and returns it typed, or raises
:class:`~gridgov.errors.EventLogError` naming every problem by row (1-based, in the order the
rows were given), column and a stable code:

==========================  ===========================================================
code                        problem
==========================  ===========================================================
``missing-column``          a schema column is absent
``bad-type``                a value that does not convert to the column's type
``null-value``              null in a column that may not be null
``naive-timestamp``         a timestamp without a timezone (or UTC offset)
``duplicate-event-id``      an ``event_id`` already used by an earlier row
``rating-out-of-range``     a rating outside 1–5
``bad-urgency``             an urgency other than ``normal`` or ``urgent``
``case-inconsistent``       a case whose events disagree on template, kind, urgency or
                            area (a case touching two grids)
``out-of-order``            an event earlier than an event of the same case logged before it
``unknown-area``            (with a structure) an area that is not in the structure
``unknown-actor``           (with a structure) an actor that is no person, post,
                            organisation or household of the structure
``unknown-target``          (with a structure) a target that is no organisation
``actor-without-post``      (with a structure) a person who held no post on the event's day
==========================  ===========================================================

**Order.** A log is append-only, so *log order* (row order) is the order events were
recorded. Within one case, timestamps must not decrease in log order; equal timestamps keep
log order. Replays (:mod:`gridgov.service.conformance`) sort by case, timestamp and log order.

**Days.** "Held a post on that day" uses the event's local date in the log's timezone and the
appointment's closed ``[start, end]`` (open ends allowed).

Examples
--------
>>> import datetime as dt, polars as pl
>>> t0 = dt.datetime(2024, 6, 3, 9, 0)
>>> rows = [dict(event_id=f"e{i}", case_id="c1", template="urban_case", kind="event",
...              urgency="normal", area="G1", activity=a, timestamp=t0 + dt.timedelta(hours=i),
...              actor="P1", role=r, target=None, rating=None, reason=None)
...         for i, (a, r) in enumerate([("report", "collector"), ("file", "acceptor")])]
>>> frame = pl.DataFrame(rows).with_columns(
...     pl.col("timestamp").dt.replace_time_zone("Asia/Shanghai"))
>>> validate_events(frame).height
2
>>> validate_events(frame.with_columns(rating=pl.lit(9)))
Traceback (most recent call last):
...
gridgov.errors.EventLogError: <events>: invalid event log, 2 problem(s):
  - <events>:1:rating: [rating-out-of-range] rating 9 is outside 1-5
  - <events>:2:rating: [rating-out-of-range] rating 9 is outside 1-5
>>> case(validate_events(frame), "c1").activities
('report', 'file')
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl
from pydantic import BaseModel, ConfigDict, Field

from gridgov.errors import EventLogError, Problem
from gridgov.service.schema import CASE_COLUMNS, EVENT_COLUMNS, NULLABLE, TIMEZONE, event_schema

if TYPE_CHECKING:  # pragma: no cover
    from gridgov.org.structure import Structure

__all__ = [
    "LOG_SUFFIXES",
    "URGENCIES",
    "Case",
    "Event",
    "case",
    "read_events",
    "validate_events",
]

#: Urgencies the schema allows.
URGENCIES: tuple[str, ...] = ("normal", "urgent")
#: File suffixes :func:`read_events` reads.
LOG_SUFFIXES: tuple[str, ...] = (".parquet", ".csv", ".ndjson", ".jsonl")

_ROW = "__row"
_OFFSET = r"(Z|[+-]\d{2}:?\d{2})$"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Event(_Frozen):
    """One event of a case (the case columns live on :class:`Case`)."""

    event_id: str
    activity: str
    timestamp: dt.datetime
    actor: str
    role: str
    target: str | None = None
    rating: int | None = Field(default=None, ge=1, le=5)
    reason: str | None = None


class Case(_Frozen):
    """One case with its events in replay order (timestamp, then log order)."""

    case_id: str
    template: str
    kind: str
    urgency: str
    area: str
    events: tuple[Event, ...]

    @property
    def activities(self) -> tuple[str, ...]:
        """The activities in order."""
        return tuple(e.activity for e in self.events)

    @property
    def opened_at(self) -> dt.datetime:
        """Timestamp of the first event."""
        return self.events[0].timestamp


def case(events: pl.DataFrame, case_id: str) -> Case:
    """The case ``case_id`` of a validated log, as a :class:`Case`.

    Raises
    ------
    gridgov.errors.EventLogError
        If the log has no event of that case (code ``unknown-case``).
    """
    rows = (
        events.with_row_index(_ROW).filter(pl.col("case_id") == case_id).sort(["timestamp", _ROW])
    )
    if rows.height == 0:
        raise EventLogError(
            [Problem("unknown-case", f"case:{case_id}", f"no event of case {case_id!r}")],
            source="<events>",
        )
    first = rows.row(0, named=True)
    fields = set(Event.model_fields)
    return Case(
        case_id=case_id,
        **{c: first[c] for c in CASE_COLUMNS},
        events=tuple(
            Event(**{k: v for k, v in r.items() if k in fields}) for r in rows.iter_rows(named=True)
        ),
    )


# -- reading ------------------------------------------------------------------------------------
def read_events(
    path: str | os.PathLike[str],
    structure: Structure | None = None,
    *,
    timezone: str = TIMEZONE,
) -> pl.DataFrame:
    """Read an event log from Parquet, CSV or NDJSON and validate it (:func:`validate_events`).

    CSV and NDJSON values are read as text and converted by the validator, so a bad value is
    reported with its row and column rather than failing the read.

    Raises
    ------
    gridgov.errors.EventLogError
        ``unreadable`` for a missing, garbled or unsupported file; otherwise every problem of
        the rows.
    """
    p = Path(os.fspath(path))
    suffix = p.suffix.lower()

    def fail(message: str) -> EventLogError:
        return EventLogError([Problem("unreadable", str(p), message)], source=str(p))

    if suffix not in LOG_SUFFIXES:
        raise fail(
            f"cannot read an event log from a {suffix or 'suffix-less'} file; "
            f"use one of {', '.join(LOG_SUFFIXES)}"
        )
    if not p.is_file():
        raise fail("no such file")
    try:
        if suffix == ".parquet":
            frame = pl.read_parquet(p)
        elif suffix == ".csv":
            frame = pl.read_csv(p, infer_schema=False)
        else:
            frame = pl.read_ndjson(p, infer_schema_length=None)
    except (pl.exceptions.PolarsError, OSError, ValueError) as exc:
        raise fail(f"cannot read: {str(exc).splitlines()[0]}") from None
    return validate_events(frame, structure, source=str(p), timezone=timezone)


# -- validating ---------------------------------------------------------------------------------
def validate_events(
    events: pl.DataFrame | pl.LazyFrame | Mapping[str, Any],
    structure: Structure | None = None,
    *,
    source: str = "<events>",
    timezone: str = TIMEZONE,
) -> pl.DataFrame:
    """Check an event log and return it typed (see the module docstring for the checks).

    Parameters
    ----------
    events
        A frame (or a mapping of columns) with the schema's columns; extra columns are kept
        after them.
    structure
        If given, areas, actors and targets are checked against it, and persons against their
        dated appointments.
    source
        Name used in problem locations (a file name).
    timezone
        Timezone of the returned ``timestamp`` column; aware timestamps in another zone are
        converted to it.

    Returns
    -------
    polars.DataFrame
        The events with the schema's types, in the given order.

    Raises
    ------
    gridgov.errors.EventLogError
        Listing every problem (``.problems``), located ``source:row:column``.
    """
    frame = events.collect() if isinstance(events, pl.LazyFrame) else pl.DataFrame(events)
    missing = [c for c in EVENT_COLUMNS if c not in frame.columns]
    if missing:
        raise EventLogError(
            [
                Problem("missing-column", f"{source}:{c}", f"column {c!r} is missing")
                for c in missing
            ],
            source=source,
        )
    schema = event_schema(timezone)
    checks: list[_Check] = []
    typed: list[pl.Series] = []
    for name in EVENT_COLUMNS:
        col = frame.get_column(name)
        raw = pl.col(name)
        if name == "timestamp":
            series, found = _timestamps(col, timezone)
            checks.extend(found)
        else:
            series = _cast(col, schema[name])
            checks.append(
                (
                    raw.is_not_null() & pl.col(f"__typed_{name}").is_null(),
                    name,
                    "bad-type",
                    pl.format(
                        "cannot read '{}' as {}", raw.cast(pl.String), pl.lit(str(schema[name]))
                    ),
                )
            )
        typed.append(series.alias(f"__typed_{name}"))
        if name not in NULLABLE:
            checks.append((raw.is_null(), name, "null-value", pl.lit(f"{name} is empty")))
    work = frame.select(EVENT_COLUMNS).with_columns(typed).with_row_index(_ROW)
    found_frames = [_evaluate(work, checks)]
    out = work.select([pl.col(f"__typed_{c}").alias(c) for c in EVENT_COLUMNS]).with_columns(
        [frame.get_column(c) for c in frame.columns if c not in EVENT_COLUMNS]
    )
    found_frames.extend(_row_problems(out.with_row_index(_ROW)))
    if structure is not None:
        found_frames.extend(_structure_checks(out.with_row_index(_ROW), structure))
    problems = _collect(found_frames, source)
    if problems:
        raise EventLogError(problems, source=source)
    return out


_Check = tuple[pl.Expr, str, str, pl.Expr]


def _cast(col: pl.Series, dtype: pl.DataType) -> pl.Series:
    if dtype == pl.String() and col.dtype != pl.String:
        return col.cast(pl.String, strict=False)
    if col.dtype == pl.String and dtype.is_integer():
        return col.str.strip_chars().cast(pl.Int64, strict=False).cast(dtype, strict=False)
    return col.cast(dtype, strict=False)


def _timestamps(col: pl.Series, timezone: str) -> tuple[pl.Series, list[_Check]]:
    """The column as ``Datetime(us, timezone)`` and the checks of converting it."""
    dtype = col.dtype
    raw = pl.col("timestamp")
    if isinstance(dtype, pl.Datetime):
        if dtype.time_zone is None:
            naive = (
                raw.is_not_null(),
                "timestamp",
                "naive-timestamp",
                pl.lit("timestamp has no timezone"),
            )
            return col.dt.cast_time_unit("us").dt.replace_time_zone(timezone), [naive]
        return col.dt.cast_time_unit("us").dt.convert_time_zone(timezone), []
    if dtype == pl.String:
        text = col.str.strip_chars()
        parsed = text.str.to_datetime(time_unit="us", time_zone=timezone, strict=False)
        has_offset = raw.str.strip_chars().str.contains(_OFFSET)
        return parsed, [
            (
                raw.is_not_null() & ~has_offset,
                "timestamp",
                "naive-timestamp",
                pl.format("timestamp '{}' has no timezone or UTC offset", raw),
            ),
            (
                raw.is_not_null() & has_offset & pl.col("__typed_timestamp").is_null(),
                "timestamp",
                "bad-type",
                pl.format("cannot read '{}' as a timestamp", raw),
            ),
        ]
    bad = (
        raw.is_not_null(),
        "timestamp",
        "bad-type",
        pl.lit(f"a timestamp column of type {dtype}: need an aware datetime or ISO text"),
    )
    return pl.Series("timestamp", [None] * len(col), dtype=pl.Datetime("us", timezone)), [bad]


def _evaluate(work: pl.DataFrame, checks: list[_Check], *, windowed: bool = False) -> pl.DataFrame:
    """The rows each check flags, as one frame (row, column, code, message).

    Messages are formatted for the flagged rows only; with ``windowed`` they are computed on
    the whole frame before filtering, so that window expressions (``over``) see every event of
    a case.
    """
    if not checks:
        return _EMPTY
    parts = []
    for mask, column, code, message in checks:
        head = [pl.col(_ROW), pl.lit(column).alias("column"), pl.lit(code).alias("code")]
        msg = message.cast(pl.String).alias("message")
        keep = mask.fill_null(value=False)
        if windowed:
            part = work.select(*head, msg, keep.alias("__keep")).filter("__keep").drop("__keep")
        else:
            part = work.filter(keep).select(*head, msg)
        parts.append(part)
    return pl.concat(parts, how="vertical")


_EMPTY = pl.DataFrame(
    schema={_ROW: pl.UInt32, "column": pl.String, "code": pl.String, "message": pl.String}
)


def _row_problems(events: pl.DataFrame) -> list[pl.DataFrame]:
    """Ids, ratings, urgencies, case consistency and order, on the typed columns.

    The window checks (a case's first values, its running latest timestamp) run only on the
    cases that a numpy pass over the events sorted by case flags as suspect — a case whose
    consecutive events differ in a case column or go back in time — so a clean log of
    millions of events costs one stable sort.
    """
    c = pl.col
    simple: list[_Check] = [
        (
            ~c("rating").is_between(1, 5),
            "rating",
            "rating-out-of-range",
            pl.format("rating {} is outside 1-5", c("rating")),
        ),
        (
            ~c("urgency").is_in(URGENCIES),
            "urgency",
            "bad-urgency",
            pl.format("urgency '{}' is not one of {}", c("urgency"), pl.lit(", ".join(URGENCIES))),
        ),
    ]
    out = [_evaluate(events, simple)]
    again = events.filter(~c("event_id").is_first_distinct() & c("event_id").is_not_null())
    if again.height:
        first = (
            events.join(again.select("event_id").unique(), on="event_id", how="semi")
            .group_by("event_id")
            .agg(c(_ROW).min().alias("__first"))
        )
        out.append(
            again.join(first, on="event_id").select(
                _ROW,
                pl.lit("event_id").alias("column"),
                pl.lit("duplicate-event-id").alias("code"),
                pl.format(
                    "event id '{}' was already used on row {}", c("event_id"), c("__first") + 1
                ).alias("message"),
            )
        )
    codes = events.select(
        c("case_id").cast(pl.Categorical).to_physical().fill_null(-1).alias("__case"),
        *[
            c(x).cast(pl.Categorical).to_physical().cast(pl.Int64).fill_null(-1)
            for x in CASE_COLUMNS
        ],
        c("timestamp").dt.epoch("us").fill_null(np.iinfo(np.int64).max),
    )
    key = codes.get_column("__case").to_numpy()
    order = np.argsort(key, kind="stable")
    ks = key[order]
    same = ks[1:] == ks[:-1]
    suspect = np.zeros(same.shape, dtype=bool)
    for x in CASE_COLUMNS:
        v = codes.get_column(x).to_numpy()[order]
        suspect |= v[1:] != v[:-1]
    t = codes.get_column("timestamp").to_numpy()[order]
    suspect |= t[1:] < t[:-1]
    bad = np.unique(ks[1:][same & suspect])
    if bad.size:
        subset = events.filter(pl.Series(np.isin(key, bad)))
        checks: list[_Check] = []
        for name in CASE_COLUMNS:
            first_value = c(name).first().over("case_id", order_by=_ROW)
            checks.append(
                (
                    c(name) != first_value,
                    name,
                    "case-inconsistent",
                    pl.format(
                        "case '{}' has {} '{}' here but '{}' on its first event",
                        c("case_id"),
                        pl.lit(name),
                        c(name),
                        first_value,
                    ),
                )
            )
        before = c("timestamp").cum_max().forward_fill().shift(1).over("case_id", order_by=_ROW)
        checks.append(
            (
                c("timestamp") < before,
                "timestamp",
                "out-of-order",
                pl.format(
                    "event of case '{}' at {} is earlier than one logged before it ({})",
                    c("case_id"),
                    c("timestamp"),
                    before,
                ),
            )
        )
        out.append(_evaluate(subset, checks, windowed=True))
    return out


def _structure_checks(events: pl.DataFrame, structure: Structure) -> list[pl.DataFrame]:
    """Areas, actors and targets against the structure; persons against their appointments."""
    c = pl.col
    areas = structure.areas.frame.select(c("id").alias("area")).unique()
    orgs = pl.DataFrame(
        {"target": [o.id for o in structure.organisations]}, schema={"target": pl.String}
    )
    people = pl.DataFrame({"actor": [p.id for p in structure.people]}, schema={"actor": pl.String})
    others = pl.concat(
        [
            pl.DataFrame({"actor": [p.id for p in structure.posts]}, schema={"actor": pl.String}),
            orgs.rename({"target": "actor"}),
            structure.households.frame.select(c("id").cast(pl.String).alias("actor")),
        ]
    ).unique()
    ev = events.select(_ROW, "area", "actor", "target", "timestamp")
    out = [
        ev.join(areas, on="area", how="anti").select(
            _ROW,
            pl.lit("area").alias("column"),
            pl.lit("unknown-area").alias("code"),
            pl.format("no area '{}' in the structure", c("area")).alias("message"),
        ),
        ev.filter(c("target").is_not_null())
        .join(orgs.unique(), on="target", how="anti")
        .select(
            _ROW,
            pl.lit("target").alias("column"),
            pl.lit("unknown-target").alias("code"),
            pl.format("no organisation '{}' in the structure", c("target")).alias("message"),
        ),
        ev.join(people.unique(), on="actor", how="anti")
        .join(others, on="actor", how="anti")
        .select(
            _ROW,
            pl.lit("actor").alias("column"),
            pl.lit("unknown-actor").alias("code"),
            pl.format(
                "no person, post, organisation or household '{}' in the structure", c("actor")
            ).alias("message"),
        ),
    ]
    appointments = pl.DataFrame(
        {
            "actor": [a.person for a in structure.appointments],
            "start": [a.start for a in structure.appointments],
            "end": [a.end for a in structure.appointments],
        },
        schema={"actor": pl.String, "start": pl.Date, "end": pl.Date},
    )
    persons = ev.join(people.unique(), on="actor", how="semi").with_columns(
        day=c("timestamp").dt.date()
    )
    held = (
        persons.join(appointments, on="actor", how="inner")
        .filter(
            (c("start").is_null() | (c("start") <= c("day")))
            & (c("end").is_null() | (c("end") >= c("day")))
        )
        .select(_ROW)
        .unique()
    )
    out.append(
        persons.join(held, on=_ROW, how="anti").select(
            _ROW,
            pl.lit("actor").alias("column"),
            pl.lit("actor-without-post").alias("code"),
            pl.format("person '{}' held no post on {}", c("actor"), c("day")).alias("message"),
        )
    )
    return out


def _collect(found: list[pl.DataFrame], source: str) -> list[Problem]:
    """Problems sorted by row, then column order, then code."""
    order = {c: i for i, c in enumerate(EVENT_COLUMNS)}
    frame = pl.concat([f.cast({_ROW: pl.UInt32}) for f in found], how="vertical")
    if frame.height == 0:
        return []
    frame = frame.with_columns(__col=_column_order(order)).sort([_ROW, "__col", "code"])
    return [
        Problem(code, f"{source}:{row + 1}:{column}", message)
        for row, column, code, message in frame.select(
            _ROW, "column", "code", "message"
        ).iter_rows()
    ]


def _column_order(order: dict[str, int]) -> pl.Expr:
    """Position of a problem's column in the schema (for sorting)."""
    return pl.col("column").replace_strict(order, default=len(order), return_dtype=pl.Int64)
