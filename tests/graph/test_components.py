"""Tests for gridgov.graph.components: structural facts as governance sentences."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gridgov.graph import (
    KIND,
    LABEL,
    articulation_points,
    bridges,
    cobuilding,
    connected_components,
    governance_facts,
)
from gridgov.org import Structure


def _named(G: nx.Graph, kinds: dict[str, tuple[str, str]]) -> nx.Graph:
    for n, (kind, label) in kinds.items():
        G.nodes[n][KIND] = kind
        G.nodes[n][LABEL] = label
    return G


def liaison_network() -> nx.Graph:
    """Community C1 with its partners U1, U2, and community C2 with U3, U4: only the person
    P1 (a liaison holding posts in U2 and U3) ties the two groups together."""
    G = nx.Graph(
        [
            ("C1", "U1"),
            ("C1", "U2"),
            ("U1", "U2"),
            ("U2", "P1"),
            ("P1", "U3"),
            ("C2", "U3"),
            ("C2", "U4"),
            ("U3", "U4"),
        ]
    )
    G.add_node("C3")
    return _named(
        G,
        {
            "C1": ("community", "光明社区"),
            "C2": ("community", "和平社区"),
            "C3": ("community", "幸福社区"),
            "U1": ("co_building_unit", "县医院"),
            "U2": ("co_building_unit", "第一中学"),
            "U3": ("co_building_unit", "供电公司"),
            "U4": ("co_building_unit", "邮政局"),
            "P1": ("party_member", "李红"),
        },
    )


def test_articulation_point_sentence() -> None:
    facts = governance_facts(liaison_network())
    by_subject = {f.subject: f for f in facts}
    person = by_subject[("P1",)]
    assert person.kind == "articulation_point"
    assert person.message == (
        "Party member 李红 is the only tie between the group of 2 co-building units, "
        "1 community (第一中学, 光明社区, 县医院) and the group of 2 co-building units, "
        "1 community (供电公司, 和平社区, 邮政局)."
    )
    assert person.message_zh == (
        "党员李红是第一中学、光明社区、县医院（2个共驻共建单位、1个社区）与"
        "供电公司、和平社区、邮政局（2个共驻共建单位、1个社区）之间的唯一联系。"
    )
    assert person.text("zh") == person.message_zh
    assert [sorted(map(str, p)) for p in person.parts] == [["C1", "U1", "U2"], ["C2", "U3", "U4"]]


def test_isolate_bridge_and_order_of_facts() -> None:
    facts = governance_facts(liaison_network())
    kinds = [f.kind for f in facts]
    assert kinds == [
        "isolate",
        "articulation_point",
        "articulation_point",
        "articulation_point",
        "bridge",
        "bridge",
    ]
    assert facts[0].message == "Community 幸福社区 has no tie in this network."
    assert facts[0].message_zh == "社区幸福社区在该网络中没有任何联系。"
    bridge = facts[4]
    assert bridge.subject == ("U2", "P1")
    assert bridge.message.startswith("The tie between co-building unit 第一中学 and party member")
    assert "唯一纽带" in bridge.message_zh


def test_separate_component_and_pendants() -> None:
    G = nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("x", "y")])
    facts = governance_facts(G)
    assert [f.kind for f in facts] == ["component"]
    assert facts[0].subject == ("x", "y")
    assert (
        facts[0].message == "The group of 2 nodes (x, y) is cut off from the rest of the network."
    )
    assert facts[0].message_zh == "x、y（2个节点）自成一组，与网络其他部分没有联系。"
    star = nx.star_graph(3)
    assert governance_facts(star) == []
    pendants = governance_facts(star, include_pendant=True)
    assert [f.kind for f in pendants] == ["articulation_point", "pendant", "pendant", "pendant"]
    assert pendants[1].message == "Node 1 is tied to the rest of the network only through node 0."
    assert pendants[1].message_zh == "节点1仅通过节点0与网络其他部分相连。"


def test_directed_graphs_are_read_as_undirected() -> None:
    D = nx.DiGraph([("a", "b"), ("c", "b"), ("c", "d")])
    assert connected_components(D) == [{"a", "b", "c", "d"}]
    assert articulation_points(D) == ["b", "c"]
    assert bridges(D) == [("a", "b"), ("b", "c"), ("c", "d")]


def test_components_largest_first() -> None:
    G = nx.Graph([(1, 2), (3, 4), (4, 5)])
    G.add_node(0)
    assert connected_components(G) == [{3, 4, 5}, {1, 2}, {0}]


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 25), p=st.floats(0.0, 0.4), seed=st.integers(0, 1000))
def test_facts_agree_with_networkx(n: int, p: float, seed: int) -> None:
    G = nx.gnp_random_graph(n, p, seed=seed)
    assert set(articulation_points(G)) == set(nx.articulation_points(G))
    assert {frozenset(e) for e in bridges(G)} == {frozenset(e) for e in nx.bridges(G)}
    facts = governance_facts(G, include_pendant=True)
    isolates = [f.subject[0] for f in facts if f.kind == "isolate"]
    assert set(isolates) == set(nx.isolates(G))
    cut = {f.subject[0] for f in facts if f.kind == "articulation_point"}
    assert cut == set(nx.articulation_points(G))
    for f in facts:
        if f.kind == "articulation_point":
            # removing the node leaves exactly those parts among its neighbours' components
            H = G.copy()
            H.remove_node(f.subject[0])
            assert sorted(sorted(int(str(n)) for n in p) for p in f.parts) == sorted(
                sorted(c) for c in nx.connected_components(H) if c & set(G[f.subject[0]])
            )
        assert f.message[0].isupper()
        assert f.message_zh.endswith("。")


def test_demo_cobuilding(demo: Structure) -> None:
    facts = governance_facts(cobuilding(demo), include_pendant=True)
    assert [f.kind for f in facts] == ["isolate", "articulation_point", "pendant", "pendant"]
    assert facts[1].message == (
        "Community 光明社区 is the only tie between co-building unit 县医院 and "
        "co-building unit 第一中学."
    )


@pytest.mark.parametrize("listed", [1, 5])
def test_listed_names(listed: int) -> None:
    facts = governance_facts(liaison_network(), listed=listed)
    person = next(f for f in facts if f.subject == ("P1",))
    assert person.message.count("…") == (2 if listed == 1 else 0)
