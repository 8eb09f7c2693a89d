"""The per-case table: one row per case with its milestones, deadlines and outcome.

:func:`cases` condenses an event log into what the rates (:mod:`gridgov.service.rates`) count,
in a handful of joins and group-bys over the events. Its columns:

======================  =========================================================================
column                  meaning
======================  =========================================================================
``case_id`` …           ``template``, ``kind``, ``urgency``, ``area`` (from the case's events)
``target``              the first target organisation named on the case's events (department or
                        company the case was sent to), or null
``opened_at``           the case's first event
``filed_at``            first *filed* milestone (立案, 受理, 点单, 吹哨)
``dispatched_at``       first *dispatched* milestone (派遣, 派单)
``responded_at``        first *responded* milestone (联系, 接单, 报到)
``closed_at``           first *closed* milestone (结案, 办结, 服务完成)
``rated_at``            last *rated* milestone (评单, 回访) and ``rating`` its rating
``reworks``             number of *reworked* milestones (返工)
``paused``              time spent in pause states (延期, 挂账): from entering one to the next
                        event (or to ``as_of`` if the case is still paused)
``due_at``              deadline to close: the template's deadline for its first *closed*
                        activity that has one (most specific kind/urgency entry), counted from
                        the case's first ``since`` event with the working calendar, **then moved
                        later by** ``paused`` — time in 延期 or 挂账 does not count
``dispatch_due_at``     deadline of the first *dispatched* activity that has one (no pause shift)
``response_due_at``     deadline of the first *responded* activity that has one (no pause shift)
``closed``              ``closed_at`` is set
``on_time``             closed, and ``closed_at <= due_at``
``dispatched_on_time``  dispatched, and ``dispatched_at <= dispatch_due_at``
``responded_on_time``   responded, and ``responded_at <= response_due_at``
======================  =========================================================================

Deadlines in working days or working hours need a working calendar (``calendar``; by default
:meth:`WorkingCalendar.china() <gridgov.service.clock.WorkingCalendar.china>`); limits in
calendar hours or days do not.

Examples
--------
>>> from gridgov.service.sample import sample_log
>>> t = cases(sample_log(["whistle"], cases=4, seed=1, urgent_share=1.0), calendar=None)
>>> t.height, t.get_column("closed").all()
(4, True)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, Protocol, runtime_checkable

import polars as pl

from gridgov.errors import CalendarError
from gridgov.service.schema import CASE_COLUMNS
from gridgov.service.workflow import MILESTONES, Template, TemplateRef, load_template

__all__ = ["CASE_TABLE_COLUMNS", "Clock", "cases"]

#: Columns of the table :func:`cases` returns, in order.
CASE_TABLE_COLUMNS: tuple[str, ...] = (
    "case_id",
    "template",
    "kind",
    "urgency",
    "area",
    "target",
    "opened_at",
    "filed_at",
    "dispatched_at",
    "responded_at",
    "closed_at",
    "rated_at",
    "rating",
    "reworks",
    "paused",
    "due_at",
    "dispatch_due_at",
    "response_due_at",
    "closed",
    "on_time",
    "dispatched_on_time",
    "responded_on_time",
)

#: Deadline purposes and the milestone whose first activity with a deadline sets them.
_PURPOSES = {"due_at": "closed", "dispatch_due_at": "dispatched", "response_due_at": "responded"}


@runtime_checkable
class Clock(Protocol):
    """What :func:`cases` needs of a working calendar (a ``WorkingCalendar``)."""

    def due(self, start: Any, limit: Any) -> Any:
        """Deadlines for a column of start instants and one limit."""


Templates = Mapping[str, Template] | Iterable[TemplateRef | Template] | None


def _resolve(templates: Templates, names: list[str]) -> dict[str, Template]:
    from gridgov.errors import TemplateError

    if templates is None:
        out: dict[str, Template] = {}
        for n in names:
            try:
                out[n] = load_template(n)
            except TemplateError:
                continue
        return out
    if isinstance(templates, Mapping):
        return {k: load_template(v) for k, v in templates.items()}
    loaded = [load_template(t) for t in templates]
    return {t.name: t for t in loaded}


_DEFAULT = object()


def cases(
    events: pl.DataFrame,
    templates: Templates = None,
    calendar: Clock | object | None = _DEFAULT,
    *,
    as_of: dt.datetime | None = None,
) -> pl.DataFrame:
    """One row per case: milestones, deadlines and whether they were met.

    Parameters
    ----------
    events
        A validated event log (:func:`gridgov.service.log.validate_events`): within a case,
        log order is replay order (timestamps never go back).
    templates
        As for :func:`gridgov.service.conformance.conformance`; cases of a template not
        given keep their case columns and have null milestones.
    calendar
        The working calendar for working-day and working-hour limits; by default
        ``WorkingCalendar.china()``; ``None`` when every limit used is in calendar hours or
        days.
    as_of
        The time the table describes (a case still paused is paused until then); by default
        the log's last event.

    Returns
    -------
    polars.DataFrame
        Columns :data:`CASE_TABLE_COLUMNS` (see the module docstring), sorted by ``case_id``.
    """
    c = pl.col
    names = events.get_column("template").unique().drop_nulls().to_list()
    known = _resolve(templates, names)
    tz = events.schema["timestamp"]
    ev = events.select(
        "case_id", *CASE_COLUMNS, "activity", "timestamp", "target", "rating"
    ).with_row_index("row")
    if as_of is None:
        last = ev.get_column("timestamp").max()
        as_of = last if isinstance(last, dt.datetime) else dt.datetime.now(dt.UTC)
    info = _activity_info(known)
    zone = tz.time_zone if isinstance(tz, pl.Datetime) else None
    until = pl.lit(as_of).dt.convert_time_zone(zone or "UTC")
    flagged = ev.join(info, on=["template", "activity"], how="left").with_columns(
        [c(f"is_{m}").fill_null(value=False) for m in (*MILESTONES, "pausing")]
    )

    def first(m: str) -> pl.Expr:
        return c("timestamp").filter(c(f"is_{m}")).min().alias(f"{m}_at")

    plan = _plan(known, ev.select("template", "kind", "urgency").unique())
    since = sorted(set(plan.get_column("since").to_list()))
    rated = c("is_rated") & c("rating").is_not_null()
    # one pass over the events: group_by keeps each case's rows in log order, which for a
    # validated log is replay order (timestamps never go back within a case), so first() is
    # the first event and shift(-1) the next one
    table = flagged.group_by("case_id").agg(
        *[c(x).first() for x in CASE_COLUMNS],
        c("target").drop_nulls().first(),
        c("timestamp").min().alias("opened_at"),
        first("filed"),
        first("dispatched"),
        first("responded"),
        first("closed"),
        c("timestamp").filter(c("is_rated")).max().alias("rated_at"),
        c("rating").filter(rated).last().alias("rating"),
        c("is_reworked").sum().cast(pl.Int64).alias("reworks"),
        (c("timestamp").shift(-1).fill_null(until) - c("timestamp"))
        .filter(c("is_pausing"))
        .sum()
        .alias("paused"),
        *[
            c("timestamp").filter(c("activity") == a).min().alias(f"__since_{i}")
            for i, a in enumerate(since)
        ],
    )
    table = _deadlines(table, plan, since, calendar, tz)
    return (
        table.with_columns(
            closed=c("closed_at").is_not_null(),
            on_time=(c("closed_at") <= c("due_at")).fill_null(value=False),
            dispatched_on_time=(c("dispatched_at") <= c("dispatch_due_at")).fill_null(value=False),
            responded_on_time=(c("responded_at") <= c("response_due_at")).fill_null(value=False),
        )
        .select(CASE_TABLE_COLUMNS)
        .sort("case_id")
    )


def _activity_info(known: Mapping[str, Template]) -> pl.DataFrame:
    """One row per (template, activity): which milestones it marks and whether it pauses."""
    rows = []
    for n, t in known.items():
        pauses = set(t.pause_states())
        for act in t.activities():
            marks = [act in getattr(t.milestones, m) for m in MILESTONES]
            rows.append((n, act, *marks, t.target(act) in pauses))
    schema: dict[str, pl.DataType] = {"template": pl.String(), "activity": pl.String()}
    schema |= {f"is_{m}": pl.Boolean() for m in (*MILESTONES, "pausing")}
    return pl.DataFrame(rows, schema=schema, orient="row")


def _plan(known: Mapping[str, Template], combos: pl.DataFrame) -> pl.DataFrame:
    """For each (template, kind, urgency) in the log: each purpose's ``since`` and ``limit``."""
    rows = []
    for name, kind, urgency in combos.iter_rows():
        t = known.get(name)
        if t is None:
            continue
        for column, milestone in _PURPOSES.items():
            for act in getattr(t.milestones, milestone):
                d = t.deadline(act, kind=kind, urgency=urgency)
                if d is not None:
                    rows.append((name, kind, urgency, column, d.since, d.limit))
                    break
    return pl.DataFrame(
        rows,
        schema={
            "template": pl.String,
            "kind": pl.String,
            "urgency": pl.String,
            "purpose": pl.String,
            "since": pl.String,
            "limit": pl.String,
        },
        orient="row",
    )


