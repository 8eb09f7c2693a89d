"""Synthetic service activity: a year of cases from a mechanism, over a structure's real people.

:func:`synthetic_events` generates an event log (:mod:`gridgov.service.schema`) that conforms
to its workflow templates and validates against the structure, from behaviour rather than from
typed-in totals:

- **arrivals**: each household orders, calls or complains at a rate per template and case
  kind (cases per household per year), thinned by day — non-working days (weekends and
  statutory holidays of the working calendar) carry ``weekend_factor`` of a working day's
  rate, and a seasonal cosine (peak in January) of amplitude ``season_amplitude``; counts are
  Poisson per (grid, handling organisation, day); complaint kinds fall with the handling
  organisation's latent quality (``exp(-quality_complaints * q)``, renormalised so the total
  rate is kept); a case opens at a uniform time between 06:00 and 22:00 (cases arrive any
  time, not only in office hours);
- **the path** through the template: a walk over its state machine, all cases at once, one
  step per loop turn. At each state the *exceptional* transitions fire with fixed
  probabilities — into a pause state (延期, 挂账) ``pause``; back to a state no farther from
  the start (回退, 返工) ``rework * exp(-quality_rework * q)``; a self-loop (another department
  reports, 协办) ``repeat`` — and the rest goes to the forward transitions (weights
  ``activity_weights``, 1 otherwise). After ``max_steps`` only forward transitions fire, so
  every case ends;
- **time**: office steps take a lognormal *working* time (office hours of working days of the
  :class:`~gridgov.service.clock.WorkingCalendar`): median ``handling_share`` of the step's
  deadline in the template (a limit in calendar hours or days counts as the office time of
  that span, 5 working days a week; ``office_median_hours`` without a deadline; or a per-kind
  override for the closing step), times ``exp(-quality_speed * q)`` for the handling organisation;
  residents act after an exponential calendar delay; a paused case resumes after a lognormal
  calendar delay;
- **ratings** (评单, 回访): ``rating_base + rating_quality * q - rating_late * late`` plus
  normal noise, rounded into 1–5, where ``late`` says the case closed after its deadline
  (computed with the calendar's :meth:`~gridgov.service.clock.WorkingCalendar.due`);
- **actors**: per role, the structure's own posts, organisations and households in the case's
  grid (:data:`~gridgov.datasets._pools.ROLE_SOURCES`); a post is replaced by the person who
  held it on the event's day when one did. The handling organisation is the case's
  ``target``; its latent quality ``q ~ N(0, 1)`` is returned beside the log so that an
  assessment can be checked against it.

Everything is vectorised with numpy and polars: loops run over templates, case kinds and walk
steps, never over cases or events. The same structure, arguments and seed give the same log.

Examples
--------
>>> from gridgov.datasets import synthetic_city
>>> city = synthetic_city(households=2_000, seed=1)
>>> out = synthetic_events(city, year=2024, seed=3, templates=["four_lists:youyi"])
>>> out.events.columns[:4]
['event_id', 'case_id', 'template', 'kind']
>>> out.events.get_column("template").unique().to_list()
['four_lists:youyi']
>>> out.quality.columns
['organisation', 'quality']
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import zoneinfo
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import polars as pl

from gridgov.datasets._pools import HANDLER_ROLES, Pools
from gridgov.service.limits import Limit, LimitUnit
from gridgov.service.schema import EVENT_COLUMNS, TIMEZONE, event_schema
from gridgov.service.workflow import Template, TemplateRef, load_template

if TYPE_CHECKING:  # pragma: no cover
    from gridgov.org import Structure
    from gridgov.service.clock import WorkingCalendar

__all__ = ["DEFAULT_RATES", "Mechanism", "SyntheticEvents", "synthetic_events"]

Array = np.ndarray[Any, Any]

#: Cases per household per year, by template and kind, when ``rates`` is not given. Assumed
#: orders of magnitude (the seed gives counts for 友谊县's 四单 and 桦南县's problems only;
#: :mod:`gridgov.datasets.activity` calibrates the bundled examples to them).
DEFAULT_RATES: Final[Mapping[str, Mapping[str, float]]] = {
    "four_lists:youyi": {
        "policy_talk": 0.013,
        "health": 0.002,
        "safety_check": 0.004,
        "relief": 0.003,
        "performance": 0.001,
    },
    "whistle:huanan": {"governance": 0.004, "emergency": 0.001},
    "hotline_12345": {
        "consultation": 0.08,
        "help": 0.1,
        "complaint": 0.04,
        "report": 0.03,
        "suggestion": 0.01,
    },
    "urban_case": {"event": 0.1, "component": 0.05},
}

_US_HOUR: Final = 3_600_000_000
_US_DAY: Final = 24 * _US_HOUR
_FORWARD, _PAUSE, _LOOP, _BACK = 0, 1, 2, 3


@dataclasses.dataclass(frozen=True)
class Mechanism:
    """Behavioural parameters of :func:`synthetic_events` (assumed values; see the module notes).

    Examples
    --------
    >>> Mechanism().rework, Mechanism(rework=0.2).rework
    (0.06, 0.2)
    """

    urgent_share: float = 0.1
    rework: float = 0.06
    pause: float = 0.04
    repeat: float = 0.35
    quality_rework: float = 0.5
    quality_speed: float = 0.3
    quality_complaints: float = 0.6
    complaint_kinds: tuple[str, ...] = ("complaint",)
    handling_share: float = 0.45
    handling_sigma: float = 0.8
    office_median_hours: float = 1.0
    resident_mean_hours: float = 20.0
    pause_median_days: float = 3.0
    rating_base: float = 4.1
    rating_quality: float = 0.45
    rating_late: float = 1.3
    rating_noise: float = 0.7
    weekend_factor: float = 0.7
    season_amplitude: float = 0.2
    activity_weights: tuple[tuple[str, float], ...] = (("answer", 0.25), ("discard", 0.03))
    max_steps: int = 30
    max_step_hours: float = 400.0


@dataclasses.dataclass(frozen=True)
class SyntheticEvents:
    """A generated year of cases and the hidden truth behind it.

    Attributes
    ----------
    events
        The event log (schema columns, log order: case by case, in time order).
    quality
        ``organisation``, ``quality``: the latent service quality of each handling
        organisation (a case's ``target``), a standard normal draw; higher is better.
    rates
        ``template``, ``kind``, ``per_household`` (cases per household per year, after
        ``scale``), ``households`` and ``expected`` cases in the year.
    """

    events: pl.DataFrame
    quality: pl.DataFrame
    rates: pl.DataFrame


def synthetic_events(
    structure: Structure,
    *,
    year: int = 2024,
    seed: int = 0,
    templates: Sequence[TemplateRef | Template] | None = None,
    rates: Mapping[str, Mapping[str, float]] | None = None,
    scale: float = 1.0,
    handling: Mapping[str, Mapping[str, float]] | None = None,
    mechanism: Mechanism | None = None,
    calendar: WorkingCalendar | None = None,
) -> SyntheticEvents:
    """A year of service cases over ``structure``, generated by a mechanism (module notes).

    Parameters
    ----------
    structure
        The structure whose grids, households, posts and organisations take part.
    year
        Calendar year in which cases arrive (their last events may fall early next year).
    seed
        Seed of every random draw; the same arguments give the same log.
    templates
        Templates (names, ``"four_lists:youyi"`` for a variant, or templates); by default the
        keys of ``rates``, or of :data:`DEFAULT_RATES`.
    rates
        Cases per household per year, by template name and case kind; a template without an
        entry uses :data:`DEFAULT_RATES` (or 0.01 per kind).
    scale
        Multiplies every rate (to size a benchmark).
    handling
        Median working hours of the closing step, by template name and kind (overrides the
        share of the template's deadline).
    mechanism
        Behavioural parameters (:class:`Mechanism`).
    calendar
        Working calendar of office steps; by default ``WorkingCalendar.china()``.

    Returns
    -------
    SyntheticEvents
        The events, the latent quality of handling organisations and the arrival rates.
    """
    from gridgov.service.clock import WorkingCalendar

    mech = mechanism or Mechanism()
    cal = calendar or WorkingCalendar.china()
    given = dict(rates) if rates is not None else dict(DEFAULT_RATES)
    refs = list(templates) if templates is not None else list(given)
    loaded = [t if isinstance(t, Template) else load_template(t) for t in refs]
    pools = Pools(structure)
    clock = _WorkClock(cal, year)
    orgs = sorted(o.id for o in structure.organisations)
    q_all = np.random.default_rng([seed, 0x9A11]).standard_normal(len(orgs))
    quality = dict(zip(orgs, q_all.tolist(), strict=True))
    frames: list[pl.DataFrame] = []
    rate_rows: list[dict[str, Any]] = []
    used: set[str] = set()
    for number, t in enumerate(loaded):
        kinds = given.get(t.name) or DEFAULT_RATES.get(t.name) or dict.fromkeys(t.kinds, 0.01)
        rng = np.random.default_rng([seed, number, 0x5E])
        gen = _TemplateRun(t, pools, quality=quality, clock=clock, mech=mech, rng=rng, year=year)
        frame, rows = gen.run(
            {k: v * scale for k, v in kinds.items()}, (handling or {}).get(t.name, {})
        )
        rate_rows.extend(rows)
        used.update(gen.targets_used)
        frames.append(frame)
    events = pl.concat(frames) if frames else pl.DataFrame(schema=event_schema())
    events = _persons_on_day(events, structure)
    q = pl.DataFrame(
        {"organisation": sorted(used), "quality": [quality[o] for o in sorted(used)]},
        schema={"organisation": pl.String, "quality": pl.Float64},
    )
    rate_frame = pl.DataFrame(
        rate_rows,
        schema={
            "template": pl.String,
            "kind": pl.String,
            "per_household": pl.Float64,
            "households": pl.Int64,
            "expected": pl.Float64,
        },
    )
    return SyntheticEvents(events=events, quality=q, rates=rate_frame)


class _WorkClock:
    """Working time as a monotone map of instants (UTC microseconds), through the calendar."""

    def __init__(self, cal: WorkingCalendar, year: int) -> None:
        self.cal = cal
        offset = dt.datetime(year, 1, 1, tzinfo=zoneinfo.ZoneInfo(TIMEZONE)).utcoffset()
        assert offset is not None
        self.offset_us = int(offset / dt.timedelta(microseconds=1))
        first = np.datetime64(f"{year}-01-01", "us") - np.timedelta64(self.offset_us, "us")
        last_day = min(cal.covered[1], dt.date(year + 1, 12, 31))
        minutes = int((np.datetime64(last_day, "us") - first) // np.timedelta64(60, "s"))
        self.origin = first
        self.grid = first + np.arange(minutes, dtype=np.int64).astype("m8[m]").astype("m8[us]")
        self.work = self.elapsed(self.grid)
        self.start_us = int(first.astype(np.int64))

    def elapsed(self, instants: Array) -> Array:
        """Working microseconds from the origin to each UTC instant."""
        if instants.size == 0:
            return np.zeros(0, dtype=np.int64)
        out = self.cal.working_hours(np.full(instants.shape, self.origin), instants)
        return np.asarray(out).astype(np.int64)

    def at(self, work: Array) -> Array:
        """The earliest UTC instant (datetime64[us]) at which ``work`` µs of office time passed."""
        i = np.minimum(np.searchsorted(self.work, work, side="left"), self.work.size - 1)
        back = np.clip(self.work[i] - work, 0, 59_999_999)
        result: Array = self.grid[i] - back.astype("m8[us]")
        return result


class _TemplateRun:
    """Generation for one template: arrivals, walk, times, actors, ratings."""

    def __init__(
        self,
        t: Template,
        pools: Pools,
        *,
        quality: Mapping[str, float],
        clock: _WorkClock,
        mech: Mechanism,
        rng: np.random.Generator,
        year: int,
    ) -> None:
        self.t, self.pools, self.quality, self.clock = t, pools, quality, clock
        self.mech, self.rng, self.year = mech, rng, year
        self.roles = sorted({r for tr in t.transitions for r in tr.roles})
        self.handler = next((r for r in HANDLER_ROLES if r in self.roles), None)
        self.targets_used: set[str] = set()

    # ---------------------------------------------------------------- arrivals
    def _units(self) -> pl.DataFrame:
        if self.handler is not None:
            return self.pools.targets(self.handler)
        per_grid = self.pools.households.group_by("grid").agg(households=pl.len())
        return per_grid.select(
            "grid",
            target=pl.lit(None, dtype=pl.String),
            households=pl.col("households").cast(pl.Float64),
        ).sort("grid")

    def _day_weights(self) -> Array:
        days = np.arange(
            np.datetime64(f"{self.year}-01-01"), np.datetime64(f"{self.year + 1}-01-01")
        )
        working = np.asarray(self.clock.cal.is_working_day(days), dtype=bool)
        doy = np.arange(days.size)
        w = np.where(working, 1.0, self.mech.weekend_factor)
        w = w * (1.0 + self.mech.season_amplitude * np.cos(2 * np.pi * (doy - 15) / days.size))
        out: Array = w / w.mean()
        return out

    def run(
        self, kinds: Mapping[str, float], handling: Mapping[str, float]
    ) -> tuple[pl.DataFrame, list[dict[str, Any]]]:
        units = self._units()
        units = units.join(self.pools.grid_index, on="grid", how="inner")
        u_grid = units.get_column("grid_no").to_numpy()
        u_target = units.get_column("target").to_list()
        u_target_s = units.get_column("target")
        u_h = units.get_column("households").to_numpy().astype(np.float64)
        u_q = np.array([self.quality.get(x, 0.0) if x else 0.0 for x in u_target])
        weights = self._day_weights()
        total_h = float(u_h.sum())
        kind_names = sorted(kinds)
        rows: list[dict[str, Any]] = []
        parts: list[tuple[Array, Array, Array]] = []
        for k, kind in enumerate(kind_names):
            lam = float(kinds[kind])
            mult = np.ones_like(u_q)
            if kind in self.mech.complaint_kinds:
                raw = np.exp(-self.mech.quality_complaints * u_q)
                mult = raw / (float((raw * u_h).sum()) / total_h if total_h else 1.0)
            expected = np.outer(lam * u_h * mult / weights.size, weights)
            counts = self.rng.poisson(expected)
            ui, di = np.nonzero(counts)
            reps = counts[ui, di]
            parts.append((np.repeat(ui, reps), np.repeat(di, reps), np.full(reps.sum(), k)))
            rows.append(
                {
                    "template": self.t.name,
                    "kind": kind,
                    "per_household": lam,
                    "households": round(total_h),
                    "expected": lam * total_h,
                }
            )
        unit = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, np.int64)
        day = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, np.int64)
        kind_i = np.concatenate([p[2] for p in parts]) if parts else np.zeros(0, np.int64)
        n = unit.size
        tod = self.rng.uniform(6 * _US_HOUR, 22 * _US_HOUR, size=n).astype(np.int64)
        opened = self.clock.start_us + day.astype(np.int64) * _US_DAY + tod
        order = np.argsort(opened, kind="stable")
        unit, kind_i, opened = unit[order], kind_i[order], opened[order]
        urgent = self.rng.random(n) < self.mech.urgent_share
        target_arr = u_target_s.gather(unit)
        q_case = u_q[unit]
        self.targets_used.update(target_arr.drop_nulls().unique().to_list())
        case = _Cases(n, u_grid[unit], kind_i, urgent, target_arr, q_case, opened)
        return self._events(case, kind_names, handling), rows

    # ---------------------------------------------------------------- walk and time
    def _events(
        self, case: _Cases, kind_names: list[str], handling: Mapping[str, float]
    ) -> pl.DataFrame:
        t, mech, rng = self.t, self.mech, self.rng
        plan = _Plan(t, mech)
        ev_case, ev_step, ev_tr = plan.walk(case, rng)
        # times, step by step over all cases at once
        med = plan.medians(kind_names, handling, self.clock)
        tr_act = plan.tr_act[ev_tr]
        delay_kind = plan.tr_delay[ev_tr]
        u = rng.standard_normal(ev_tr.size)
        hours = med[tr_act, case.kind[ev_case], case.urgent[ev_case].astype(np.int64)]
        is_handler = plan.tr_handler[ev_tr]
        hours = hours * np.where(is_handler, np.exp(-mech.quality_speed * case.q[ev_case]), 1.0)
        office = np.minimum(hours * np.exp(mech.handling_sigma * u), mech.max_step_hours)
        resident = rng.exponential(mech.resident_mean_hours, size=ev_tr.size)
        paused = np.minimum(np.exp(np.log(24 * mech.pause_median_days) + 0.6 * u), 2000.0)
        ts = np.zeros(ev_tr.size, dtype=np.int64)
        cur = case.opened.copy()
        for step in range(int(ev_step.max()) + 1 if ev_step.size else 0):
            sel = np.flatnonzero(ev_step == step)
            c = ev_case[sel]
            if step > 0:
                dk = delay_kind[sel]
                w = dk == _OFFICE
                if w.any():
                    start = cur[c[w]].astype("M8[us]")
                    work = self.clock.elapsed(start) + (office[sel[w]] * _US_HOUR).astype(np.int64)
                    cur[c[w]] = np.maximum(self.clock.at(work).astype(np.int64), cur[c[w]])
                cal_h = np.where(dk == _RESIDENT, resident[sel], paused[sel])
                cur[c[~w]] += (cal_h[~w] * _US_HOUR).astype(np.int64)
            ts[sel] = cur[c]
        ratings = self._ratings(
            plan, case, ev_case=ev_case, ev_tr=ev_tr, ts=ts, kind_names=kind_names
        )
        return self._frame(
            plan,
            case,
            kind_names=kind_names,
            ev_case=ev_case,
            ev_step=ev_step,
            ev_tr=ev_tr,
            ts=ts,
            ratings=ratings,
        )

    def _ratings(
        self,
        plan: _Plan,
        case: _Cases,
        *,
        ev_case: Array,
        ev_tr: Array,
        ts: Array,
        kind_names: list[str],
    ) -> Array:
        mech = self.mech
        rated = plan.tr_rated[ev_tr]
        out = np.zeros(ev_tr.size, dtype=np.int8)
        if not rated.any():
            return out
        late = self._late(plan, case, ev_case=ev_case, ev_tr=ev_tr, ts=ts, kind_names=kind_names)
        c = ev_case[rated]
        noise = self.rng.normal(0.0, mech.rating_noise, size=c.size)
        score = (
            mech.rating_base + mech.rating_quality * case.q[c] - mech.rating_late * late[c] + noise
        )
        out[rated] = np.clip(np.rint(score), 1, 5).astype(np.int8)
        return out

    def _late(
        self,
        plan: _Plan,
        case: _Cases,
        *,
        ev_case: Array,
        ev_tr: Array,
        ts: Array,
        kind_names: list[str],
    ) -> Array:
        """Per case: closed after its closing deadline (or never closed)."""
        n = case.n
        closed_at = np.full(n, np.iinfo(np.int64).max)
        is_closed = plan.tr_closed[ev_tr]
        np.minimum.at(closed_at, ev_case[is_closed], ts[is_closed])
        late: Array = closed_at == np.iinfo(np.int64).max
        limits = np.full(n, "", dtype=object)
        since = np.full(n, -1, dtype=np.int64)
        for k, kind in enumerate(kind_names):
            for urgent in (False, True):
                d = plan.closing_deadline(kind, "urgent" if urgent else "normal")
                if d is None:
                    continue
                rows = (case.kind == k) & (case.urgent == urgent)
                limits[rows] = d.limit
                act = plan.activities.index(d.since)
                hit = plan.tr_act[ev_tr] == act
                first = np.full(n, np.iinfo(np.int64).max)
                np.minimum.at(first, ev_case[hit], ts[hit])
                since[rows] = first[rows]
        has = (limits != "") & (since >= 0) & (since < np.iinfo(np.int64).max)
        if has.any():
            due = self.clock.cal.due(since[has].astype("M8[us]"), limits[has].tolist())
            due_us = np.asarray(due).astype("M8[us]").astype(np.int64)
            late[has] = late[has] | (closed_at[has] > due_us)
        return late

    def _frame(
        self,
        plan: _Plan,
        case: _Cases,
        *,
        kind_names: list[str],
        ev_case: Array,
        ev_step: Array,
        ev_tr: Array,
        ts: Array,
        ratings: Array,
    ) -> pl.DataFrame:
        rng = self.rng
        role_i = plan.pick_roles(ev_tr, rng)
        actors = pl.Series("actor", [None] * ev_tr.size, dtype=pl.String)
        for r, role in enumerate(plan.roles):
            sel = np.flatnonzero(role_i == r)
            if not sel.size:
                continue
            if role == self.handler and role != "volunteer":
                per_case = case.target
            else:
                per_case = self._draw(role, case)
            actors = actors.scatter(sel, per_case.gather(ev_case[sel]))
        name = self.t.name
        prefix = f"{name.replace(':', '-')}-{self.year}-"
        width = max(len(str(case.n)), 5)
        grids = self.pools.grids.get_column("grid")
        frame = pl.DataFrame(
            [
                pl.Series("case_no", ev_case),
                pl.Series("step", ev_step),
                pl.Series("activity", plan.activities, pl.String).gather(plan.tr_act[ev_tr]),
                pl.Series("role", plan.roles, pl.String).gather(role_i),
                pl.Series("ts", ts),
                actors,
                pl.Series("rating", ratings),
                pl.Series("reason", plan.tr_reason, pl.String).gather(ev_tr),
            ]
        )
        cases = pl.DataFrame(
            [
                pl.Series("case_no", np.arange(case.n)),
                pl.Series("kind", kind_names, pl.String).gather(case.kind),
                pl.Series("urgency", ["normal", "urgent"], pl.String).gather(
                    case.urgent.astype(np.int64)
                ),
                grids.gather(case.grid).alias("area"),
                case.target.alias("target"),
            ]
        )
        c = pl.col
        number = c("case_no").cast(pl.String).str.zfill(width)
        return (
            frame.join(cases, on="case_no", how="left", maintain_order="left")
            .select(
                pl.format("{}{}-{}", pl.lit(prefix), number, c("step")).alias("event_id"),
                pl.format("{}{}", pl.lit(prefix), number).alias("case_id"),
                pl.lit(name).alias("template"),
                "kind",
                "urgency",
                "area",
                "activity",
                pl.from_epoch(c("ts"), time_unit="us")
                .dt.replace_time_zone("UTC")
                .dt.convert_time_zone(TIMEZONE)
                .alias("timestamp"),
                "actor",
                "role",
                pl.when(c("step") > 0).then(c("target")).alias("target"),
                pl.when(c("rating") > 0).then(c("rating")).cast(pl.Int8).alias("rating"),
                "reason",
            )
            .cast(event_schema())
        )

    def _draw(self, role: str, case: _Cases) -> pl.Series:
        """One actor per case for ``role``, uniform among the role's pool in the case's grid.

        A grid where nobody holds the role falls back to its residents' committee.
        """
        pool = self.pools.actors(role).select("grid", "actor")
        missing = self.pools.rc.join(pool, on="grid", how="anti")
        pool = (
            pl.concat([pool, missing.select("grid", "actor")])
            .join(self.pools.grid_index, on="grid", how="inner")
            .sort("grid_no", "actor")
        )
        g = pool.get_column("grid_no").to_numpy()
        ids = pool.get_column("actor")
        count = np.bincount(g, minlength=self.pools.grids.height)
        start = np.concatenate([[0], np.cumsum(count)[:-1]])
        n = count[case.grid]
        pick = start[case.grid] + np.floor(self.rng.random(case.n) * np.maximum(n, 1)).astype(
            np.int64
        )
        got = ids.gather(np.minimum(pick, max(ids.len() - 1, 0))) if ids.len() else ids
        return got.set(pl.Series(n == 0), None) if ids.len() else pl.Series([None] * case.n)


_OFFICE, _RESIDENT, _PAUSED = 0, 1, 2


@dataclasses.dataclass
class _Cases:
    n: int
    grid: Array
    kind: Array
    urgent: Array
    target: pl.Series
    q: Array
    opened: Array


class _Plan:
    """A template as arrays: transitions per state, classes, activities, roles, delays."""

    def __init__(self, t: Template, mech: Mechanism) -> None:
        import networkx as nx

        self.t, self.mech = t, mech
        states = list(t.states)
        self.states = states
        sidx = {s: i for i, s in enumerate(states)}
        self.activities = sorted(t.activities())
        self.roles = sorted({r for tr in t.transitions for r in tr.roles})
        handler = next((r for r in HANDLER_ROLES if r in self.roles), None)
        g = t.graph()
        pauses = set(t.pause_states())
        ends = set(t.end_states())
        weights = dict(mech.activity_weights)
        ms = t.milestones
        depth = nx.single_source_shortest_path_length(g, t.start)
        rows: list[tuple[int, int, int, int, float, tuple[int, ...], int, bool, str | None]] = []
        for tr in t.transitions:
            for f in tr.from_:
                if tr.to in pauses:
                    cls = _PAUSE
                elif tr.to == f:
                    cls = _LOOP
                elif depth.get(tr.to, 0) <= depth.get(f, 0):
                    cls = _BACK
                else:
                    cls = _FORWARD
                delay = (
                    _RESIDENT if tr.roles == ("resident",) else _PAUSED if f in pauses else _OFFICE
                )
                reason = f"{tr.label_zh} / {tr.label}" if cls in (_PAUSE, _BACK) else None
                rows.append(
                    (
                        sidx[f],
                        sidx[tr.to],
                        self.activities.index(tr.activity),
                        cls,
                        weights.get(tr.activity, 1.0),
                        tuple(self.roles.index(r) for r in tr.roles),
                        delay,
                        handler in tr.roles,
                        reason,
                    )
                )
        n_s = len(states)
        width = max(sum(1 for r in rows if r[0] == s) for s in range(n_s)) if rows else 1
        self.tr_from = np.array([r[0] for r in rows], dtype=np.int64)
        self.tr_to = np.array([r[1] for r in rows], dtype=np.int64)
        self.tr_act = np.array([r[2] for r in rows], dtype=np.int64)
        self.tr_cls = np.array([r[3] for r in rows], dtype=np.int64)
        self.tr_w = np.array([r[4] for r in rows], dtype=np.float64)
        self.tr_roles = [r[5] for r in rows]
        self.tr_delay = np.array([r[6] for r in rows], dtype=np.int64)
        self.tr_handler = np.array([r[7] for r in rows], dtype=bool)
        self.tr_reason = [r[8] for r in rows]
        closed = {self.activities.index(a) for a in ms.closed}
        rated = {self.activities.index(a) for a in ms.rated}
        self.tr_closed = np.isin(self.tr_act, list(closed))
        self.tr_rated = np.isin(self.tr_act, list(rated))
        self.out = np.full((n_s, width), -1, dtype=np.int64)
        fill = np.zeros(n_s, dtype=np.int64)
        for i, r in enumerate(rows):
            self.out[r[0], fill[r[0]]] = i
            fill[r[0]] += 1
        self.is_end = np.array([s in ends for s in states])
        self.start = sidx[t.start]

    def walk(self, case: _Cases, rng: np.random.Generator) -> tuple[Array, Array, Array]:
        """Every case's path: (case, step, transition) per event, sorted by case then step."""
        mech = self.mech
        state = np.full(case.n, self.start, dtype=np.int64)
        alive = ~self.is_end[state]
        back_p = mech.rework * np.exp(-mech.quality_rework * case.q)
        out_c, out_s, out_t = [], [], []
        for step in range(mech.max_steps + 4 * len(self.states)):
            idx = np.flatnonzero(alive)
            if idx.size == 0:
                break
            tr = self.out[state[idx]]
            valid = tr >= 0
            cls = np.where(valid, self.tr_cls[tr], -1)
            exc = np.where(cls == _PAUSE, mech.pause, 0.0)
            exc = exc + np.where(cls == _LOOP, mech.repeat, 0.0)
            exc = exc + np.where(cls == _BACK, back_p[idx][:, None], 0.0)
            fw = np.where(cls == _FORWARD, self.tr_w[tr], 0.0)
            has_fw = fw.sum(1) > 0
            if step >= mech.max_steps:
                exc = np.where(has_fw[:, None], 0.0, exc)
            rest = np.clip(1.0 - exc.sum(1), 0.0, 1.0)
            p = exc + np.where(
                has_fw[:, None], fw / np.maximum(fw.sum(1), 1e-300)[:, None] * rest[:, None], 0.0
            )
            p = np.where(valid, p, 0.0)
            # a state whose only ways out carry probability 0 (resume after a pause when
            # rework is 0): any way out, evenly
            p = np.where((p.sum(1) > 0)[:, None], p, valid.astype(np.float64))
            p = p / p.sum(1)[:, None]
            u = rng.random(idx.size)
            k = (np.cumsum(p, axis=1) < u[:, None]).sum(1)
            k = np.minimum(k, valid.sum(1) - 1)
            chosen = tr[np.arange(idx.size), k]
            out_c.append(idx)
            out_s.append(np.full(idx.size, step, dtype=np.int64))
            out_t.append(chosen)
            state[idx] = self.tr_to[chosen]
            alive[idx] = ~self.is_end[state[idx]]
        if not out_c:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty
        c = np.concatenate(out_c)
        s = np.concatenate(out_s)
        t = np.concatenate(out_t)
        order = np.argsort(c, kind="stable")
        return c[order], s[order], t[order]

    def pick_roles(self, tr: Array, rng: np.random.Generator) -> Array:
        """A role for each event among those its transition allows (uniform)."""
        n_roles = np.array([len(r) for r in self.tr_roles], dtype=np.int64)
        width = int(n_roles.max()) if n_roles.size else 1
        table = np.zeros((len(self.tr_roles), width), dtype=np.int64)
        for i, r in enumerate(self.tr_roles):
            table[i, : len(r)] = r
        k = np.floor(rng.random(tr.size) * n_roles[tr]).astype(np.int64)
        out: Array = table[tr, k]
        return out

    def closing_deadline(self, kind: str, urgency: str) -> Any:
        for a in self.t.milestones.closed:
            d = self.t.deadline(a, kind=kind, urgency=urgency)
            if d is not None:
                return d
        return None

    def medians(
        self, kind_names: list[str], handling: Mapping[str, float], clock: _WorkClock
    ) -> Array:
        """Median working hours of each (activity, kind, urgency) office step."""
        day_hours = clock.cal.working_day_length / dt.timedelta(hours=1)
        out = np.full(
            (len(self.activities), max(len(kind_names), 1), 2), self.mech.office_median_hours
        )
        closed = set(self.t.milestones.closed)
        for a, act in enumerate(self.activities):
            for k, kind in enumerate(kind_names):
                for u, urgency in enumerate(("normal", "urgent")):
                    d = self.t.deadline(act, kind=kind, urgency=urgency)
                    if d is not None:
                        lim = Limit.parse(d.limit)
                        n = float(lim.amount)
                        hours = {
                            LimitUnit.WORKING_DAYS: n * day_hours,
                            LimitUnit.WORKING_HOURS: n,
                            LimitUnit.HOURS: n * day_hours * 5 / (24 * 7),
                            LimitUnit.DAYS: n * day_hours * 5 / 7,
                        }[lim.unit]
                        out[a, k, u] = max(self.mech.handling_share * hours, 0.05)
                    if act in closed and kind in handling:
                        out[a, k, u] = handling[kind] * (0.5 if urgency == "urgent" else 1.0)
        return out


def _persons_on_day(events: pl.DataFrame, structure: Structure) -> pl.DataFrame:
    """Replace each post actor by the person who held the post on the event's local day."""
    c = pl.col
    appts = pl.DataFrame(
        {
            "actor": [a.post for a in structure.appointments],
            "person": [a.person for a in structure.appointments],
            "start": [a.start for a in structure.appointments],
            "end": [a.end for a in structure.appointments],
        },
        schema={"actor": pl.String, "person": pl.String, "start": pl.Date, "end": pl.Date},
    )
    if events.height == 0 or appts.height == 0:
        return events
    work = events.with_row_index("__row")
    posts = work.join(appts.select("actor").unique(), on="actor", how="semi").select(
        "__row", "actor", day=c("timestamp").dt.date()
    )
    held = (
        posts.join(appts, on="actor", how="inner")
        .filter(
            (c("start").is_null() | (c("start") <= c("day")))
            & (c("end").is_null() | (c("end") >= c("day")))
        )
        .sort("__row", "person")
        .unique("__row", keep="first")
        .select("__row", "person")
    )
    return (
        work.join(held, on="__row", how="left", maintain_order="left")
        .with_columns(actor=pl.coalesce("person", "actor"))
        .select(EVENT_COLUMNS)
    )
