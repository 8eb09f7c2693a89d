"""Clean sample logs: cases that follow their templates exactly, for tests, demos and benchmarks.

:func:`sample_log` walks each template from its start state to an end state (choosing among
the transitions out of each state at random, loops included up to a length cap), draws a
handful of such *paths*, and lays cases over them in columns: the log it returns conforms to
its templates (:func:`gridgov.service.conformance.conformance` finds nothing), every value
comes from a seeded generator, and 10 000 000 events take seconds because cases are built by
repeating paths, not by walking each case.

It has no behaviour worth measuring (no arrival rates, lateness or satisfaction mechanism):
that is the synthetic-activity generator's job; this is the smallest log that is *valid*.

Examples
--------
>>> log = sample_log(["urban_case"], cases=3, seed=1)
>>> log.select("case_id").n_unique(), log.columns[:4]
(3, ['event_id', 'case_id', 'template', 'kind'])
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from typing import NamedTuple
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl

from gridgov.service.schema import EVENT_COLUMNS, TIMEZONE, event_schema
from gridgov.service.workflow import Template, TemplateRef, load_template

__all__ = ["sample_log", "sample_paths"]

Path = tuple[tuple[str, str], ...]


def sample_paths(
    template: Template, *, n: int = 32, seed: int = 0, max_steps: int = 24
) -> list[Path]:
    """Up to ``n`` distinct random walks from the start state to an end state.

    Each path is a tuple of ``(activity, role)`` steps; a walk that has not ended after
    ``max_steps`` is dropped. The first path taken is always the shortest one, so the result
    is never empty for a template that passes its checks.

    Examples
    --------
    >>> from gridgov.service.workflow import load_template
    >>> sample_paths(load_template("four_lists:huanan"), n=1)[0]
    (('order', 'community'), ('dispatch', 'organisation'), ('take', 'department'), \
('resolve', 'department'))
    """
    import networkx as nx

    rng = np.random.default_rng(seed)
    out: dict[Path, None] = {}
    g = template.graph()
    ends = set(template.end_states())
    # the shortest way to an end state
    best = min(
        (nx.shortest_path(g, template.start, e) for e in ends if nx.has_path(g, template.start, e)),
        key=len,
    )
    shortest: list[tuple[str, str]] = []
    for a, b in itertools.pairwise(best):
        t = next(t for t in template.transitions if a in t.from_ and t.to == b)
        shortest.append((t.activity, t.roles[0]))
    out[tuple(shortest)] = None
    outgoing = {
        s: [(t.activity, t.to, t.roles) for t in template.transitions if s in t.from_]
        for s in template.states
    }
    for _ in range(n * 8):
        if len(out) >= n:
            break
        state, steps = template.start, list[tuple[str, str]]()
        while state not in ends and len(steps) < max_steps:
            choices = outgoing[state]
            act, to, roles = choices[int(rng.integers(len(choices)))]
            steps.append((act, roles[int(rng.integers(len(roles)))]))
            state = to
        if state in ends:
            out.setdefault(tuple(steps), None)
    return list(out)


class _Spread(NamedTuple):
    areas: Sequence[str]
    start: dt.date
    days: int
    mean_gap: dt.timedelta
    urgent_share: float


def sample_log(
    templates: Sequence[TemplateRef | Template] = ("urban_case",),
    *,
    cases: int = 1000,
    seed: int = 0,
    areas: Sequence[str] = ("G1", "G2", "G3"),
    start: dt.date = dt.date(2024, 1, 1),
    days: int = 366,
    mean_gap: dt.timedelta = dt.timedelta(hours=2),
    urgent_share: float = 0.1,
    paths: int = 32,
) -> pl.DataFrame:
    """A clean event log of ``cases`` cases spread over ``templates`` (round robin).

    Parameters
    ----------
    templates
        Template names (a variant after a colon) or templates; the log's ``template`` column
        holds each template's name.
    cases
        Number of cases.
    seed
        Seed of every random choice.
    areas
        Area ids cases are drawn from; actors are ``"<role>@<area>"``.
    start, days
        Cases open uniformly over ``days`` days from ``start`` (Asia/Shanghai).
    mean_gap
        Mean of the exponential time between two events of a case.
    urgent_share
        Share of urgent cases.
    paths
        Distinct paths drawn per template.

    Returns
    -------
    polars.DataFrame
        Events with the schema's columns and types, in log order (case by case).
    """
    rng = np.random.default_rng(seed)
    loaded = [t if isinstance(t, Template) else load_template(t) for t in templates]
    frames = []
    per = np.bincount(np.arange(cases) % len(loaded), minlength=len(loaded))
    first = 0
    for k, (t, count) in enumerate(zip(loaded, per, strict=True)):
        if count == 0:
            continue
        spread = _Spread(areas, start, days, mean_gap, urgent_share)
        frames.append(
            _one(t, (int(count), first), rng, spread, sample_paths(t, n=paths, seed=seed + k))
        )
        first += int(count)
    return pl.concat(frames).select(EVENT_COLUMNS)


def _one(
    t: Template,
    numbers: tuple[int, int],
    rng: np.random.Generator,
    spread: _Spread,
    paths: list[Path],
) -> pl.DataFrame:
    areas, start, days, mean_gap, urgent_share = spread
    count, first = numbers
    lengths = np.array([len(p) for p in paths], dtype=np.int64)
    flat_act = np.array([a for p in paths for a, _ in p], dtype=object)
    flat_role = np.array([r for p in paths for _, r in p], dtype=object)
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    which = rng.integers(len(paths), size=count)
    n_ev = lengths[which]
    case_of = np.repeat(np.arange(count), n_ev)
    step = np.arange(int(n_ev.sum())) - np.repeat(np.cumsum(n_ev) - n_ev, n_ev)
    src = offsets[which][case_of] + step
    kinds = sorted(t.kinds)
    origin = dt.datetime.combine(start, dt.time(), tzinfo=ZoneInfo(TIMEZONE))
    opened = rng.integers(0, days * 86_400_000_000, size=count)
    gaps = rng.exponential(mean_gap / dt.timedelta(microseconds=1), size=case_of.size)
    gaps[step == 0] = 0
    ts = opened[case_of] + _cumsum_by(gaps.astype(np.int64), n_ev)
    rated = set(t.milestones.rated)
    acts = flat_act[src]
    rating = np.where(np.isin(acts, list(rated)), rng.integers(1, 6, size=case_of.size), 0).astype(
        np.int8
    )
    case_ids = pl.Series(np.arange(first, first + count)).cast(pl.String)
    area = np.asarray(areas, dtype=object)[rng.integers(len(areas), size=count)]
    frame = pl.DataFrame(
        {
            "case_no": case_of,
            "step": step,
            "activity": acts.astype(str),
            "role": flat_role[src].astype(str),
            "ts": ts,
            "rating": rating,
        }
    ).join(
        pl.DataFrame(
            {
                "case_no": np.arange(count),
                "case_id": t.name.replace(":", "-") + "-" + case_ids,
                "kind": np.asarray(kinds, dtype=object)[
                    rng.integers(len(kinds), size=count)
                ].astype(str),
                "urgency": np.where(rng.random(count) < urgent_share, "urgent", "normal"),
                "area": area.astype(str),
            }
        ),
        on="case_no",
        how="left",
        maintain_order="left",
    )
    schema = event_schema()
    return frame.select(
        pl.format("{}-{}", "case_id", "step").alias("event_id"),
        "case_id",
        pl.lit(t.name).alias("template"),
        "kind",
        "urgency",
        "area",
        "activity",
        (pl.lit(origin) + pl.duration(microseconds=pl.col("ts")))
        .dt.cast_time_unit("us")
        .dt.convert_time_zone(TIMEZONE)
        .alias("timestamp"),
        pl.format("{}@{}", "role", "area").alias("actor"),
        "role",
        pl.lit(None, dtype=pl.String).alias("target"),
        pl.when(pl.col("rating") > 0).then(pl.col("rating")).cast(pl.Int8).alias("rating"),
        pl.lit(None, dtype=pl.String).alias("reason"),
    ).cast(schema)


def _cumsum_by(
    values: np.ndarray[tuple[int], np.dtype[np.int64]],
    lengths: np.ndarray[tuple[int], np.dtype[np.int64]],
) -> np.ndarray[tuple[int], np.dtype[np.int64]]:
    """Cumulative sums restarting at each group of ``lengths`` consecutive values."""
    total = np.cumsum(values)
    ends = np.cumsum(lengths)
    before = np.concatenate([[0], total[ends[:-1] - 1]])
    out: np.ndarray[tuple[int], np.dtype[np.int64]] = total - np.repeat(before, lengths)
    return out
