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
from gridgov.graph import (
    burt_hierarchy,
    constraint,
    effective_size,
    efficiency,
    structural_holes,
)


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


# --------------------------------------------------------------------------- both paths
# Issue 8: without scipy the functions fell back to networkx's loops, which count self-loops
# as contacts and give nan to a node of a directed graph with only incoming ties. The
# pure-Python path now evaluates the same definition as the scipy path; ``use_scipy`` picks one.

MEASURES = {
    "constraint": constraint,
    "effective_size": effective_size,
    "efficiency": efficiency,
    "burt_hierarchy": burt_hierarchy,
}


def _same(a: dict[Any, float], b: dict[Any, float]) -> None:
    assert list(a) == list(b)
    for n, value in a.items():
        if math.isnan(b[n]):
            assert math.isnan(value), n
        else:
            assert value == pytest.approx(b[n], rel=1e-12, abs=1e-12), n


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 14),
    ties=st.lists(
        st.tuples(st.integers(0, 13), st.integers(0, 13), st.sampled_from([0, 0.5, 1, 2, 7])),
        max_size=40,
    ),
    kind=st.sampled_from([nx.Graph, nx.DiGraph, nx.MultiGraph, nx.MultiDiGraph]),
    weighted=st.booleans(),
    subset=st.booleans(),
)
def test_scipy_and_pure_python_paths_agree(
    n: int, ties: list[tuple[int, int, float]], kind: type[nx.Graph], weighted: bool, subset: bool
) -> None:
    # self-loops, parallel edges, zero weights, one-way ties and isolates all occur here
    G = kind()
    G.add_nodes_from(range(n))
    G.add_edges_from((u % n, v % n, {"w": w}) for u, v, w in ties)
    weight = "w" if weighted else None
    nodes = list(G)[::2] if subset else None
    for name, measure in MEASURES.items():
        fast = measure(G, nodes, weight=weight, use_scipy=True)
        slow = measure(G, nodes, weight=weight, use_scipy=False)
        _same(slow, fast)
        assert list(fast) == (list(G) if nodes is None else nodes), name
    table_fast = structural_holes(G, nodes, weight=weight, use_scipy=True)
    table_slow = structural_holes(G, nodes, weight=weight, use_scipy=False)
    assert (
        table_fast.get_column("contacts").to_list() == table_slow.get_column("contacts").to_list()
    )


@pytest.mark.parametrize("use_scipy", [True, False])
def test_self_loops_are_not_contacts(use_scipy: bool) -> None:
    G = nx.Graph([(1, 2), (2, 3), (3, 3)])
    G.add_node(9)
    without = nx.Graph([(1, 2), (2, 3)])
    without.add_node(9)
    for measure in MEASURES.values():
        _same(measure(G, use_scipy=use_scipy), measure(without, use_scipy=use_scipy))
    # by hand: 3 has the single contact 2 -> constraint 1, effective size 1, hierarchy 1
    assert constraint(G, [3], use_scipy=use_scipy) == {3: 1.0}
    assert effective_size(G, [3], use_scipy=use_scipy) == {3: 1.0}


@pytest.mark.parametrize("use_scipy", [True, False])
def test_nodes_with_only_incoming_ties_are_measured(use_scipy: bool) -> None:
    # b receives ties from a and c and sends none; its contacts are a and c (mutual weights
    # z_ba = z_bc = 1), untied to each other: constraint 2 * (1/2)^2 = 0.5, effective size 2,
    # hierarchy 0 (equal constraints). a has the one contact b: constraint 1, hierarchy 1.
    G = nx.DiGraph([("a", "b"), ("c", "b")])
    for nodes in (None, ["b", "a"]):
        c = constraint(G, nodes, use_scipy=use_scipy)
        assert c["b"] == 0.5
        assert c["a"] == 1.0
        assert effective_size(G, nodes, use_scipy=use_scipy)["b"] == 2.0
        h = burt_hierarchy(G, nodes, use_scipy=use_scipy)
        assert h["b"] == pytest.approx(0.0, abs=1e-15)
        assert h["a"] == 1.0


def test_forcing_scipy_without_it_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(brokerage_module, "_has_scipy", lambda: False)
    G = borgatti()
    with pytest.raises(GraphError, match="scipy is not installed"):
        constraint(G, use_scipy=True)
    # the default then takes the pure-Python path, with the same answers
    _same(constraint(G), constraint(G, use_scipy=False))


@pytest.mark.parametrize("use_scipy", [True, False])
def test_weights_must_be_finite_non_negative_numbers(use_scipy: bool) -> None:
    for bad in (-1.0, math.nan, "heavy"):
        G = nx.Graph([("a", "b", {"w": bad}), ("b", "c", {"w": 1})])
        with pytest.raises(GraphError, match="finite non-negative"):
            constraint(G, weight="w", use_scipy=use_scipy)


