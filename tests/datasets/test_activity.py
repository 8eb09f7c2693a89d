"""The bundled examples' year of cases: calibrated to the seed, valid, deterministic."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest

from gridgov import datasets
from gridgov.errors import UnknownDatasetError
from gridgov.service import WorkingCalendar, conformance, validate_events

NAMES = ["bozhou", "huanan", "youyi"]


def _cases_by_kind(log: pl.DataFrame, template: str) -> dict[str, int]:
    per_case = log.filter(pl.col("template") == template).unique("case_id")
    return dict(per_case.group_by("kind").len().iter_rows())


def _within_poisson(realised: int, target: float) -> bool:
    """A Poisson count within 4 standard deviations of its mean (fails with p < 1e-4)."""
    return abs(realised - target) <= 4 * math.sqrt(target)


@pytest.mark.parametrize("name", NAMES)
def test_events_exist_are_cached_valid_and_conform(name: str) -> None:
    log = datasets.events(name)
    assert log is datasets.events(name)
    validate_events(log, datasets.load(name))
    assert conformance(log).height == 0
    years = log.group_by("case_id").agg(pl.col("timestamp").min()).get_column("timestamp")
    assert (years.dt.year() == 2024).all()


def test_unknown_example_names_the_available_ones() -> None:
    with pytest.raises(UnknownDatasetError, match="available: bozhou, huanan, youyi"):
        datasets.events("yuoyi")


def test_youyi_four_lists_counts_arise_near_the_seed() -> None:
    # seed report, 友谊县: 「累计开展政策宣传246次、健康科普41次、安全检查81次、扶贫帮困53次、
    # 文艺汇演20次」 (DOMAIN.md §5); the generator calibrates arrival rates to these and samples
    targets = {
        "policy_talk": 246,
        "health": 41,
        "safety_check": 81,
        "relief": 53,
        "performance": 20,
    }
    realised = _cases_by_kind(datasets.events("youyi"), "four_lists:youyi")
    assert set(realised) == set(targets)
    for kind, target in targets.items():
        assert _within_poisson(realised[kind], target), (kind, realised[kind], target)


def test_huanan_solved_problems_near_the_seed() -> None:
    # seed report, 桦南县: 「已解决实际问题730余件」; the bundled structure's projects solve 736
    log = datasets.events("huanan")
    solved = log.filter(
        (pl.col("template") == "four_lists:huanan") & (pl.col("activity") == "resolve")
    )
    assert _within_poisson(solved.get_column("case_id").n_unique(), 736)


def test_bozhou_complaints_fall_with_company_quality() -> None:
    log = datasets.events("bozhou")
    quality = datasets.latent_quality("bozhou")
    companies = {
        o.id for o in datasets.load("bozhou").organisations if o.kind == "property_company"
    }
    per_case = log.unique("case_id")
    # the case's target is on its events after filing
    targets = (
        log.filter(pl.col("target").is_not_null()).unique("case_id").select("case_id", "target")
    )
    counts = (
        log.unique("case_id")
        .select("case_id", "kind")
        .join(targets, on="case_id")
        .group_by("target")
        .agg(
            complaints=(pl.col("kind") == "complaint").sum(),
            other=(pl.col("kind") != "complaint").sum(),
        )
        .join(quality, left_on="target", right_on="organisation")
        .filter(pl.col("target").is_in(list(companies)))
    )
    assert per_case.height > 0
    assert counts.height > 50
    # complaints relative to the company's other requests (a proxy of the households it serves)
    share = (counts["complaints"] / (counts["other"] + 1)).to_numpy()
    q = counts["quality"].to_numpy()
    assert np.corrcoef(q, share)[0, 1] < -0.3
    top = q > np.median(q)
    assert share[top].mean() < share[~top].mean()


def test_bozhou_repairs_are_handled_within_half_a_day_mostly() -> None:
    # DOMAIN.md §5: 「a leak fixed within half a day」: handling ('handle' after 'contact')
    log = datasets.events("bozhou").filter(pl.col("kind") == "help")
    steps = log.filter(pl.col("activity").is_in(["contact", "handle"])).pivot(
        on="activity", index="case_id", values="timestamp", aggregate_function="first"
    )
    steps = steps.drop_nulls()
    took = WorkingCalendar.china().working_hours(steps["contact"], steps["handle"])
    half_day = WorkingCalendar.china().working_day_length / 2
    assert took.median() <= half_day  # type: ignore[operator]
