"""Tests for gridgov.datasets._report_back: report-backs are the assignment's output."""

from __future__ import annotations

import math
from collections import Counter

import pytest

from gridgov.analysis import ReportBackAssignment, assign_report_back
from gridgov.datasets import load, synthetic_city
from gridgov.datasets._report_back import assigned_report_backs, report_back_capacity
from gridgov.datasets.bundled import EXAMPLES
from gridgov.errors import DatasetError
from gridgov.org import Structure
from gridgov.org.profiles import load_profile
from gridgov.org.vocab import MemberService


def in_service(s: Structure) -> list[str]:
    return sorted(
        p.id
        for p in s.people
        if p.party is not None and p.party.service is MemberService.IN_SERVICE
    )


def assert_home_first(a: ReportBackAssignment) -> None:
    """就地 wherever capacity allows: each grid takes min(capacity, residents) of its own."""
    at_home = Counter(g for g, p in zip(a.assigned, a.principle, strict=True) if p == "就地")
    for g in a.targets:
        assert at_home[g] == min(a.capacity[g], a.residents[g]), g
    for home, p in zip(a.home, a.principle, strict=True):
        if p == "就近" and home is not None:
            assert at_home[home] == a.capacity[home]  # sent elsewhere only when home is full


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_bundled_report_backs_are_the_assignment(name: str) -> None:
    s = load(name)
    profile = EXAMPLES[name]["profile"]
    a = assign_report_back(
        s, profile=profile, level="grid", capacity=report_back_capacity(s, profile=profile)
    )
    by_member = {rb.member: rb for rb in s.report_backs}
    assert sorted(by_member) == in_service(s)  # every registered member: report_back_share 1.0
    assert sorted(a.members) == sorted(by_member)
    for member, grid, principle in zip(a.members, a.assigned, a.principle, strict=True):
        assert (by_member[member].grid, by_member[member].principle) == (grid, principle)
    # the capacity: the profile's even share (its default), raised to the members living there
    factor = load_profile(profile).get("report_back.capacity_factor")
    assert isinstance(factor, float)
    even = math.ceil(factor * len(a.members) / len(a.targets))
    assert a.capacity == {g: max(even, a.residents[g]) for g in a.targets}
    assert_home_first(a)
    # so every member reports back to the grid where they live (the seed's 「回居住地网格报到」)
    assert {rb.principle for rb in s.report_backs} == {"就地"}
    assert not [f for f in s.check(profile=profile) if f.rule == "in_service_members_registered"]


def test_the_profiles_capacity_alone_sends_some_members_to_a_neighbouring_grid() -> None:
    youyi = load("youyi")
    tight = assigned_report_backs(youyi, profile="youyi")
    a = assign_report_back(youyi, profile="youyi", level="grid")
    got = {rb.member: (rb.grid, rb.principle) for rb in tight.report_backs}
    assert got == dict(zip(a.members, zip(a.assigned, a.principle, strict=True), strict=True))
    assert_home_first(a)
    # capacity ceil(1.5 × 316 / 76) = 7 (default.toml report_back.capacity_factor); grids with
    # up to 10 members living there send the rest 就近
    assert set(a.capacity.values()) == {7}
    counts = Counter(p for _, p in got.values())
    assert counts["就近"] == sum(max(r - 7, 0) for r in a.residents.values()) > 0
    # the records keep their ids and dates
    before = {rb.id: (rb.member, rb.start, rb.end) for rb in youyi.report_backs}
    assert {rb.id: (rb.member, rb.start, rb.end) for rb in tight.report_backs} == before


def test_an_unplaced_city_reports_back_where_it_lives() -> None:
    s = synthetic_city(households=2_000, seed=4)
    assert s.report_backs
    assert {rb.principle for rb in s.report_backs} == {"就地"}
    with pytest.raises(DatasetError, match="place the city first"):
        assigned_report_backs(s)
