#!/usr/bin/env python3
"""Benchmark gridgov.service's rates and conformance, as ratios measured in one run.

    python bench/bench_service.py                    # 10 M events for the rates, 1 M to replay
    python bench/bench_service.py --events 2000000   # a smaller run
    python bench/bench_service.py --strict           # exit 1 when a target is missed

Cases and targets (issue 10):

1. 结案率 and 按期结案率 of urban-management cases by grid and month over ``--events`` events:
   ``cases()`` then ``closing_rate()`` and ``on_time_closing_rate()`` (grids through a
   Structure's roll-up) vs a hand-written polars pipeline of the same definitions (first 立案
   and 结案 per case, time in 延期/挂账, the deadline from the same working calendar, one
   group_by by grid and month): <= 2x.
2. conformance of 1 000 000 events (all four templates) against their templates: < 10 s.

Data: ``gridgov.service.sample_log`` (seeded), areas are 4 000 grids of a generated structure
(20 streets x 5 communities x 40 grids). Timing: time.perf_counter, gc.collect() before each
repetition, baseline and gridgov interleaved, median reported; generating the data and the
structure is not timed.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import polars as pl

from gridgov.org import Structure
from gridgov.service import (
    Pauses,
    WorkingCalendar,
    cases,
    closing_rate,
    conformance,
    load_template,
    on_time_closing_rate,
    sample_log,
    template_names,
)

SEED = 20240601


def structure() -> Structure:
    rows: list[dict[str, Any]] = []
    for s in range(20):
        sid = f"S{s:02d}"
        rows.append({"id": sid, "level": "street", "name": sid})
        for c in range(5):
            cid = f"{sid}C{c}"
            rows.append({"id": cid, "level": "community", "parent": sid, "name": cid})
            rows.extend(
                {"id": f"{cid}G{g:02d}", "level": "grid", "parent": cid, "name": f"{cid}G{g:02d}"}
                for g in range(40)
            )
    return Structure.model_validate({"name": "bench", "areas": rows})


def median_time(fn: Callable[[], Any], reps: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(reps):
        gc.collect()
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def baseline(events: pl.DataFrame, grid_of: pl.DataFrame, template: Any, cal: Any) -> pl.DataFrame:
    """结案率 and 按期结案率 by grid and month, written by hand for urban_case only."""
    c = pl.col
    pausing = c("activity").is_in(["postpone", "shelve"])
    last = events.get_column("timestamp").max()
    per = events.group_by("case_id").agg(
        c("kind").first(),
        c("urgency").first(),
        c("area").first(),
        c("timestamp").filter(c("activity") == "file").min().alias("filed_at"),
        c("timestamp").filter(c("activity") == "close").min().alias("closed_at"),
        c("timestamp").filter(pausing).alias("p_start"),
        c("timestamp").shift(-1).fill_null(last).filter(pausing).alias("p_end"),
    )
    limits = pl.DataFrame(
        [
            (k, u, d.limit)
            for k in template.kinds
            for u in template.urgencies
            if (d := template.deadline("close", kind=k, urgency=u)) is not None
        ],
        schema=["kind", "urgency", "limit"],
        orient="row",
    )
    per = per.filter(c("filed_at").is_not_null()).join(limits, on=["kind", "urgency"], how="left")
    p = (
        per.select(pl.int_range(pl.len()).alias("row"), "p_start", "p_end")
        .explode("p_start", "p_end")
        .drop_nulls()
    )
    due = cal.due(
        per.get_column("filed_at"),
        per.get_column("limit"),
        pauses=Pauses(
            p.get_column("row").to_numpy(), p.get_column("p_start"), p.get_column("p_end")
        ),
    )
    per = per.with_columns(due_at=pl.Series(due)).join(grid_of, on="area", how="left")
    return per.group_by("grid", c("due_at").dt.strftime("%Y-%m").alias("period")).agg(
        due=pl.len(),
        closed=c("closed_at").is_not_null().sum(),
        on_time=(c("closed_at") <= c("due_at")).fill_null(value=False).sum(),
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--events", type=int, default=10_000_000)
    ap.add_argument("--replay", type=int, default=1_000_000)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--strict", action="store_true")
    args = ap.parse_args(argv)
    struct = structure()
    grids = [a for a in struct.index.ids if a.count("G") == 1]
    grid_of = pl.DataFrame({"area": grids, "grid": grids})
    cal = WorkingCalendar.china()
    template = load_template("urban_case")
    templates = {"urban_case": template}
    per_case = 14.2  # mean events per sampled urban case
    t0 = time.perf_counter()
    events = sample_log([template], cases=int(args.events / per_case), seed=SEED, areas=grids)
    print(
        f"data: {events.height:,} events of {events.get_column('case_id').n_unique():,} "
        f"urban cases over {len(grids):,} grids ({time.perf_counter() - t0:.1f} s); "
        "deadlines: WorkingCalendar.china()"
    )
    missed = []

    def ours() -> tuple[pl.DataFrame, pl.DataFrame]:
        table = cases(events, templates, cal)
        kw: dict[str, Any] = {"by": "grid", "period": "month", "structure": struct}
        return closing_rate(table, **kw), on_time_closing_rate(table, **kw)

    times_b, times_g = [], []
    for _ in range(args.reps):
        tb, base = median_time(lambda: baseline(events, grid_of, template, cal), 1)
        tg, (closed, on_time) = median_time(ours, 1)
        times_b.append(tb)
        times_g.append(tg)
    b, g = statistics.median(times_b), statistics.median(times_g)
    check = base.join(closed, on=["grid", "period"]).join(
        on_time.select("grid", "period", pl.col("numerator").alias("on_time_g")),
        on=["grid", "period"],
    )
    same = bool(
        (check["due"] == check["denominator"]).all()
        and (check["closed"] == check["numerator"]).all()
        and (check["on_time"] == check["on_time_g"]).all()
        and check.height == base.height
    )
    ratio = g / b
    flag = "ok" if ratio <= 2.0 and same else "MISS"
    if flag == "MISS":
        missed.append("rates")
    spread = (
        f"gridgov {min(times_g):.2f}-{max(times_g):.2f} s, "
        f"baseline {min(times_b):.2f}-{max(times_b):.2f} s"
    )
    print(
        f"1. rates by grid and month: gridgov {g:.2f} s / hand-written {b:.2f} s = "
        f"{ratio:.2f}x (target <= 2x; same numbers: {same}) [{spread}] {flag}"
    )

    replay = sample_log(template_names(), cases=int(args.replay / 8.8), seed=SEED + 1)
    tc, found = median_time(lambda: conformance(replay), args.reps)
    flag = "ok" if tc < 10 and found.height == 0 else "MISS"
    if flag == "MISS":
        missed.append("conformance")
    print(
        f"2. conformance of {replay.height:,} events: {tc:.2f} s (target < 10 s; "
        f"{found.height} deviations in a clean log) {flag}"
    )
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
