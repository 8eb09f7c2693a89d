"""Tests for gridgov.graph.views: typed nodes and edges of the five views."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gridgov.graph import (
    AGREEMENTS,
    ALSO,
    AS_OF,
    BIPARTITE,
    CATEGORIES,
    CHAIR_TERMS,
    COMMUNITY,
    CROSS_APPOINTED,
    ENDS,
    ENTITY,
    KIND,
    KIND_ZH,
    LABEL,
    N_PROJECTS,
    POST_KINDS,
    PROJECTS,
    RELATION,
    ROTATION_PROBLEMS,
    SECTOR,
    SECTORS,
    STARTS,
    STATUSES,
    VIEW,
    WEIGHT,
    WEIGHT_BY,
    appointments,
    cobuilding,
    hierarchy,
    joint_committees,
    supervision,
)
from gridgov.org import Structure

D = dt.date
Build = Callable[..., Structure]

# -- hierarchy --------------------------------------------------------------------------------


def test_hierarchy_typed_edges(demo: Structure) -> None:
    G = hierarchy(demo)
    assert isinstance(G, nx.DiGraph)
    relations = {(u, v): r for u, v, r in G.edges(data=RELATION)}
    assert relations == {
        ("S1", "C1"): "contains",
        ("S1", "C2"): "contains",
        ("C1", "G1"): "contains",
        ("G1", "B1"): "contains",
        ("WC1", "C1"): "serves",
        ("WC1", "PB1"): "leads",
        ("PB1", "C1"): "serves",
        ("PB1", "GPG1"): "leads",
        ("GPG1", "G1"): "covers",
        ("RC1", "C1"): "serves",
        ("IPC1", "EPO1"): "leads",
        ("PC1", "EPO1"): "hosts",
    }
    assert G.graph[VIEW] == "hierarchy"
    assert "H1" not in G


def test_hierarchy_node_attributes(demo: Structure) -> None:
    G = hierarchy(demo)
    assert G.nodes["C1"] == {
        ENTITY: "area",
        KIND: "community",
        KIND_ZH: "社区",
        LABEL: "光明社区",
        "level": "community",
    }
    assert G.nodes["GPG1"][KIND_ZH] == "网格党小组"
    assert G.nodes["GPG1"][LABEL] == "GPG1"  # no name: the id
    assert G.nodes["PC1"][SECTOR] == "enterprise"


def test_hierarchy_with_households(demo: Structure) -> None:
    G = hierarchy(demo, include_households=True)
    assert G["B1"]["H1"][RELATION] == "contains"
    assert G["PM1"]["H1"][RELATION] == "linked"
    assert G.nodes["H1"]["residents"] == 3
    assert G.nodes["PM1"][KIND] == "party_member"


def test_hierarchy_two_relations_on_one_pair(build: Build) -> None:
    s = build(
        organisations=[
            {"id": "IPC", "kind": "industry_party_committee"},
            {"id": "EPO", "kind": "enterprise_party_org", "parent": "IPC", "host": "IPC"},
            {"id": "RC", "kind": "residents_committee", "parent": "EPO"},
        ]
    )
    G = hierarchy(s)
    assert G["IPC"]["EPO"] == {RELATION: "leads", ALSO: ("hosts",)}
    assert G["EPO"]["RC"] == {RELATION: "directs"}


def test_hierarchy_as_of_leaves_out_ended_areas(build: Build) -> None:
    s = build(
        areas=[
            {"id": "G9", "level": "grid", "parent": "C2", "end": D(2020, 1, 1)},
            {"id": "B9", "level": "building", "parent": "G9", "end": D(2020, 1, 1)},
        ],
    )
    G = hierarchy(s, as_of=D(2024, 1, 1))
    assert "G9" not in G
    assert "B9" not in G
    assert G.graph[AS_OF] == D(2024, 1, 1)
    assert "G9" in hierarchy(s)


# -- cobuilding -------------------------------------------------------------------------------


def _units(*ids: str) -> list[dict[str, str]]:
    return [{"id": i, "kind": "co_building_unit", "name": f"单位{i}"} for i in ids]


def test_cobuilding_merges_agreements_of_a_pair(build: Build) -> None:
    s = build(
        organisations=_units("U1", "U2"),
        agreements=[
            {
                "id": "A1",
                "unit": "U1",
                "community": "C1",
                "category": "service",
                "start": D(2023, 1, 1),
                "projects": [{"id": "P1"}, {"id": "P2"}],
            },
            {
                "id": "A2",
                "unit": "U1",
                "community": "C1",
                "status": "completed",
                "end": D(2024, 6, 30),
            },
            {"id": "A3", "unit": "U2", "community": "C2", "projects": [{"id": "P3"}]},
        ],
    )
    G = cobuilding(s)
    assert G["U1"]["C1"] == {
        RELATION: "cobuilding",
        AGREEMENTS: ("A1", "A2"),
        CATEGORIES: ("service", "organisational"),
        STATUSES: ("active", "completed"),
        STARTS: (D(2023, 1, 1), None),
        ENDS: (None, D(2024, 6, 30)),
        PROJECTS: ("P1", "P2"),
        N_PROJECTS: 2,
        WEIGHT: 2,
    }
    assert cobuilding(s, weight_by="projects")["U2"]["C2"][WEIGHT] == 1
    assert cobuilding(s, weight_by="projects")["U1"]["C1"][WEIGHT] == 2
    assert G.graph[WEIGHT_BY] == "agreements"
    # every community is a node, partnered or not
    assert dict(G.nodes(data=BIPARTITE)) == {"U1": 0, "U2": 0, "C1": 1, "C2": 1, "C3": 1}
    assert G.degree("C3") == 0
    assert G.nodes["U1"][KIND] == "co_building_unit"
    assert G.nodes["C1"][LABEL] == "一社区"


def test_cobuilding_as_of_keeps_valid_agreements(build: Build) -> None:
    s = build(
        organisations=_units("U1"),
        agreements=[
            {"id": "A1", "unit": "U1", "community": "C1", "end": D(2022, 12, 31)},
            {"id": "A2", "unit": "U1", "community": "C2", "start": D(2023, 1, 1)},
        ],
    )
    assert sorted(cobuilding(s, as_of=D(2024, 1, 1)).edges()) == [("U1", "C2")]
    assert sorted(cobuilding(s, as_of=D(2022, 1, 1)).edges()) == [("U1", "C1")]


def test_cobuilding_rejects_unknown_weight(demo: Structure) -> None:
    with pytest.raises(ValueError, match="weight_by"):
        cobuilding(demo, weight_by="money")  # type: ignore[arg-type]


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 2), st.integers(0, 3)),
        max_size=15,
    )
)
def test_cobuilding_counts_every_agreement_and_project(
    rows: list[tuple[int, int, int]],
) -> None:
    from gridgov.graph._demo import demo_structure

    base = demo_structure()
    units = [{"id": f"U{i}", "kind": "co_building_unit"} for i in range(4)]
    agreements = [
        {
            "id": f"A{k}",
            "unit": f"U{u}",
            "community": ("C1", "C2", "C1")[c],
            "projects": [{"id": f"P{k}-{j}"} for j in range(n)],
        }
        for k, (u, c, n) in enumerate(rows)
    ]
    s = Structure.model_validate(
        {"areas": base.areas, "organisations": units, "agreements": agreements}
    )
    G = cobuilding(s)
    assert sum(len(d[AGREEMENTS]) for *_, d in G.edges(data=True)) == len(rows)
    assert sum(d[N_PROJECTS] for *_, d in G.edges(data=True)) == sum(n for *_, n in rows)
    assert sum(w for *_, w in G.edges(data=WEIGHT)) == len(rows)
    assert G.number_of_edges() == len({(u, (0, 1, 0)[c]) for u, c, _ in rows})
    assert nx.is_bipartite(G)


def test_cobuilding_on_huanan(huanan: Structure) -> None:
    G = cobuilding(huanan)
    sides = dict(G.nodes(data=BIPARTITE))
    assert sum(1 for s in sides.values() if s == 0) == 120
    assert sum(1 for s in sides.values() if s == 1) == 21
    assert sum(d[N_PROJECTS] for *_, d in G.edges(data=True)) == 221


# -- appointments -----------------------------------------------------------------------------


def test_appointments_two_mode_with_sectors(demo: Structure) -> None:
    G = appointments(demo)
    assert G.nodes["PM1"][BIPARTITE] == 0
    assert G.nodes["RC1"][BIPARTITE] == 1
    assert G.nodes["PM1"][SECTORS] == ("community", "enterprise_party")
    assert G.nodes["PM1"][CROSS_APPOINTED] is True
    assert G["PM1"]["RC1"][POST_KINDS] == ("committee_member",)
    assert G["PM1"]["RC1"][STARTS] == (D(2023, 1, 1),)
    assert nx.is_bipartite(G)


def test_appointments_several_posts_in_one_organisation(build: Build) -> None:
    s = build(
        organisations=[{"id": "RC", "kind": "residents_committee", "area": "C1"}],
        people=[{"id": "P1"}, {"id": "P2"}],
        posts=[
            {"id": "Q1", "kind": "director", "organisation": "RC"},
            {"id": "Q2", "kind": "mediator", "organisation": "RC"},
        ],
        appointments=[
            {"id": "A1", "person": "P1", "post": "Q1", "end": D(2022, 12, 31)},
            {"id": "A2", "person": "P1", "post": "Q2", "start": D(2023, 1, 1)},
        ],
    )
    G = appointments(s)
    assert G["P1"]["RC"][WEIGHT] == 2
    assert G["P1"]["RC"]["appointments"] == ("A1", "A2")
    assert G.nodes["P1"][CROSS_APPOINTED] is False
    assert "P2" not in G  # holds no post
    assert appointments(s, as_of=D(2024, 1, 1))["P1"]["RC"]["posts"] == ("Q2",)


# -- joint committees and supervision ---------------------------------------------------------


def test_joint_committees(demo: Structure) -> None:
    G = joint_committees(demo)
    assert G["JC1"]["WC1"][RELATION] == "lead"
    assert G["JC1"]["U2"][RELATION] == "member"
    assert G["JC1"]["U2"][CHAIR_TERMS] == ((D(2024, 7, 1), D(2024, 12, 31)),)
    assert G["JC1"]["WC1"][CHAIR_TERMS] == ()
    assert G.nodes["JC1"][COMMUNITY] == "C1"
    assert G.nodes["JC1"][ROTATION_PROBLEMS] == ()
    assert G.nodes["U1"][BIPARTITE] == 1


def test_joint_committee_rotation_problems_on_node(build: Build) -> None:
    s = build(
        organisations=_units("U1", "U2", "U3"),
        joint_committees=[
            {
                "id": "JC",
                "community": "C1",
                "members": ["U1", "U2", "U3"],
                "chair_rotation": [
                    {"organisation": "U1", "start": D(2024, 1, 1), "end": D(2024, 3, 31)},
                    {"organisation": "U2", "start": D(2024, 5, 1), "end": D(2024, 6, 30)},
                ],
            }
        ],
    )
    problems = joint_committees(s).nodes["JC"][ROTATION_PROBLEMS]
    assert any("gap" in p for p in problems)
    assert any("U3 never chairs" in p for p in problems)


def test_supervision(build: Build) -> None:
    s = build(
        organisations=[
            {"id": "IPC", "kind": "industry_party_committee"},
            {"id": "PC", "kind": "property_company"},
            {"id": "SO", "kind": "street_office", "area": "S1"},
        ],
        supervision=[
            {"supervisor": "IPC", "subject": "PC", "label": "行业监管", "start": D(2024, 1, 1)},
            {"supervisor": "SO", "subject": "C1"},
        ],
    )
    G = supervision(s)
    assert G["IPC"]["PC"] == {RELATION: "supervises", LABEL: "行业监管", "start": D(2024, 1, 1)}
    assert G["SO"]["C1"] == {RELATION: "supervises"}
    assert G.nodes["C1"][KIND] == "community"
    assert G.nodes["PC"][ENTITY] == "organisation"


def test_views_on_huanan(huanan: Structure) -> None:
    H = hierarchy(huanan)
    assert {r for *_, r in H.edges(data=RELATION)} >= {"contains", "leads", "covers", "serves"}
    grid_groups = [n for n, k in H.nodes(data=KIND) if k == "grid_party_group"]
    assert len(grid_groups) == 252
    for g in grid_groups:
        covered = [v for v in H.successors(g) if H[g][v][RELATION] == "covers"]
        assert len(covered) == 1
        assert H.nodes[covered[0]][KIND] == "grid"
    A = appointments(huanan)
    crossed = {x.person for x in huanan.cross_appointments()}
    assert {n for n, c in A.nodes(data=CROSS_APPOINTED) if c} == crossed
    J = joint_committees(huanan)
    assert sum(1 for _, b in J.nodes(data=BIPARTITE) if b == 0) == len(huanan.joint_committees)
    assert supervision(huanan).number_of_edges() == len(huanan.supervision)


def test_as_of_leaves_out_links_to_ended_entities(build: Build) -> None:
    ended = D(2022, 12, 31)
    s = build(
        organisations=[
            {"id": "U1", "kind": "co_building_unit"},
            {"id": "U2", "kind": "co_building_unit", "end": ended},
            {"id": "IPC", "kind": "industry_party_committee"},
            {"id": "PC", "kind": "property_company", "end": ended},
        ],
        people=[{"id": "P1"}],
        posts=[{"id": "Q1", "kind": "liaison", "organisation": "U2", "end": ended}],
        appointments=[{"id": "A1", "person": "P1", "post": "Q1", "end": ended}],
        joint_committees=[{"id": "JC", "community": "C1", "members": ["U1", "U2"]}],
        agreements=[{"id": "AG", "unit": "U2", "community": "C2"}],
        supervision=[{"supervisor": "IPC", "subject": "PC"}],
    )
    day = D(2024, 1, 1)
    assert appointments(s, as_of=day).number_of_edges() == 0
    assert appointments(s).number_of_edges() == 1
    assert sorted(joint_committees(s, as_of=day).edges()) == [("JC", "U1")]
    assert supervision(s, as_of=day).number_of_edges() == 0
    assert supervision(s).number_of_edges() == 1
    assert cobuilding(s, as_of=day).number_of_edges() == 0
    assert set(cobuilding(s, as_of=day)) == {"U1", "C1", "C2", "C3"}
