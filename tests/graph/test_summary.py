"""Tests for gridgov.graph.summary: the seed's figures restated."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from gridgov.graph import (
    chair_rotations,
    cobuilding,
    cobuilding_summary,
    cross_appointment_summary,
)
from gridgov.org import Structure

D = dt.date
Build = Callable[..., Structure]


def test_huanan_reproduces_the_report(huanan: Structure) -> None:
    # DOMAIN.md §4 (桦南县): "co-building agreements: 120 units ↔ 21 communities, 221 projects".
    s = cobuilding_summary(huanan)
    assert s.units == 120
    assert s.communities == 21
    assert s.projects == 221
    assert s.per_community.height == 21
    assert s.per_unit.height == 120
    assert int(s.per_community.get_column("projects").sum()) == 221
    assert int(s.per_unit.get_column("agreements").sum()) == s.agreements
    assert "120 co-building units, 21 communities" in s.text()
    assert "共建单位120个，社区21个" in s.text("zh")
    assert "共建项目221个" in s.text("zh")


def test_summary_matches_the_graph(huanan: Structure) -> None:
    s = cobuilding_summary(huanan)
    G = cobuilding(huanan)
    assert s.agreements == sum(len(d["agreements"]) for *_, d in G.edges(data=True))
    partnered = {n for n, d in G.degree() if d > 0 and G.nodes[n]["bipartite"] == 1}
    assert s.communities_with_partners == len(partnered)


def test_demo_summary(demo: Structure) -> None:
    s = cobuilding_summary(demo)
    assert (s.units, s.communities, s.agreements, s.projects) == (2, 2, 2, 3)
    assert s.units_with_agreements == 2
    assert s.communities_without_partner == ("C2",)
    assert s.units_without_partner == ()
    assert s.categories == {"service": 1, "organisational": 1}
    assert s.statuses == {"active": 2}
    assert s.per_unit.rows() == [
        ("U1", "县医院", "hospital", 1, 1, 2, 0),
        ("U2", "第一中学", "", 1, 1, 1, 0),
    ]
    data = s.to_dict()
    assert data["per_community"][1] == {
        "community": "C2",
        "name": "和平社区",
        "units": 0,
        "agreements": 0,
        "projects": 0,
        "problems_solved": 0,
    }
    assert "Communities with no partner: C2" in s.text()
    assert "没有共建伙伴的社区：C2。" in s.text("zh")


def test_summary_as_of_and_empty(build: Build) -> None:
    s = build(
        organisations=[{"id": "U1", "kind": "co_building_unit"}],
        agreements=[
            {
                "id": "A1",
                "unit": "U1",
                "community": "C1",
                "end": D(2022, 12, 31),
                "projects": [{"id": "P1", "problems_solved": 4}],
            }
        ],
    )
    assert cobuilding_summary(s).problems_solved == 4
    later = cobuilding_summary(s, as_of=D(2024, 1, 1))
    assert (later.agreements, later.projects, later.units_without_partner) == (0, 0, ("U1",))
    assert later.communities_without_partner == ("C1", "C2", "C3")
    empty = cobuilding_summary(build())
    assert (empty.units, empty.communities, empty.projects) == (0, 3, 0)


def test_cross_appointment_summary(build: Build) -> None:
    s = build(
        organisations=[
            {"id": "RC", "kind": "residents_committee", "area": "C1"},
            {"id": "PC", "kind": "property_company"},
            {"id": "IPC", "kind": "industry_party_committee"},
            {"id": "EPO", "kind": "enterprise_party_org", "host": "PC", "parent": "IPC"},
        ],
        people=[{"id": "P1"}, {"id": "P2"}],
        posts=[
            {"id": "Q1", "kind": "committee_member", "organisation": "RC"},
            {"id": "Q2", "kind": "board_member", "organisation": "EPO"},
            {"id": "Q3", "kind": "manager", "organisation": "PC", "max_holders": 2},
            {"id": "Q4", "kind": "committee_member", "organisation": "RC", "max_holders": 2},
        ],
        appointments=[
            {"id": "A1", "person": "P1", "post": "Q1", "start": D(2020, 1, 1)},
            {"id": "A2", "person": "P1", "post": "Q2", "start": D(2021, 1, 1)},
            {"id": "A3", "person": "P2", "post": "Q3", "start": D(2020, 1, 1)},
            {"id": "A4", "person": "P2", "post": "Q4", "start": D(2022, 1, 1)},
        ],
    )
    summary = cross_appointment_summary(s)
    assert summary.cross_appointments == 2
    assert summary.people == 2
    assert summary.by_direction == {
        "community → enterprise_party": 1,
        "enterprise → community": 1,
    }
    assert (summary.community_to_company, summary.company_to_community) == (1, 1)
    assert (summary.pairs, summary.two_way_pairs) == (1, 1)
    assert "1 of them two-way" in summary.text()
    assert "双向进入1对" in summary.text("zh")
    assert "社区 → 企业党组织 1" in summary.text("zh")
    assert summary.to_dict()["two_way_pairs"] == 1
    assert cross_appointment_summary(s, as_of=D(2021, 6, 1)).cross_appointments == 1


def test_chair_rotations(build: Build) -> None:
    units = [{"id": f"U{i}", "kind": "co_building_unit"} for i in range(4)]

    def committee(cid: str, terms: list[tuple[str, dt.date, dt.date | None]]) -> dict[str, object]:
        return {
            "id": cid,
            "name": f"{cid}大党委",
            "community": "C1",
            "members": ["U1", "U2"],
            "chair_rotation": [{"organisation": o, "start": a, "end": b} for o, a, b in terms],
        }

    s = build(
        organisations=units,
        joint_committees=[
            committee("OK", [("U1", D(2024, 1, 1), D(2024, 6, 30)), ("U2", D(2024, 7, 1), None)]),
            committee("GAP", [("U1", D(2024, 1, 1), D(2024, 5, 31)), ("U2", D(2024, 7, 1), None)]),
            committee("LAP", [("U1", D(2024, 1, 1), D(2024, 7, 5)), ("U2", D(2024, 7, 1), None)]),
            committee("OUT", [("U1", D(2024, 1, 1), D(2024, 6, 30)), ("U3", D(2024, 7, 1), None)]),
        ],
    )
    checks = {c.committee: c for c in chair_rotations(s)}
    assert checks["OK"].valid
    assert checks["OK"].chairs == ("U1", "U2")
    assert checks["OK"].text() == "OK大党委: chair rotation valid (2 terms)."
    assert checks["OK"].text("zh") == "OK大党委：轮值主席安排有效（2届）。"
    assert checks["GAP"].problems == ("gap of 30 day(s) before 2024-07-01",)
    assert checks["LAP"].problems == ("overlap of 5 day(s) at 2024-07-01",)
    assert set(checks["OUT"].problems) == {"chair U3 is not a member", "member U2 never chairs"}
    assert not checks["OUT"].valid
    assert "2 rotation problem(s)" in checks["OUT"].text()
    assert "有2个问题" in checks["OUT"].text("zh")


def test_huanan_rotations_and_cross_appointments(huanan: Structure) -> None:
    checks = chair_rotations(huanan)
    assert len(checks) == len(huanan.joint_committees)
    assert all(
        c.problems == tuple(j.rotation_problems())
        for c, j in zip(checks, huanan.joint_committees, strict=True)
    )
    summary = cross_appointment_summary(huanan)
    assert summary.cross_appointments == len(huanan.cross_appointments())
    assert sum(summary.by_direction.values()) == summary.cross_appointments


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_texts_are_non_empty(demo: Structure, lang: str) -> None:
    assert cobuilding_summary(demo).text(lang)  # type: ignore[arg-type]
    assert cross_appointment_summary(demo).text(lang)  # type: ignore[arg-type]
