"""Report-back assignment: the LP optimum, checked against networkx's min-cost flow."""

from __future__ import annotations

import networkx as nx
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gridgov import datasets
from gridgov.analysis import assign_report_back, solve_assignment


@st.composite
def instances(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = draw(st.integers(1, 9))
    m = draw(st.integers(1, 5))
    d = np.asarray(
        draw(st.lists(st.integers(0, 50), min_size=n * m, max_size=n * m)), dtype=float
    ).reshape(n, m)
    home = np.asarray(draw(st.lists(st.integers(-1, m - 1), min_size=n, max_size=n)))
    cap = np.asarray(draw(st.lists(st.integers(0, 4), min_size=m, max_size=m)))
    return d, home, cap


def _networkx_optimum(d: np.ndarray, home: np.ndarray, cap: np.ndarray) -> tuple[int, int, int]:
    """(assigned, 就地, total distance) of the lexicographic optimum by an integer min-cost flow.

    Costs: distance + M for an arc away from home, + M2 for leaving a member unassigned, with M
    larger than any total distance and M2 larger than any total of the rest, so the flow
    maximises assigned members, then 就地 assignments, then minimises distance.
    """
    n, m = d.shape
    big_m = int(d.sum()) + 1
    big_m2 = (n + 1) * (big_m + int(d.max(initial=0)) + 1)
    g = nx.DiGraph()
    g.add_node("s", demand=-n)
    g.add_node("t", demand=n)
    for i in range(n):
        g.add_edge("s", ("m", i), capacity=1, weight=0)
        g.add_edge(("m", i), "t", capacity=1, weight=big_m2)  # unassigned
        for j in range(m):
            w = int(d[i, j]) + (0 if home[i] == j else big_m)
            g.add_edge(("m", i), ("c", j), capacity=1, weight=w)
    for j in range(m):
        g.add_edge(("c", j), "t", capacity=int(cap[j]), weight=0)
    flow = nx.min_cost_flow(g)
    assigned = at_home = dist = 0
    for i in range(n):
        for j in range(m):
            if flow[("m", i)].get(("c", j), 0):
                assigned += 1
                at_home += int(home[i] == j)
                dist += int(d[i, j])
    return assigned, at_home, dist


@settings(max_examples=80, deadline=None)
@given(instances())
def test_equals_the_min_cost_flow_optimum(inst: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    d, home, cap = inst
    sol = solve_assignment(d, home, cap, candidates=None)
    assigned = int((sol.target >= 0).sum())
    assert (assigned, int(sol.home.sum()), round(sol.objective)) == _networkx_optimum(d, home, cap)
    # capacities respected
    counts = np.bincount(sol.target[sol.target >= 0], minlength=len(cap))
    assert (counts <= cap).all()
    # 就地 first: at each target as many residents as capacity allows are at home
    for j in range(len(cap)):
        residents = int((home == j).sum())
        assert int((sol.home & (sol.target == j)).sum()) == min(int(cap[j]), residents)


def test_bundled_youyi_labels_come_from_the_assignment() -> None:
    s = datasets.load("youyi")
    a = assign_report_back(s, profile="youyi", capacity=3)
    f = a.to_frame()
    assert set(f.get_column("principle").drop_nulls()) <= {"就地", "就近"}
    at_home = f.filter(principle="就地")
    assert (at_home.get_column("home") == at_home.get_column("assigned")).all()
    counts = f.drop_nulls("assigned").group_by("assigned").len()
    assert counts.get_column("len").max() <= 3
    records = a.report_backs()
    assert len(records) == f.drop_nulls("assigned").height
    assert {r.principle for r in records} <= {"就地", "就近"}
    far = f.filter(principle="就近").get_column("member")
    if far.len():
        assert "full" in a.explain(far[0])
        assert "名额已满" in a.explain(far[0], lang="zh")
