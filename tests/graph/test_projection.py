"""Tests for gridgov.graph.projection: the sparse projection equals networkx's."""

from __future__ import annotations

import sys

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from networkx.algorithms import bipartite

from gridgov.errors import GraphError, MissingExtraError
from gridgov.graph import WEIGHT, ProjectionMatrix, cobuilding, project
from gridgov.org import Structure


@st.composite
def two_mode(draw: st.DrawFn) -> tuple[nx.Graph, list[str], list[str]]:
    """A random two-mode graph: units u0…, communities c0…, some isolated on either side."""
    n_units = draw(st.integers(1, 12))
    n_comms = draw(st.integers(1, 8))
    units = [f"u{i}" for i in range(n_units)]
    comms = [f"c{j}" for j in range(n_comms)]
    ties = draw(
        st.sets(st.tuples(st.integers(0, n_units - 1), st.integers(0, n_comms - 1)), max_size=40)
    )
    B = nx.Graph()
    B.add_nodes_from(units, bipartite=0)
    B.add_nodes_from(comms, bipartite=1)
    B.add_edges_from((units[i], comms[j]) for i, j in ties)
    return B, units, comms


def _weights(G: nx.Graph) -> dict[frozenset[str], float]:
    return {frozenset((u, v)): w for u, v, w in G.edges(data=WEIGHT)}


@settings(max_examples=80, deadline=None)
@given(two_mode())
def test_projection_equals_networkx_weighted_projected_graph(
    case: tuple[nx.Graph, list[str], list[str]],
) -> None:
    B, units, comms = case
    for side in (units, comms):
        if len(side) == len(B):
            continue  # networkx refuses a side that is the whole graph
        expected = bipartite.weighted_projected_graph(B, side)
        got = project(B, onto=side)
        assert set(got) == set(expected)
        assert _weights(got) == _weights(expected)
        assert all(type(w) is int for *_, w in got.edges(data=WEIGHT))
        assert dict(got.nodes(data=True)) == dict(expected.nodes(data=True))
        # the same numbers as a matrix and as an edge table
        m = project(B, onto=side, as_="matrix")
        dense = m.matrix.toarray()
        assert (dense == dense.T).all()
        assert (dense.diagonal() == 0).all()
        pos = {n: i for i, n in enumerate(m.nodes)}
        assert {
            frozenset((u, v)): int(dense[pos[u], pos[v]])
            for u in side
            for v in side
            if u < v and dense[pos[u], pos[v]]
        } == _weights(expected)
        edges = project(B, onto=side, as_="edges")
        assert {frozenset((s, t)): w for s, t, w in edges.rows()} == _weights(expected)
        order = {n: i for i, n in enumerate(side)}
        assert all(order[s] < order[t] for s, t, _ in edges.rows())


@settings(max_examples=40, deadline=None)
@given(two_mode(), st.data())
def test_weighted_projection_sums_products(
    case: tuple[nx.Graph, list[str], list[str]], data: st.DataObject
) -> None:
    B, _, comms = case
    for u, v in B.edges():
        B[u][v]["projects"] = data.draw(st.integers(1, 5))
    got = project(B, onto=comms, weight="projects")
    for a in comms:
        for b in comms:
            if a >= b:
                continue
            shared = set(B[a]) & set(B[b])
            total = sum(B[a][x]["projects"] * B[b][x]["projects"] for x in shared)
            assert got.get_edge_data(a, b, {}).get(WEIGHT, 0) == total


def test_side_by_bipartite_attribute(demo: Structure) -> None:
    G = cobuilding(demo)
    units = project(G, onto=0)
    assert sorted(units.nodes) == ["U1", "U2"]
    assert units["U1"]["U2"][WEIGHT] == 1  # both partner C1
    assert units.nodes["U1"]["label"] == "县医院"
    assert units.graph["name"] == "demo"
    communities = project(G, onto=1, as_="edges")
    assert communities.height == 0
    assert communities.columns == ["source", "target", "weight"]


def test_multigraph_ties_count_once() -> None:
    B = nx.MultiGraph([("u", "c1"), ("u", "c1"), ("u", "c2"), ("v", "c1")])
    P = project(B, onto=["c1", "c2"])
    assert P["c1"]["c2"][WEIGHT] == 1
    U = project(B, onto=["u", "v"])
    assert U["u"]["v"][WEIGHT] == 1
    W = nx.MultiGraph([("u", "c1", {"w": 2}), ("u", "c1", {"w": 3}), ("v", "c1", {"w": 1})])
    assert project(W, onto=["u", "v"], weight="w")["u"]["v"][WEIGHT] == 5.0


def test_matrix_result() -> None:
    B = nx.Graph([("u1", "c1"), ("u2", "c1"), ("u2", "c2")])
    m = project(B, onto=["u2", "u1"], as_="matrix")
    assert isinstance(m, ProjectionMatrix)
    assert m.nodes == ("u2", "u1")
    assert m.matrix.toarray().tolist() == [[0, 1], [1, 0]]


def test_errors() -> None:
    B = nx.Graph([("u1", "c1"), ("u2", "c1"), ("u1", "u2")])
    with pytest.raises(GraphError, match="both are in onto"):
        project(B, onto=["u1", "u2"])
    with pytest.raises(GraphError, match="not in the graph"):
        project(B, onto=["zz"])
    with pytest.raises(GraphError, match="undirected"):
        project(nx.DiGraph([("u", "c")]), onto=["u"])
    with pytest.raises(GraphError, match="side 0 or 1"):
        project(B, onto=2)
    with pytest.raises(GraphError, match="no node has bipartite=1"):
        project(B, onto=1)
    with pytest.raises(ValueError, match="as_"):
        project(B, onto=["c1"], as_="table")  # type: ignore[call-overload]


def test_missing_scipy_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "scipy", None)
    monkeypatch.setitem(sys.modules, "scipy.sparse", None)
    with pytest.raises(MissingExtraError, match=r"gridgov\[graph\]"):
        project(nx.Graph([("u", "c")]), onto=["u"])


def test_huanan_communities_linked_by_shared_units(huanan: Structure) -> None:
    G = cobuilding(huanan)
    P = project(G, onto=1)
    expected = bipartite.weighted_projected_graph(G, [n for n, s in G.nodes(data="bipartite") if s])
    assert _weights(P) == _weights(expected)


def test_onto_a_kind_selects_that_side_and_names_the_kinds_when_absent() -> None:
    B = nx.Graph([("u1", "c1"), ("u2", "c1"), ("u2", "c2")])
    B.add_nodes_from(["u1", "u2"], kind="co_building_unit")
    B.add_nodes_from(["c1", "c2"], kind="community")
    by_kind = project(B, onto="community", as_="matrix")
    by_nodes = project(B, onto=["c1", "c2"], as_="matrix")
    assert by_kind.nodes == by_nodes.nodes == ("c1", "c2")
    assert by_kind.matrix.toarray().tolist() == [[0, 1], [1, 0]]
    with pytest.raises(GraphError, match="kinds in the graph: co_building_unit, community"):
        project(B, onto="communities")
