"""Tests for gridgov.report.build: every figure comes from the structure's own queries."""

from __future__ import annotations

import datetime as dt

import pytest

from gridgov.org import Structure
from gridgov.org.profiles import load_profile
from gridgov.report import build_report


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
