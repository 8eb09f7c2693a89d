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
                        the case's first ``since`` event by the working calendar's ``due`` and
                        moved later by the pauses that start before it (the clock's rule:
                        their working time for working-time limits, calendar time otherwise)
``dispatch_due_at``     the same for the first *dispatched* activity that has a deadline
``response_due_at``     the same for the first *responded* activity that has a deadline
``closed``              ``closed_at`` is set
``on_time``             closed, and ``closed_at <= due_at``
``dispatched_on_time``  dispatched, and ``dispatched_at <= dispatch_due_at``
``responded_on_time``   responded, and ``responded_at <= response_due_at``
======================  =========================================================================

Deadlines come from a working calendar (``calendar``; by default
:meth:`WorkingCalendar.china() <gridgov.service.clock.WorkingCalendar.china>`).

Examples
--------
>>> from gridgov.service.sample import sample_log
>>> t = cases(sample_log(["urban_case"], cases=4, seed=1))
>>> t.height, t.get_column("closed").all()
(4, True)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import polars as pl

from gridgov.service.schema import CASE_COLUMNS
from gridgov.service.workflow import MILESTONES, Template, TemplateRef, load_template

if TYPE_CHECKING:  # pragma: no cover
    from gridgov.service.clock import WorkingCalendar

__all__ = ["CASE_TABLE_COLUMNS", "cases"]

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
#: Milestones whose first timestamp the table keeps.
_FIRST = ("filed", "dispatched", "responded", "closed")
_PURPOSES = {"due_at": "closed", "dispatch_due_at": "dispatched", "response_due_at": "responded"}


Templates = Mapping[str, Template] | Iterable[TemplateRef | Template] | None


def _resolve(templates: Templates, names: list[str]) -> dict[str, Template]:
    """The templates by name: those given, or (``None``) the built-in ones among ``names``."""
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


