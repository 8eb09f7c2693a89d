#!/usr/bin/env python3
"""Benchmark ``gridgov.assess``: 10 000 subjects over 10 M events and 1 M ratings.

    python bench/bench_assess.py                      # 10 000 companies, 10 M events, 1 M ratings
    python bench/bench_assess.py --events 1000000     # a smaller run

The event log is laid out by ``gridgov.service.sample_log`` (``hotline_12345`` cases) with
each case's ``target`` drawn from 10 000 property companies and a third of the cases made
complaints; the ratings are 100 per company over the six rater groups of
``bozhou_property_redblack``; the companies' households are given as a subject frame (no
structure of that size is built).

Measured (median and spread over ``--repeat`` runs, in one process):

* ``indicators``: :func:`gridgov.assess.compute_indicators` for the scheme's three indicators
  on the case table, against a hand-written polars query of the same definitions (the
  baseline); the ratio is the target (<= 2).
* ``assess``: the whole :func:`gridgov.assess.assess` from the event log (the case table
  from 10 M events, indicators, rater aggregation of 1 M ratings, scoring, ±10 % robustness,
  credit grades); the target is < 30 s. The case table alone (:func:`gridgov.service.cases`,
  the service layer's cost) is printed once, so the assessment's own share can be read off.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import polars as pl

from gridgov.assess import AssessWarning, assess, compute_indicators
from gridgov.assess.indicators import lookup
from gridgov.service import cases as case_table
from gridgov.service import sample_log

GROUPS = (
    "industry_party_committee",
    "department",
    "street_working_committee",
    "community_party_organisation",
    "owners_committee",
    "residents",
)


def _log(events: int, companies: int, seed: int) -> pl.DataFrame:
    pilot = sample_log(["hotline_12345"], cases=2000, seed=seed)
    per_case = pilot.height / 2000
    log = sample_log(["hotline_12345"], cases=int(events / per_case), seed=seed)
    ids = log.get_column("case_id").unique(maintain_order=True)
    rng = np.random.default_rng(seed)
    company = pl.Series("company", [f"C{k:05d}" for k in rng.integers(0, companies, ids.len())])
    kind = pl.Series("new_kind", np.where(rng.random(ids.len()) < 1 / 3, "complaint", "help"))
    per = pl.DataFrame({"case_id": ids, "company": company, "new_kind": kind})
    return (
        log.join(per, on="case_id", how="left", maintain_order="left")
        .with_columns(
            target=pl.col("company"),
            kind=pl.col("new_kind"),
        )
        .drop("company", "new_kind")
    )


def _ratings(n: int, companies: int, seed: int) -> pl.DataFrame:
    rng = np.random.default_rng(seed + 1)
    subject = rng.integers(0, companies, n)
    group = rng.integers(0, len(GROUPS), n)
    return pl.DataFrame(
        {
            "rater_group": np.asarray(GROUPS)[group],
            "rater_id": [f"R{k}" for k in range(n)],
            "subject": [f"C{k:05d}" for k in subject],
            "item": ["overall"] * n,
            "score": np.clip(rng.normal(75, 10, n), 0, 100),
        }
    ).with_columns(date=pl.lit(dt.date(2024, 12, 1)))


def _hand(table: pl.DataFrame, subjects: pl.DataFrame, years: float) -> pl.DataFrame:
    """The three definitions written directly in polars (the baseline)."""
    rated = pl.col("rating").is_not_null()
    per = (
        table.filter(pl.col("target").is_not_null())
        .group_by("target")
        .agg(
            complaints=(pl.col("kind") == "complaint").sum(),
            satisfaction=pl.col("rating").cast(pl.Float64).mean(),
            resolution_rate=((pl.col("rating") >= 3) & rated).sum() / rated.sum(),
        )
    )
    return subjects.join(per, left_on="subject", right_on="target", how="left").with_columns(
        complaint_rate=pl.col("complaints").fill_null(0) * 100 / pl.col("households") / years
    )


def _time(f: Callable[[], Any], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        out.append(time.perf_counter() - t)
    return out


def _show(name: str, times: list[float]) -> str:
    med = statistics.median(times)
    return f"{name:<28} median {med:8.3f} s  (min {min(times):.3f}, max {max(times):.3f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--companies", type=int, default=10_000)
    parser.add_argument("--ratings", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    t0 = time.perf_counter()
    log = _log(args.events, args.companies, seed=1)
    ratings = _ratings(args.ratings, args.companies, seed=1)
    rng = np.random.default_rng(3)
    subjects = pl.DataFrame(
        {
            "subject": [f"C{k:05d}" for k in range(args.companies)],
            "name": [f"company {k}" for k in range(args.companies)],
            "households": rng.integers(100, 3000, args.companies),
        }
    )
    print(
        f"data: {log.height:,} events, {ratings.height:,} ratings, {args.companies:,} companies "
        f"(built in {time.perf_counter() - t0:.1f} s)"
    )
    t1 = time.perf_counter()
    table = case_table(log)
    print(
        f"cases: {table.height:,} (service.cases, the case table: {time.perf_counter() - t1:.1f} s)"
    )
    chosen = lookup(["complaint_rate", "resolution_rate", "satisfaction"])

    def ours() -> pl.DataFrame:
        return compute_indicators(
            None, table, chosen, kind="property_company", subject_frame=subjects
        )

    def hand() -> pl.DataFrame:
        return _hand(table, subjects, 1.0)

    # the same numbers from both
    a, b = ours().sort("subject"), hand().sort("subject")
    for col in ("complaint_rate", "satisfaction", "resolution_rate"):
        diff = (a.get_column(col) - b.get_column(col)).abs().max()
        assert diff is None or diff < 1e-9, (col, diff)
    t_ours, t_hand = [], []
    for _ in range(args.repeat):  # interleaved, so load on the machine hits both alike
        t_ours += _time(ours, 1)
        t_hand += _time(hand, 1)
    print(_show("indicators (gridgov)", t_ours))
    print(_show("indicators (hand polars)", t_hand))
    ratios = [o / h for o, h in zip(t_ours, t_hand, strict=True)]
    print(
        f"ratio gridgov / hand: median {statistics.median(ratios):.2f} "
        f"(min {min(ratios):.2f}, max {max(ratios):.2f}); target <= 2"
    )

    def whole() -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", AssessWarning)
            assess(None, log, ratings, "bozhou_property_redblack", 2024, subject_frame=subjects)

    t_whole = _time(whole, max(1, args.repeat - 1))
    print(_show("whole assess (from events)", t_whole) + "; target < 30 s")


if __name__ == "__main__":
    main()