def _deadlines(
    table: pl.DataFrame,
    plan: pl.DataFrame,
    since: list[str],
    calendar: Clock | object | None,
    tz: pl.DataType,
) -> pl.DataFrame:
    """Add ``due_at``, ``dispatch_due_at`` and ``response_due_at`` (and drop the since columns)."""
    c = pl.col
    keys = ["template", "kind", "urgency"]
    for column in _PURPOSES:
        mine = plan.filter(c("purpose") == column).select(
            *keys, c("since").alias("__since"), c("limit").alias("__limit")
        )
        start: pl.Expr = pl.lit(None, dtype=tz)
        for i, a in enumerate(since):
            start = pl.when(c("__since") == a).then(c(f"__since_{i}")).otherwise(start)
        frame = table.join(mine, on=keys, how="left", maintain_order="left").select(
            start.alias("__start"), "__limit"
        )
        out = pl.Series(column, [None] * table.height, dtype=tz)
        ok = frame.select(c("__start").is_not_null() & c("__limit").is_not_null()).to_series()
        for limit in frame.filter(ok).get_column("__limit").unique().sort():
            rows = ok & (frame.get_column("__limit") == limit)
            idx = rows.arg_true()
            due = _due(calendar, frame.get_column("__start").filter(rows), limit).cast(tz)
            out = out.scatter(idx, due)
        table = table.with_columns(out)
    return table.drop([f"__since_{i}" for i in range(len(since))]).with_columns(
        due_at=c("due_at") + c("paused")
    )


def _due(calendar: Clock | object | None, start: pl.Series, limit: str) -> pl.Series:
    """Deadlines of ``start`` instants under ``limit``; calendar hours and days need no calendar."""
    from gridgov.service.workflow import parse_limit

    amount, unit = parse_limit(limit)
    if unit in ("hours", "days"):
        hours = amount * (24 if unit == "days" else 1)
        return start + dt.timedelta(hours=hours)
    if calendar is _DEFAULT:
        from gridgov.service.clock import WorkingCalendar  # type: ignore[import-not-found,unused-ignore]

        calendar = WorkingCalendar.china()
    if calendar is None:
        raise CalendarError(
            f"the limit {limit!r} counts working time: pass a working calendar "
            "(calendar=WorkingCalendar.china()) / 工作时间时限需要工作日历"
        )
    if not isinstance(calendar, Clock):
        raise CalendarError(f"calendar {calendar!r} has no due(start, limit) method")
    return pl.Series(start.name, calendar.due(start, limit))
