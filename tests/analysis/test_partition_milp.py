"""The set-partitioning MILP behind partition_grids: exact over its candidates, never worse
than the DP."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.analysis.test_partition import _town

from gridgov.analysis import partition_grids
from gridgov.analysis._partition_dp import _community, _dp, _group_costs
from gridgov.analysis._partition_milp import candidates, solve_set_partition
from gridgov.errors import GridgovError


def _tiny(seed: int, n: int, lattice: bool = False) -> Any:
    """A community of ``n`` buildings, scattered on a 300 m square or on a jittered 40 m
    lattice (where the DP's runs are more often contiguous), old grids mixed by thirds."""
    rng = np.random.default_rng(seed)
    if lattice:
        side = math.ceil(math.sqrt(n))
        grid = np.array([(i % side, i // side) for i in range(n)], dtype=float)
        xy = grid * 40 + rng.uniform(-8, 8, size=(n, 2))
    else:
        xy = rng.uniform(0, 300, size=(n, 2))
    h = rng.integers(20, 90, size=n)
    names = [f"B{i}" for i in range(n)]
    old: dict[str, str | None] = {b: f"G{i % 3}" for i, b in enumerate(names)}
    return _community("C", names, h, xy, old)


def _brute_force(groups: list[Any], costs: Any, n: int) -> float:
    """Least total cost of covering 0..n-1 exactly once by ``groups`` (exhaustive search)."""
    by_first: dict[int, list[int]] = {}
    for k, g in enumerate(groups):
        by_first.setdefault(int(min(g)), []).append(k)
    best = math.inf

    def search(covered: frozenset[int], total: float) -> None:
        nonlocal best
        if len(covered) == n:
            best = min(best, total)
            return
        first = min(set(range(n)) - covered)
        for k in by_first.get(first, []):
            g = set(groups[k].tolist())
            if not g & covered:
                search(covered | g, total + float(costs[k]))

    search(frozenset(), 0.0)
    return best


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(3, 10), st.booleans())
def test_milp_equals_brute_force_over_the_same_candidates(seed: int, n: int, keep: bool) -> None:
    cm = _tiny(seed, n)
    lo, hi = 100, 200
    cands = candidates(cm, lo, hi, keep)
    costs = _group_costs(cm, cands, lo, hi, keep)
    expected = _brute_force(cands, costs, n)
    r = solve_set_partition(cands, costs, n, time_limit=30)
    if math.isinf(expected):
        assert r.chosen is None
        return
    assert r.chosen is not None
    assert r.objective == pytest.approx(expected, abs=1e-7)
    chosen = np.concatenate([cands[k] for k in r.chosen])
    assert sorted(chosen.tolist()) == list(range(n))  # every building exactly once
    assert r.bound is not None
    assert r.bound <= r.objective + 1e-7


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.integers(3, 30), st.booleans(), st.booleans())
def test_milp_is_never_worse_than_the_dp(seed: int, n: int, keep: bool, lattice: bool) -> None:
    cm = _tiny(seed, n, lattice)
    lo, hi = 100, 200
    dp = _dp(cm, lo, hi, keep)
    if dp is None or not dp[1]:
        # no contiguous run partition along the Hilbert curve (common on scattered towns);
        # the candidates still include other orders and grown regions
        return
    dp_cost = float(_group_costs(cm, dp[0], lo, hi, keep).sum())
    cands = candidates(cm, lo, hi, keep, dp[0])
    r = solve_set_partition(cands, _group_costs(cm, cands, lo, hi, keep), n, time_limit=30)
    assert r.objective is not None
    assert r.objective <= dp_cost + 1e-9


@settings(max_examples=12, deadline=None)
@given(
    st.integers(0, 10_000),
    st.integers(1, 3),
    st.integers(6, 30),
    st.sampled_from(["auto", "milp", "dp"]),
)
def test_every_method_gives_valid_grids_on_random_towns(
    seed: int, communities: int, buildings: int, method: Any
) -> None:
    s = _town(seed, communities, buildings)
    p = partition_grids(s, band=(150, 300), keep=False, method=method)
    f = p.to_frame()
    solved = set(f.get_column("community").to_list())
    all_buildings = set(s.areas.frame.filter(level="building").get_column("id").to_list())
    covered = [b for ms in p.members for b in ms]
    assert len(covered) == len(set(covered))  # no building in two grids
    assert {b for b in all_buildings if b[: b.index("B")] in solved} == set(covered)
    assert f.get_column("households").is_between(150, 300).all()
    for comm, ms in zip(p.community, p.members, strict=True):
        assert {b[: b.index("B")] for b in ms} == {comm}
    if not p.problems:
        assert f.get_column("contiguous").all()
    summary = p.summary()
    assert summary.height == len(solved)
    if method == "dp":
        assert set(summary.get_column("method")) <= {"dp"}
    else:
        # the MILP's choice is never worse than the DP's, and its bound is below it
        # (where the DP found no in-band run partition at all, dp_objective is null and there
        # is nothing to compare: the MILP may still find one)
        both = summary.filter(summary.get_column("dp_objective").is_not_null())
        obj = both.get_column("objective").to_numpy()
        assert (obj <= both.get_column("dp_objective").to_numpy() + 1e-9).all()
        bounded = summary.filter(summary.get_column("milp_bound").is_not_null())
        assert (bounded.get_column("milp_bound") <= bounded.get_column("objective") + 1e-7).all()
    assert (summary.get_column("size_cost") >= summary.get_column("size_bound") - 1e-9).all()


def test_unknown_method_names_the_choices() -> None:
    s = _town(1, 1, 8)
    with pytest.raises(GridgovError, match="available: auto, dp, milp"):
        partition_grids(s, band=(150, 300), method="simplex")  # type: ignore[arg-type]


def test_milp_finds_contiguous_grids_where_the_hilbert_dp_cannot() -> None:
    lo, hi = 100, 200
    dp_found = milp_found = 0
    for seed in range(20):  # scattered towns: Hilbert runs are often not Delaunay-connected
        cm = _tiny(seed, 20)
        dp = _dp(cm, lo, hi, keep=False)
        dp_found += dp is not None and dp[1]
        cands = candidates(cm, lo, hi, keep=False)
        r = solve_set_partition(cands, _group_costs(cm, cands, lo, hi, False), 20, time_limit=30)
        milp_found += r.chosen is not None
    assert milp_found > dp_found
