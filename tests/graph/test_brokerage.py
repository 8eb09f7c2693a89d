"""Tests for gridgov.graph.brokerage: Burt's measures by hand and against networkx."""

from __future__ import annotations

import math
from typing import Any

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gridgov.errors import GraphError
from gridgov.graph import brokerage as brokerage_module
from gridgov.graph import constraint, effective_size, efficiency, structural_holes


def borgatti() -> nx.Graph:
    """The ego network of Borgatti (1997), "Structural holes: unpacking Burt's redundancy
    measures", Connections 20(1): 35–38, Figure 1 (also networkx's test graph for it): ego
    G tied to A–F; among the alters, A–B, A–E, A–F and B–D."""
    return nx.Graph(
        [
            ("A", "B"),
            ("A", "F"),
            ("A", "G"),
            ("A", "E"),
            ("E", "G"),
            ("F", "G"),
            ("B", "G"),
            ("B", "D"),
            ("D", "G"),
            ("G", "C"),
        ]
    )


def test_effective_size_borgatti_known_answers() -> None:
    # Borgatti (1997): for an unweighted undirected graph, effective size = n - 2t/n with n
    # contacts and t ties among them. The paper's ego G: n = 6, t = 4 -> 6 - 8/6 = 4.67.
    # By hand for the other nodes: A: n=4 (B, E, F, G), t=3 (B-G, E-G, F-G) -> 4 - 6/4 = 2.5;
    # B: n=3 (A, D, G), t=2 (A-G, D-G) -> 3 - 4/3; C: n=1 -> 1; D, E, F: n=2, t=1 -> 2 - 1 = 1.
    expected = {"G": 6 - 8 / 6, "A": 2.5, "B": 3 - 4 / 3, "C": 1.0, "D": 1.0, "E": 1.0, "F": 1.0}
    assert effective_size(borgatti()) == pytest.approx(expected)
    assert efficiency(borgatti())["G"] == pytest.approx((6 - 8 / 6) / 6)


def test_constraint_borgatti_hand_computed() -> None:
    # Burt (1992) constraint c_i = sum_j (p_ij + sum_q p_iq p_qj)^2 with p = 1/degree here.
    # Ego G (degree 6, p_G. = 1/6), by hand:
    #   j=A: q in {B, E, F}: 1/6 * (1/3 + 1/2 + 1/2) = 2/9   -> (1/6 + 2/9)^2  = 49/324
    #   j=B: q in {A, D}:    1/6 * (1/4 + 1/2)       = 1/8   -> (1/6 + 1/8)^2  = 49/576
    #   j=C: no q                                            -> (1/6)^2        = 1/36
    #   j=D: q = B:          1/6 * 1/3               = 1/18  -> (1/6 + 1/18)^2 = 16/324
    #   j=E, F: q = A:       1/6 * 1/4               = 1/24  -> (1/6 + 1/24)^2 = 25/576 each
    #   total = 65/324 + 99/576 + 1/36 = 2075/5184 = 0.4003 (UCINET and networkx: 0.400)
    # C has one contact: (1 + 0)^2 = 1.
    # E (degree 2: A, G): p = 1/2; j=A via G: 1/2 * 1/6; j=G via A: 1/2 * 1/4
    #   -> (1/2 + 1/12)^2 + (1/2 + 1/8)^2 = 49/144 + 25/64 = 421/576.
    values = constraint(borgatti())
    assert values["G"] == pytest.approx(2075 / 5184)
    assert values["C"] == pytest.approx(1.0)
    assert values["E"] == pytest.approx(421 / 576)


def test_star_and_triangle_by_hand() -> None:
    # Star: the centre's two contacts are unconnected, 2 * (1/2)^2 = 0.5.
    assert constraint(nx.star_graph(2)) == {0: 0.5, 1: 1.0, 2: 1.0}
    # Triangle: (1/2 + 1/2 * 1/2)^2 * 2 = 1.125; effective size 2 - 2/2 = 1.
    assert constraint(nx.complete_graph(3))[0] == pytest.approx(1.125)
    assert effective_size(nx.complete_graph(3))[0] == pytest.approx(1.0)