# --------------------------------------------------------------------------- hierarchy


@pytest.mark.parametrize("use_scipy", [True, False])
def test_hierarchy_by_hand(use_scipy: bool) -> None:
    # H_i = sum_j r_ij ln r_ij / (N ln N), r_ij = c_ij / (C/N) (Burt 1992, ch. 2).
    # Ego network: ego tied to a, b, c; a-b tied. Unweighted, so p_ij = 1/degree.
    #   ego (N=3, p = 1/3): c_ego,a = (1/3 + 1/3 * 1/2)^2 = 1/4, likewise c_ego,b = 1/4,
    #   c_ego,c = (1/3)^2 = 1/9; C = 11/18, C/N = 11/54; r = 27/22, 27/22, 6/11.
    #   a (N=2: ego, b; p = 1/2): c_a,ego = (1/2 + 1/2 * 1/2)^2 = 9/16,
    #   c_a,b = (1/2 + 1/2 * 1/3)^2 = 4/9; C = 145/144, C/N = 145/288; r = 162/145, 128/145.
    #   c (N=1): all constraint in one contact, H = 1 by convention (as in the `hierarchy` of
    #   networkx's development source; networkx 3.6.1, installed here, has no hierarchy).
    G = nx.Graph([("ego", "a"), ("ego", "b"), ("ego", "c"), ("a", "b")])
    ego = (2 * 27 / 22 * math.log(27 / 22) + 6 / 11 * math.log(6 / 11)) / (3 * math.log(3))
    a = (162 / 145 * math.log(162 / 145) + 128 / 145 * math.log(128 / 145)) / (2 * math.log(2))
    h = burt_hierarchy(G, use_scipy=use_scipy)
    assert h == pytest.approx({"ego": ego, "a": a, "b": a, "c": 1.0}, rel=1e-12)
    # by hand: 2 * 1.22727 * 0.20479 + 0.54545 * (-0.60614) = 0.17205; / (3 ln 3 = 3.29584)
    assert round(h["ego"], 4) == 0.0522
    # the hand-computed contact constraints of Borgatti's ego G (test above), through the same
    # formula: c = 49/324, 49/576, 1/36, 16/324, 25/576, 25/576
    c = [49 / 324, 49 / 576, 1 / 36, 16 / 324, 25 / 576, 25 / 576]
    mean = sum(c) / 6
    expected = sum(x / mean * math.log(x / mean) for x in c) / (6 * math.log(6))
    assert burt_hierarchy(borgatti(), ["G"], use_scipy=use_scipy)["G"] == pytest.approx(
        expected, rel=1e-12
    )


@pytest.mark.parametrize("use_scipy", [True, False])
def test_hierarchy_limits(use_scipy: bool) -> None:
    # equal constraint on every contact (a clique, a star's centre): 0; isolates: nan
    G = nx.complete_graph(5)
    G.add_node("z")
    h = burt_hierarchy(G, use_scipy=use_scipy)
    assert all(h[k] == pytest.approx(0.0, abs=1e-12) for k in range(5))
    assert math.isnan(h["z"])
    assert burt_hierarchy(nx.star_graph(4), [0], use_scipy=use_scipy)[0] == pytest.approx(
        0.0, abs=1e-12
    )


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
        "hierarchy",
    ]
    assert table.get_column("node").to_list()[0] == "G"  # least constrained: the broker
    last = table.row(-1, named=True)
    assert last["node"] == "Z"
    assert last["constraint"] is None
    assert table.filter(table["node"] == "A").get_column("contacts").item() == 4


@pytest.mark.parametrize("use_scipy", [True, False])
def test_weighted_effective_size_by_hand(use_scipy: bool) -> None:
    # Triangle with z_ab = 2, z_bc = z_ac = 1. For a: p_ab = 2/3, p_ac = 1/3; m_bc = 1/2 (b's
    # largest tie is 2), m_cb = 1. j=b: 1 - p_ac m_bc = 5/6; j=c: 1 - p_ab m_cb = 1/3; sum 7/6.
    # networkx 3.6 with nodes=None divides z_bc by c's maximum instead (m_bc = 1, m_cb = 1/2)
    # and gives 4/3 -- the difference the module notes describe; with nodes given it gives 7/6.
    G = nx.Graph()
    G.add_edge("a", "b", w=2)
    G.add_edge("b", "c", w=1)
    G.add_edge("a", "c", w=1)
    assert effective_size(G, weight="w", use_scipy=use_scipy)["a"] == pytest.approx(7 / 6)
    assert nx.effective_size(G, nodes=["a"], weight="w")["a"] == pytest.approx(7 / 6)
