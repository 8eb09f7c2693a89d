"""Tests for gridgov.graph.communities: networkx's methods, sorted and checked."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gridgov.errors import GraphError
from gridgov.graph import cobuilding, detect_communities, modularity
from gridgov.org import Structure


def planted() -> nx.Graph:
    """Two 6-cliques joined by one tie: any modularity method must find them."""
    G = nx.disjoint_union(nx.complete_graph(6), nx.complete_graph(6))
    G.add_edge(0, 6)
    return G


@pytest.mark.parametrize("method", ["louvain", "greedy"])
def test_planted_partition_recovered(method: str) -> None:
    parts = detect_communities(planted(), method=method, seed=3)  # type: ignore[arg-type]
    assert parts == [frozenset(range(6)), frozenset(range(6, 12))]


def test_same_as_networkx_with_the_same_seed() -> None:
    G = nx.karate_club_graph()
    ours = detect_communities(G, seed=42)
    theirs = nx.community.louvain_communities(G, seed=42, weight="weight")
    assert set(ours) == {frozenset(c) for c in theirs}
    assert set(detect_communities(G, method="greedy")) == {
        frozenset(c) for c in nx.community.greedy_modularity_communities(G, weight="weight")
    }
    assert modularity(G, ours) == pytest.approx(nx.community.modularity(G, ours, weight="weight"))


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 30), p=st.floats(0.05, 0.5), seed=st.integers(0, 1000))
def test_a_partition_largest_first(n: int, p: float, seed: int) -> None:
    G = nx.gnp_random_graph(n, p, seed=seed)
    parts = detect_communities(G, seed=seed)
    assert nx.community.is_partition(G, parts)
    assert [len(c) for c in parts] == sorted((len(c) for c in parts), reverse=True)
    if G.number_of_edges():
        assert -0.5 <= modularity(G, parts) <= 1
    else:
        with pytest.raises(GraphError, match="without ties"):
            modularity(G, parts)


def test_errors_and_empty_graph() -> None:
    assert detect_communities(nx.Graph()) == []
    with pytest.raises(GraphError, match="available: 'greedy', 'louvain'"):
        detect_communities(planted(), method="leiden")  # type: ignore[arg-type]
    with pytest.raises(GraphError, match="exactly once"):
        modularity(planted(), [{0, 1}])


def test_on_a_view(demo: Structure) -> None:
    G = cobuilding(demo)
    parts = detect_communities(G, seed=1)
    assert frozenset({"C1", "U1", "U2"}) in parts
    assert frozenset({"C2"}) in parts