def _equal(a: dict[Any, float], b: dict[Any, float], nodes: list[Any]) -> None:
    for n in nodes:
        if math.isnan(b[n]):
            assert math.isnan(a[n]), n
        else:
            assert a[n] == pytest.approx(b[n], abs=1e-9), n


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(2, 20),
    p=st.floats(0.05, 0.7),
    seed=st.integers(0, 10_000),
    directed=st.booleans(),
    weighted=st.booleans(),
)
def test_equal_to_networkx_on_random_graphs(
    n: int, p: float, seed: int, directed: bool, weighted: bool
) -> None:
    G = nx.gnp_random_graph(n, p, seed=seed, directed=directed)
    if weighted:
        for k, (u, v) in enumerate(G.edges()):
            G[u][v]["w"] = 1 + (k * 7 + seed) % 5
    weight = "w" if weighted else None
    # networkx returns nan for a node of a directed graph with no successor (it tests
    # len(G[v]) == 0); gridgov measures such a node through its incoming ties, so compare
    # the nodes networkx measures.
    nodes = [v for v in G if len(G[v]) > 0]
    _equal(constraint(G, weight=weight), nx.constraint(G, nodes=list(G), weight=weight), nodes)
    _equal(
        effective_size(G, weight=weight),
        nx.effective_size(G, nodes=list(G), weight=weight),
        nodes,
    )


def test_isolates_are_nan_and_self_loops_ignored() -> None:
    G = nx.Graph([(1, 2), (2, 3), (3, 3)])
    G.add_node(9)
    without = nx.Graph([(1, 2), (2, 3)])
    without.add_node(9)
    c, c0 = constraint(G), constraint(without)
    assert math.isnan(c[9])
    assert c[1] == c0[1]
    assert c[3] == c0[3]
    assert math.isnan(effective_size(G)[9])
    assert math.isnan(efficiency(G)[9])


def test_nodes_argument_and_errors() -> None:
    G = borgatti()
    assert list(constraint(G, ["C", "G"])) == ["C", "G"]
    assert constraint(G, ["G"])["G"] == pytest.approx(constraint(G)["G"])
    with pytest.raises(GraphError, match="not in the graph"):
        effective_size(G, ["Z"])
    H = nx.Graph([("a", "b", {"w": -1})])
    with pytest.raises(GraphError, match="non-negative"):
        constraint(H, weight="w")


def test_blocks_give_the_same_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    G = nx.gnm_random_graph(60, 200, seed=5, directed=True)
    whole = constraint(G)
    sizes = effective_size(G)
    monkeypatch.setattr(brokerage_module, "_BLOCK_PATHS", 10)  # one row per block, or so
    _equal(constraint(G), whole, list(G))
    _equal(effective_size(G), sizes, list(G))


def test_without_scipy_networkx_loops_are_used(monkeypatch: pytest.MonkeyPatch) -> None:
    G = borgatti()
    fast_c, fast_e, fast_f = constraint(G), effective_size(G), efficiency(G)
    monkeypatch.setattr(brokerage_module, "_has_scipy", lambda: False)
    _equal(constraint(G), fast_c, list(G))
    _equal(effective_size(G), fast_e, list(G))
    _equal(efficiency(G), fast_f, list(G))


def test_structural_holes_table() -> None:
    G = borgatti()
    G.add_node("Z")
    table = structural_holes(G)
    assert table.columns == [
        "node",
        "label",
        "kind",
        "contacts",
        "effective_size",
        "efficiency",
        "constraint",
    ]
    assert table.get_column("node").to_list()[0] == "G"  # least constrained: the broker
    last = table.row(-1, named=True)
    assert last["node"] == "Z"
    assert last["constraint"] is None
    assert table.filter(table["node"] == "A").get_column("contacts").item() == 4
