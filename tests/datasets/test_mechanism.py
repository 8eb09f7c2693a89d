"""The synthetic-activity mechanism: deterministic, valid, conforming, driven by its causes."""

from __future__ import annotations

from functools import cache

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gridgov.datasets import Mechanism, SyntheticEvents, synthetic_city, synthetic_events
from gridgov.org import Structure
from gridgov.service import cases, conformance, validate_events

TEMPLATES = [
    "four_lists:youyi",
    "four_lists:huanan",
    "whistle:huanan",
    "hotline_12345",
    "urban_case",
]


@cache
def _city() -> Structure:
    return synthetic_city(households=3_000, seed=11)


@cache
def _year(seed: int) -> SyntheticEvents:
    return synthetic_events(_city(), year=2024, seed=seed, templates=TEMPLATES, scale=2.0)


def test_same_seed_same_log_other_seed_other_log() -> None:
    a = _year(1).events
    b = synthetic_events(_city(), year=2024, seed=1, templates=TEMPLATES, scale=2.0).events
    assert a.equals(b)
    assert not a.equals(_year(2).events)
    assert not _year(1).quality.equals(_year(2).quality)


def test_log_validates_against_the_structure_and_conforms() -> None:
    log = _year(3).events
    assert log.height > 1_000
    validate_events(log, _city())  # raises on any problem
    assert conformance(log).height == 0
    assert set(log.get_column("template").unique()) == set(TEMPLATES)


def test_actors_are_people_of_the_structure_where_a_post_is_filled() -> None:
    log = _year(3).events
    people = {p.id for p in _city().people}
    volunteers = log.filter(pl.col("role") == "volunteer").get_column("actor")
    # building and unit heads are filled posts in the synthetic city: a person acts
    assert volunteers.is_in(list(people)).mean() > 0.9  # type: ignore[operator]


def test_every_case_is_closed_by_a_forward_path() -> None:
    table = cases(_year(4).events)
    # urban cases may be discarded (作废) before filing; every other case closes
    open_ = table.filter(~pl.col("closed") & (pl.col("template") != "urban_case"))
    assert open_.height == 0


def test_lateness_lowers_ratings() -> None:
    table = cases(_year(5).events).filter(pl.col("rating").is_not_null())
    by = table.group_by("on_time").agg(pl.col("rating").mean()).sort("on_time")
    late, on_time = by.get_column("rating").to_list()
    assert on_time - late > 0.5


def test_rework_falls_with_the_handling_organisations_quality() -> None:
    # 回退 (send_back) of 12345 cases by the host: probability rework * exp(-quality_rework * q)
    mech = Mechanism(rework=0.4, quality_rework=1.0)
    out = synthetic_events(_city(), seed=6, templates=["hotline_12345"], scale=2.0, mechanism=mech)
    log = out.events
    sent_back = log.filter(pl.col("activity") == "send_back").get_column("case_id").unique()
    per_target = (
        log.filter(pl.col("target").is_not_null())
        .unique("case_id")
        .group_by("target")
        .agg(share=pl.col("case_id").is_in(sent_back.implode()).mean(), cases=pl.len())
        .join(out.quality, left_on="target", right_on="organisation")
    )
    q = per_target.get_column("quality").to_numpy()
    share = per_target.get_column("share").to_numpy()
    weights = per_target.get_column("cases").to_numpy()
    top = q > np.median(q)
    assert np.average(share[top], weights=weights[top]) < np.average(
        share[~top], weights=weights[~top]
    )
    assert (
        log.filter(pl.col("activity") == "send_back")
        .get_column("reason")
        .str.contains("退单")
        .all()
    )


def test_rates_are_scaled_and_reported() -> None:
    out = _year(1)
    row = out.rates.filter(template="hotline_12345", kind="help")
    assert row.item(0, "per_household") == pytest.approx(0.2)  # DEFAULT_RATES 0.1 x scale 2
    assert row.item(0, "expected") == pytest.approx(0.2 * 3_000)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**16),
    rework=st.floats(0.0, 0.6),
    pause=st.floats(0.0, 0.3),
    repeat=st.floats(0.0, 0.6),
)
def test_any_mechanism_conforms_and_orders_time(
    seed: int, rework: float, pause: float, repeat: float
) -> None:
    mech = Mechanism(rework=rework, pause=pause, repeat=repeat)
    log = synthetic_events(
        _city(),
        seed=seed,
        templates=["hotline_12345", "urban_case", "whistle:youyi"],
        mechanism=mech,
        scale=0.1,
    ).events
    assert conformance(log).height == 0
    ts = log.get_column("timestamp").dt.epoch("us").to_numpy()
    same = log.get_column("case_id").to_numpy()
    assert np.all(ts[1:][same[1:] == same[:-1]] >= ts[:-1][same[1:] == same[:-1]])
