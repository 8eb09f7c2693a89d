"""Tests for gridgov.report.build: every figure comes from the structure's own queries."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings

from gridgov.org import Structure
from gridgov.org._base import is_valid_on
from gridgov.org.profiles import load_profile
from gridgov.report import build_report
from gridgov.testing import dates, structures


def test_summary_counts_on_the_reference_day(town: Structure) -> None:
    s = build_report(town, "default").summary
    assert (s.streets, s.communities, s.grids, s.buildings, s.units) == (1, 1, 2, 2, 2)
    assert (s.households, s.residents) == (480, 230 * 3 + 250 * 2)  # LATE starts in 2025
    assert (s.organisations, s.party_organisations) == (4, 2)
    assert (s.people, s.party_members) == (2, 1)
    assert (s.posts, s.posts_filled, s.posts_vacant, s.appointments) == (4, 3, 1, 3)
    assert s.cross_appointments == 2
    assert s.linked_households == 2  # K3's link starts in 2025


def test_later_day_sees_later_entities(town: Structure) -> None:
    s = build_report(town, on=dt.date(2025, 6, 1)).summary
    assert (s.buildings, s.households, s.linked_households) == (3, 481, 3)


@pytest.mark.parametrize("profile", ["default", "youyi", "huanan", "bozhou"])
def test_rules_are_the_profiles_enabled_rules_and_findings_match_check(
    town: Structure, profile: str
) -> None:
    report = build_report(town, profile)
    assert [r.rule for r in report.rules] == load_profile(profile).enabled_rules()
    expected = town.check(profile)
    assert [(f.rule, f.subject, f.message) for f in report.findings] == [
        (f.rule, f.subject, f.message) for f in expected
    ]
    for r in report.rules:
        assert r.findings == sum(1 for f in expected if f.rule == r.rule)
        assert r.passed == (r.findings == 0)
    assert report.passed == (not expected)


def test_rollups_per_level(town: Structure) -> None:
    report = build_report(town)
    assert list(report.rollups) == ["street", "community", "grid"]
    grids = {row.id: row for row in report.rollups["grid"]}
    assert grids["G1"].households == 230
    assert grids["G1"].name == "第一网格"
    assert sum(r.households for r in report.rollups["grid"]) == report.summary.households
    then = town.as_of(report.reference_date)
    for level, rows in report.rollups.items():
        expected = then.rollup(level).drop("level").to_dicts()
        assert [r.model_dump() for r in rows] == expected


def test_cross_appointments_and_entry_pairs(town: Structure) -> None:
    report = build_report(town, "bozhou")
    crosses = report.cross_appointments
    assert {(x.person, x.first_post, x.second_post) for x in crosses} == {
        ("P1", "PO2", "PO3"),
        ("P1", "PO1", "PO3"),
    }
    assert crosses[0].name == "张三"
    assert crosses[0].second_organisation_name == "安居物业党支部"
    assert crosses[0].sectors == ("community", "enterprise_party")
    (pair,) = report.entry_pairs
    assert (pair.community, pair.company, pair.community_to_company) == ("C1", "PC1", 2)
    assert (pair.company_to_community, pair.two_way) == (0, False)
    assert pair.company_name == "安居物业"


def test_coverage(town: Structure) -> None:
    cov = {c.level: c for c in build_report(town).coverage}
    assert (cov["building"].total, cov["building"].uncovered) == (2, 1)
    assert cov["building"].examples == ("B2",)
    assert (cov["unit"].total, cov["unit"].uncovered) == (2, 2)  # U1 has no head, PO4 is vacant
    assert (cov["household"].total, cov["household"].uncovered) == (480, 478)
    assert cov["building"].covered_share == 0.5


def test_title_and_profile_label(town: Structure) -> None:
    report = build_report(town, "youyi", title="月报")
    assert (report.title, report.profile, report.profile_label_zh) == ("月报", "youyi", "友谊县")
    assert report.reference_date == dt.date(2024, 6, 30)


def test_report_holds_no_personal_field(town: Structure) -> None:
    text = build_report(town, "bozhou").model_dump_json()
    assert "13800000000" not in text
    assert "SYN-000042" not in text


def test_youyi_example_passes_every_youyi_rule() -> None:
    from gridgov.datasets import load as load_dataset

    report = build_report(load_dataset("youyi"), "youyi")
    assert report.summary.grids == 76  # DOMAIN.md §1: 76 grids in 友谊县
    assert report.rules
    assert [r.rule for r in report.rules if not r.passed] == []
    assert report.passed


def test_cobuilding_links_in_force_on_the_day(town: Structure) -> None:
    data = town.model_dump(mode="json")
    data["organisations"].append({"id": "CB1", "kind": "co_building_unit", "name": "县一中"})
    data["agreements"] = [
        {
            "id": "AG1",
            "unit": "CB1",
            "community": "C1",
            "projects": [{"id": "PJ1"}, {"id": "PJ2", "end": "2024-01-31"}],
        },
        {"id": "AG2", "unit": "CB1", "community": "C1", "start": "2024-03-01"},
        {"id": "AG3", "unit": "CB1", "community": "C1", "start": "2025-01-01"},
    ]
    report = build_report(Structure.model_validate(data))
    # AG1 (PJ1 only: PJ2 ended in January) and AG2 are in force on 2024-06-30; AG3 starts later
    assert [x.model_dump() for x in report.cobuilding] == [
        {
            "community": "C1",
            "community_name": "幸福社区",
            "unit": "CB1",
            "unit_name": "县一中",
            "agreements": 2,
            "projects": 1,
        }
    ]


def test_cobuilding_links_add_up_to_the_summary() -> None:
    from gridgov.datasets import load

    report = build_report(load("youyi"), "youyi")
    assert sum(x.agreements for x in report.cobuilding) == report.summary.agreements
    assert sum(x.projects for x in report.cobuilding) == report.summary.projects
    pairs = [(x.community, x.unit) for x in report.cobuilding]
    assert pairs == sorted(set(pairs))
    assert report.rates == ()  # no event log, no rates


def test_rates_are_the_service_rates_of_the_reports_year() -> None:
    import polars as pl

    from gridgov.datasets import events, load
    from gridgov.report import REPORT_RATES
    from gridgov.service import cases, rates

    log = events("youyi")
    report = build_report(load("youyi"), "youyi", events=log)
    table = cases(log)
    assert {x.metric for x in report.rates} == {m for m, *_ in REPORT_RATES}
    assert {x.period[:4] for x in report.rates} == {"2024"}  # the report's day is 2024-06-30
    for metric, *_ in REPORT_RATES:
        # the source of every expected figure: gridgov.service.rates on the same case table
        want = getattr(rates, metric)(table).filter(pl.col("period").str.starts_with("2024-"))
        got = [x for x in report.rates if x.metric == metric]
        assert [x.period for x in got] == want.get_column("period").to_list()
        if "count" in want.columns:
            assert [x.numerator for x in got] == want.get_column("count").to_list()
            assert all(x.denominator is None and x.rate is None for x in got)
        else:
            assert [(x.numerator, x.denominator, x.rate) for x in got] == list(
                want.select("numerator", "denominator", "rate").iter_rows()
            )
    filed_2024 = table.filter(pl.col("filed_at").dt.year() == 2024).height
    assert sum(x.numerator for x in report.rates if x.metric == "filed_count") == filed_2024


@settings(max_examples=15, deadline=None, database=None)
@given(structures(), dates(dt.date(2012, 1, 1), dt.date(2033, 12, 31)))
def test_counts_over_kept_arrays_equal_loops_over_the_days_entities(
    s: Structure, day: dt.date
) -> None:
    # the report counts over the structure's kept arrays; the straightforward way loops over
    # the entities valid on the day
    report = build_report(s, "default", on=day)
    got = report.summary
    posts = [p for p in s.posts if p.valid_on(day)]
    valid = [a for a in s.appointments if a.valid_on(day)]
    held = {a.post for a in valid}
    assert got.posts == len(posts)
    assert got.posts_filled == sum(1 for p in posts if p.id in held)
    assert got.appointments == len(valid)
    assert (got.people, got.party_members) == (
        len(s.people),
        sum(1 for p in s.people if p.party is not None),
    )
    links = s.linked_households.frame.to_dicts()
    assert got.linked_households == len(
        {r["household"] for r in links if is_valid_on(r["start"], r["end"], day)}
    )
    coverage = {c.level: c for c in report.coverage}
    then = s.as_of(day)
    for level in ("building", "unit", "household"):
        missing = then.uncovered(level, on=day)
        assert coverage[level].uncovered == len(missing)
        assert list(coverage[level].examples) == missing[:20]
