"""Tests for gridgov.graph.centrality: values are networkx's own on the same graph."""

from __future__ import annotations

import importlib.util
import sys
import types
from collections.abc import Callable
from typing import Any

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gridgov.errors import GraphError, MissingExtraError
from gridgov.graph import (
    betweenness,
    centrality_table,
    closeness,
    cobuilding,
    degree,
    eigenvector,
)
from gridgov.org import Structure


def _graphs() -> list[nx.Graph]:
    weighted = nx.gnm_random_graph(30, 70, seed=3)
    for k, (u, v) in enumerate(weighted.edges()):
        weighted[u][v]["weight"] = 1 + k % 4
    return [
        nx.karate_club_graph(),
        nx.florentine_families_graph(),
        nx.gnm_random_graph(40, 90, seed=1, directed=True),
        nx.complete_bipartite_graph(3, 5),
        weighted,
    ]


GRAPHS = pytest.mark.parametrize("G", _graphs(), ids=["karate", "florentine", "di", "k35", "w"])


def _close(a: dict[Any, float], b: dict[Any, float]) -> None:
    assert a.keys() == b.keys()
    for n, x in a.items():
        assert x == pytest.approx(b[n], abs=1e-12), n


@GRAPHS
def test_degree_equals_networkx(G: nx.Graph) -> None:
    assert degree(G) == nx.degree_centrality(G)


@GRAPHS
def test_betweenness_equals_networkx(G: nx.Graph) -> None:
    _close(betweenness(G, backend="networkx"), nx.betweenness_centrality(G))
    k = min(10, len(G) - 1)
    _close(
        betweenness(G, k=k, seed=7, backend="networkx"),
        nx.betweenness_centrality(G, k=k, seed=7),
    )
    _close(
        betweenness(G, weight="weight", normalized=False),
        nx.betweenness_centrality(G, weight="weight", normalized=False),
    )


@GRAPHS
def test_eigenvector_equals_networkx(G: nx.Graph) -> None:
    _close(eigenvector(G), nx.eigenvector_centrality(G, max_iter=1000))
    _close(
        eigenvector(G, weight="weight"),
        nx.eigenvector_centrality(G, max_iter=1000, weight="weight"),
    )


@GRAPHS
def test_closeness_equals_networkx(G: nx.Graph) -> None:
    _close(closeness(G), nx.closeness_centrality(G))
    some = list(G)[:5]
    _close(closeness(G, some), {n: nx.closeness_centrality(G, u=n) for n in some})


@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(2, 25),
    p=st.floats(0.05, 0.6),
    seed=st.integers(0, 10_000),
    directed=st.booleans(),
)
def test_measures_equal_networkx_on_random_graphs(
    n: int, p: float, seed: int, directed: bool
) -> None:
    G = nx.gnp_random_graph(n, p, seed=seed, directed=directed)
    assert degree(G) == nx.degree_centrality(G)
    _close(betweenness(G, backend="networkx"), nx.betweenness_centrality(G))
    _close(closeness(G), nx.closeness_centrality(G))


def test_nodes_restricts_the_report_not_the_computation() -> None:
    G = nx.karate_club_graph()
    full = nx.betweenness_centrality(G)
    assert betweenness(G, [0, 33], backend="networkx") == {0: full[0], 33: full[33]}
    assert list(degree(G, [5, 1])) == [5, 1]
    with pytest.raises(GraphError, match="not in the graph"):
        degree(G, ["nobody"])
    with pytest.raises(GraphError, match="not in the graph"):
        closeness(G, ["nobody"])


def test_weighted_degree_is_strength() -> None:
    G = nx.Graph([("a", "b", {"weight": 3}), ("a", "c", {"weight": 1})])
    assert degree(G, weight="weight", normalized=False) == {"a": 4, "b": 3, "c": 1}
    assert degree(G, weight="weight") == {"a": 2.0, "b": 1.5, "c": 0.5}
    assert degree(G, normalized=False) == {"a": 2, "b": 1, "c": 1}