def cases(
    events: pl.DataFrame,
    templates: Templates = None,
    calendar: WorkingCalendar | None = None,
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
        The working calendar that turns limits into deadlines; by default
        ``WorkingCalendar.china()`` (built only when some case has a deadline).
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
    since = _since(known)
    ts = c("timestamp")
    # the per-event values are computed on whole columns first; the group_by then only takes
    # plain min/max/first. A case's rows keep log order in its group, which for a validated log
    # is replay order (timestamps never go back within a case)
    flagged = (
        ev.join(info, on=["template", "activity"], how="left", maintain_order="left")
        .with_columns([c(f"is_{m}").fill_null(value=False) for m in (*MILESTONES, "pausing")])
        .with_columns(
            *[pl.when(c(f"is_{m}")).then(ts).alias(f"{m}_at") for m in _FIRST],
            pl.when(c("is_rated")).then(ts).alias("rated_at"),
            pl.when(c("is_rated") & c("rating").is_not_null()).then(c("row")).alias("__rating"),
            pl.when(c("target").is_not_null()).then(c("row")).alias("__target"),
            *[
                pl.when(c("activity") == a).then(ts).alias(f"__since_{i}")
                for i, a in enumerate(since)
            ],
        )
    )
    # numbers only in the group_by; the case's text columns are gathered from its first row
    grouped = flagged.group_by("case_id").agg(
        c("row").min().alias("__first"),
        c("__target").min(),
        ts.min().alias("opened_at"),
        *[c(f"{m}_at").min() for m in _FIRST],
        c("rated_at").max(),
        c("__rating").max(),
        c("is_reworked").sum().cast(pl.Int64).alias("reworks"),
        *[c(f"__since_{i}").min() for i in range(len(since))],
    )
    table = pl.concat(
        [
            grouped,
            ev.select(*CASE_COLUMNS).gather(grouped.get_column("__first")),
            pl.DataFrame(
                {
                    "target": ev.get_column("target").gather(grouped.get_column("__target")),
                    "rating": ev.get_column("rating").gather(grouped.get_column("__rating")),
                }
            ),
        ],
        how="horizontal",
    ).drop("__first", "__target", "__rating")
    # a pause lasts until the case's next event: look only at the cases that pause
    paused_cases = flagged.filter(c("is_pausing")).select("case_id").unique()
    pauses = (
        flagged.select("case_id", "timestamp", "is_pausing")
        .join(paused_cases, on="case_id", how="semi", maintain_order="left")
        .with_columns(end=ts.shift(-1).over("case_id").fill_null(until))
        .filter(c("is_pausing"))
        .select("case_id", ts.alias("start"), "end")
    )
    table = table.join(
        pauses.group_by("case_id").agg((c("end") - c("start")).sum().alias("paused")),
        on="case_id",
        how="left",
    ).with_columns(c("paused").fill_null(dt.timedelta(0)))
    plan = _plan(known, table.select("template", "kind", "urgency").unique())
    table = _deadlines(table, plan, since, pauses=pauses, calendar=calendar, tz=tz)
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


def _since(known: Mapping[str, Template]) -> list[str]:
    """Every activity a deadline of a milestone activity counts from, sorted."""
    out = set()
    for t in known.values():
        for milestone in _PURPOSES.values():
            acts = set(getattr(t.milestones, milestone))
            out |= {d.since for d in t.deadlines if d.activity in acts}
    return sorted(out)


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
    *,
    pauses: pl.DataFrame,
    calendar: WorkingCalendar | None,
    tz: pl.DataType,
) -> pl.DataFrame:
    """Add ``due_at``, ``dispatch_due_at`` and ``response_due_at``; drop the helper columns.

    Each deadline is the calendar's ``due(since_at, limit, pauses=...)``: the clock's rule
    moves it later by every pause (延期, 挂账) that starts before it.
    """
    from gridgov.service.pauses import Pauses

    c = pl.col
    keys = ["template", "kind", "urgency"]
    helpers = [f"__since_{i}" for i in range(len(since))]
    for column in _PURPOSES:
        mine = plan.filter(c("purpose") == column).select(
            *keys, c("since").alias("__since"), c("limit").alias("__limit")
        )
        start: pl.Expr = pl.lit(None, dtype=tz)
        for i, a in enumerate(since):
            start = pl.when(c("__since") == a).then(c(f"__since_{i}")).otherwise(start)
        frame = (
            table.join(mine, on=keys, how="left", maintain_order="left")
            .select("case_id", start.alias("__start"), "__limit")
            .with_row_index("__pos")
            .filter(c("__start").is_not_null() & c("__limit").is_not_null())
        )
        out = pl.Series(column, [None] * table.height, dtype=tz)
        if frame.height:
            if calendar is None:
                from gridgov.service.clock import WorkingCalendar

                calendar = WorkingCalendar.china()
            starts, limits = frame.get_column("__start"), frame.get_column("__limit")
            due = pl.Series(calendar.due(starts, limits)).cast(tz)
            # a pause moves a deadline only if it starts before it; when the first pause
            # of a case starts after the unmoved deadline, no later one can count either
            rows = pauses.join(
                frame.select("case_id").with_row_index("row").with_columns(due=due),
                on="case_id",
                how="inner",
            )
            hit = rows.filter(c("start") < c("due")).get_column("row").unique().sort()
            if hit.len():
                sub = rows.join(hit.to_frame(), on="row", how="semi").with_columns(
                    c("row").replace_strict(hit, pl.int_range(hit.len(), eager=True)).alias("sub")
                )
                moved = calendar.due(
                    starts.gather(hit),
                    limits.gather(hit),
                    pauses=Pauses(
                        row=sub.get_column("sub").cast(pl.Int64).to_numpy(),
                        start=sub.get_column("start"),
                        end=sub.get_column("end"),
                    ),
                )
                due = due.scatter(hit, pl.Series(moved).cast(tz))
            out = out.scatter(frame.get_column("__pos"), pl.Series(due).cast(tz))
        table = table.with_columns(out)
    return table.drop(helpers)
