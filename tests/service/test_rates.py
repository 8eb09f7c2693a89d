"""Tests for gridgov.service.case_table and gridgov.service.rates: a naive loop agrees."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gridgov.errors import CalendarError, ServiceError
from gridgov.org import Structure
from gridgov.service.case_table import CASE_TABLE_COLUMNS, cases
from gridgov.service.rates import (
    closing_rate,
    due_count,
    filed_count,
    four_lists_counts,
    four_lists_satisfaction,
    hotline_score,
    on_time_closing_rate,
    resolution_rate,
    response_rate,
    rework_rate,
    satisfaction_rate,
    timely_dispatch_rate,
)
from gridgov.service.sample import sample_log
from gridgov.service.workflow import Template, load_template, parse_limit


def in_hours(name: str) -> Template:
    """A shipped template with every limit turned into calendar hours (8 per working day)."""
    t = load_template(name)
    deadlines = []
    for d in t.deadlines:
        n, unit = parse_limit(d.limit)
        hours = int(n * 8) if unit == "working days" else int(n)
        deadlines.append(d.model_copy(update={"limit": f"{max(hours, 1)} hours"}))
    return t.model_copy(update={"deadlines": tuple(deadlines)})


HOURLY = {n: in_hours(n) for n in ("urban_case", "hotline_12345", "four_lists:youyi", "whistle")}


def log_of(seed: int, n: int = 40, gap_hours: float = 10.0) -> pl.DataFrame:
    return sample_log(
        list(HOURLY.values()),
        cases=n,
        seed=seed,
        days=90,
        areas=("G1", "G2"),
        mean_gap=dt.timedelta(hours=gap_hours),
        urgent_share=0.3,
    )


def naive_cases(events: pl.DataFrame, templates: dict[str, Template]) -> dict[str, dict[str, Any]]:
    """The per-case table, one case at a time in plain Python."""
    by_case: dict[str, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    for i, r in enumerate(events.iter_rows(named=True)):
        by_case[r["case_id"]].append((i, r))
    as_of = max(r["timestamp"] for r in events.iter_rows(named=True))
    out = {}
    for cid, rows in by_case.items():
        rows.sort(key=lambda x: (x[1]["timestamp"], x[0]))
        evs = [r for _, r in rows]
        first = min(by_case[cid])[1]
        t = templates[first["template"]]
        ms = t.milestones

        def at(acts: tuple[str, ...], evs: list[dict[str, Any]] = evs) -> dt.datetime | None:
            times = [e["timestamp"] for e in evs if e["activity"] in acts]
            return min(times) if times else None

        paused = dt.timedelta(0)
        for k, e in enumerate(evs):
            if t.target(e["activity"]) in t.pause_states():
                end = evs[k + 1]["timestamp"] if k + 1 < len(evs) else as_of
                paused += end - e["timestamp"]
        rated = [e for e in evs if e["activity"] in ms.rated and e["rating"] is not None]
        row: dict[str, Any] = {
            "filed_at": at(ms.filed),
            "dispatched_at": at(ms.dispatched),
            "responded_at": at(ms.responded),
            "closed_at": at(ms.closed),
            "rating": rated[-1]["rating"] if rated else None,
            "reworks": sum(e["activity"] in ms.reworked for e in evs),
            "paused": paused,
            "area": first["area"],
            "template": first["template"],
        }
        for column, milestone in [
            ("due_at", ms.closed),
            ("dispatch_due_at", ms.dispatched),
            ("response_due_at", ms.responded),
        ]:
            row[column] = None
            for act in milestone:
                d = t.deadline(act, kind=first["kind"], urgency=first["urgency"])
                if d is None:
                    continue
                since = at((d.since,))
                if since is not None:
                    hours, _ = parse_limit(d.limit)
                    row[column] = since + dt.timedelta(hours=hours)
                    if column == "due_at":
                        row[column] += paused
                break
        row["on_time"] = bool(
            row["closed_at"] and row["due_at"] and row["closed_at"] <= row["due_at"]
        )
        out[cid] = row
    return out


@given(seed=st.integers(0, 100_000), gap=st.sampled_from([1.0, 10.0, 40.0]))
@settings(max_examples=25)
def test_case_table_equals_a_naive_loop(seed: int, gap: float) -> None:
    log = log_of(seed, gap_hours=gap)
    table = cases(log, HOURLY, calendar=None)
    assert table.columns == list(CASE_TABLE_COLUMNS)
    expected = naive_cases(log, HOURLY)
    assert table.height == len(expected)
    for r in table.iter_rows(named=True):
        want = expected[r["case_id"]]
        for key, value in want.items():
            assert r[key] == value, (r["case_id"], key)


def naive_rate(
    rows: dict[str, dict[str, Any]], when: str, base: Any, hit: Any
) -> dict[tuple[str, str], tuple[int, int]]:
    out: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for r in rows.values():
        if r[when] is None or not base(r):
            continue
        key = (r["area"], r[when].strftime("%Y-%m"))
        out[key][1] += 1
        out[key][0] += bool(hit(r))
    return {k: (v[0], v[1]) for k, v in out.items()}


def as_dict(frame: pl.DataFrame) -> dict[tuple[str, str], tuple[int, int]]:
    return {
        (a, p): (n, d)
        for a, p, n, d in frame.select("area", "period", "numerator", "denominator").iter_rows()
    }


@given(seed=st.integers(0, 100_000), gap=st.sampled_from([2.0, 20.0]))
@settings(max_examples=20)
def test_rates_equal_a_naive_loop(seed: int, gap: float) -> None:
    log = log_of(seed, n=60, gap_hours=gap)
    table = cases(log, HOURLY, calendar=None)
    rows = naive_cases(log, HOURLY)
    kw: dict[str, Any] = {"by": "area", "period": "month"}
    filed = lambda r: r["filed_at"] is not None  # noqa: E731
    assert as_dict(closing_rate(table, **kw)) == naive_rate(
        rows, "due_at", filed, lambda r: r["closed_at"]
    )
    assert as_dict(on_time_closing_rate(table, **kw)) == naive_rate(
        rows, "due_at", filed, lambda r: r["on_time"]
    )
    assert as_dict(rework_rate(table, denominator="closed", **kw)) == naive_rate(
        rows, "closed_at", lambda r: True, lambda r: r["reworks"] > 0
    )
    assert as_dict(rework_rate(table, denominator="filed", **kw)) == naive_rate(
        rows, "filed_at", lambda r: True, lambda r: r["reworks"] > 0
    )
    assert as_dict(timely_dispatch_rate(table, **kw)) == naive_rate(
        rows,
        "filed_at",
        lambda r: r["dispatch_due_at"] is not None,
        lambda r: r["dispatched_at"] is not None and r["dispatched_at"] <= r["dispatch_due_at"],
    )
    assert as_dict(response_rate(table, **kw)) == naive_rate(
        rows,
        "filed_at",
        lambda r: r["response_due_at"] is not None,
        lambda r: r["responded_at"] is not None and r["responded_at"] <= r["response_due_at"],
    )
    rated = lambda r: r["rating"] is not None  # noqa: E731
    assert as_dict(satisfaction_rate(table, **kw)) == naive_rate(
        rows, "filed_at", rated, lambda r: r["rating"] >= 4
    )
    assert as_dict(resolution_rate(table, **kw)) == naive_rate(
        rows, "filed_at", rated, lambda r: r["rating"] >= 3
    )
    counts = {(a, p): n for a, p, n in filed_count(table, **kw).iter_rows()}
    assert counts == {
        k: d for k, (_, d) in naive_rate(rows, "filed_at", filed, lambda r: True).items()
    }
    due = {(a, p): n for a, p, n in due_count(table, **kw).iter_rows()}
    assert due == {k: d for k, (_, d) in naive_rate(rows, "due_at", filed, lambda r: True).items()}


def test_rates_roll_up_through_the_structure(small: Structure) -> None:
    log = log_of(3, n=80).with_columns(
        area=pl.when(pl.col("area") == "G2").then(pl.lit("G2")).otherwise(pl.lit("B1"))
    )
    table = cases(log, HOURLY, calendar=None)
    per_area = closing_rate(table, by="area", period="all")
    per_grid = closing_rate(table, by="grid", period="all", structure=small)
    per_community = closing_rate(table, by="community", period="all", structure=small)
    # B1 (a building) rolls up to grid G1; G1 and G2 both to community C1
    assert per_grid.get_column("grid").to_list() == ["G1", "G2"]
    assert per_grid.get_column("denominator").sum() == per_area.get_column("denominator").sum()
    assert per_community.select("community", "denominator").rows() == [
        ("C1", per_area.get_column("denominator").sum())
    ]
    assert (
        closing_rate(table, by="street", period="2024", structure=small).item(0, "street") == "S1"
    )


def test_period_filters_and_granularities() -> None:
    table = cases(log_of(5, n=200), HOURLY, calendar=None)
    months = filed_count(table, period="month")
    june = filed_count(table, period="2024-02")
    assert june.rows() == months.filter(pl.col("period") == "2024-02").rows()
    quarters = filed_count(table, period="quarter")
    assert quarters.get_column("count").sum() == months.get_column("count").sum()
    assert filed_count(table, period="all").item(0, "count") == months.get_column("count").sum()
    assert set(filed_count(table, period="year").get_column("period")) == {"2024"}
    with pytest.raises(ServiceError, match="unknown period"):
        filed_count(table, period="fortnight")
    with pytest.raises(ServiceError, match="unknown grouping"):
        filed_count(table, by="planet")
    with pytest.raises(ServiceError, match="needs the structure"):
        filed_count(table, by="grid")


def test_hotline_score_weights_the_three_rates() -> None:
    table = cases(log_of(8, n=300), HOURLY, calendar=None)
    score = hotline_score(table, period="all")
    r, s, m = (
        f(table, period="all").item(0, "rate")
        for f in (response_rate, resolution_rate, satisfaction_rate)
    )
    # default profile weights: response 0.2, resolution 0.4, satisfaction 0.4
    assert score.item(0, "score") == pytest.approx(0.2 * r + 0.4 * s + 0.4 * m)
    even = hotline_score(
        table, period="all", weights={"response": 1, "resolution": 1, "satisfaction": 1}
    )
    assert even.item(0, "score") == pytest.approx((r + s + m) / 3)
    with pytest.raises(ServiceError):
        hotline_score(table, weights={"response": 1})


def test_four_lists_counts_by_kind_and_satisfaction() -> None:
    table = cases(log_of(9, n=200), HOURLY, calendar=None)
    counts = four_lists_counts(table, period="all")
    four = table.filter(pl.col("template") == "four_lists:youyi")
    assert dict(counts.select("kind", "count").iter_rows()) == dict(
        four.group_by("kind").len().iter_rows()
    )
    sat = four_lists_satisfaction(table, period="all")
    rated = four.filter(pl.col("rating").is_not_null())
    assert sat.item(0, "denominator") == rated.height
    assert sat.item(0, "numerator") == rated.filter(pl.col("rating") >= 4).height


def test_working_limits_without_a_calendar_are_refused() -> None:
    with pytest.raises(CalendarError, match="working calendar"):
        cases(sample_log(["urban_case"], cases=3), calendar=None)