def test_sampling_beyond_the_graph_is_exact() -> None:
    G = nx.path_graph(6)
    assert betweenness(G, k=100, seed=1) == betweenness(G)


def test_eigenvector_failure_is_a_graph_error() -> None:
    with pytest.raises(GraphError, match="did not converge"):
        eigenvector(nx.path_graph(10), max_iter=1)
    assert eigenvector(nx.Graph()) == {}


def test_centrality_table_on_a_view(demo: Structure) -> None:
    G = cobuilding(demo)
    table = centrality_table(G)
    assert table.columns == [
        "node",
        "label",
        "kind",
        "degree",
        "betweenness",
        "eigenvector",
        "closeness",
    ]
    assert table.height == len(G)
    first = table.row(0, named=True)
    assert first["node"] == "C1"  # the community both units partner
    assert first["label"] == "光明社区"
    assert first["betweenness"] == pytest.approx(nx.betweenness_centrality(G)["C1"])
    assert centrality_table(G, ["U1"], weight="weight").height == 1


# -- backends ---------------------------------------------------------------------------------


def test_rustworkx_backend_requires_the_module(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None)
    G = nx.path_graph(4)
    with pytest.raises(MissingExtraError, match="pip install rustworkx"):
        betweenness(G, backend="rustworkx")
    # auto falls back to networkx
    assert betweenness(G, backend="auto") == nx.betweenness_centrality(G)


def _fake_rustworkx() -> types.ModuleType:
    """A stand-in with rustworkx's API: node indices, exact betweenness (via networkx).

    Checked by hand against rustworkx 0.18.1: its values (normalised or not, with or without
    endpoints) equal networkx's, so the stand-in only has to renumber the nodes.
    """

    class _Graph:
        directed = False

        def __init__(self) -> None:
            self.g: nx.Graph = nx.DiGraph() if self.directed else nx.Graph()

        def add_nodes_from(self, payloads: list[Any]) -> list[int]:
            start = len(self.g)
            idx = list(range(start, start + len(payloads)))
            self.g.add_nodes_from(idx)
            return idx

        def add_edges_from_no_data(self, pairs: list[tuple[int, int]]) -> None:
            self.g.add_edges_from(pairs)

    class _DiGraph(_Graph):
        directed = True

    def betweenness_centrality(
        graph: _Graph, normalized: bool = True, endpoints: bool = False
    ) -> dict[int, float]:
        values: dict[int, float] = nx.betweenness_centrality(
            graph.g, normalized=normalized, endpoints=endpoints
        )
        return values

    module = types.ModuleType("rustworkx")
    module.PyGraph = _Graph  # type: ignore[attr-defined]
    module.PyDiGraph = _DiGraph  # type: ignore[attr-defined]
    module.betweenness_centrality = betweenness_centrality  # type: ignore[attr-defined]
    return module


@pytest.mark.parametrize("normalized", [True, False])
@pytest.mark.parametrize(
    "make", [nx.karate_club_graph, lambda: nx.gnm_random_graph(20, 40, seed=2, directed=True)]
)
def test_rustworkx_backend_maps_nodes_back(
    monkeypatch: pytest.MonkeyPatch, make: Callable[[], nx.Graph], normalized: bool
) -> None:
    fake = _fake_rustworkx()
    monkeypatch.setitem(sys.modules, "rustworkx", fake)
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: object())
    G = nx.relabel_nodes(make(), {i: f"n{i}" for i in range(40)})
    expected = nx.betweenness_centrality(G, normalized=normalized)
    _close(betweenness(G, normalized=normalized), expected)  # auto picks rustworkx
    _close(betweenness(G, normalized=normalized, backend="rustworkx"), expected)
    with pytest.raises(GraphError, match="exact, unweighted"):
        betweenness(G, k=3, backend="rustworkx")
