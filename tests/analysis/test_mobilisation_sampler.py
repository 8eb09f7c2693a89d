"""The fast mobilisation sampler against the per-household reference, and its invariants.

``_reach_fast`` draws each unit's slowest household directly (the maximum of ``n`` iid
lognormals by inverse-CDF sampling of ``F**n``, and the households that miss the message
explicitly); ``_reach_reference`` draws every household. These tests hold the two to the same
distribution: a one-sample Kolmogorov-Smirnov test of the maximum against its exact CDF, and
two-sample tests of the per-grid probabilities and distributions on small structures. Every
test is seeded, so its verdict is deterministic; the stated α is the chance that a correct
sampler would fail it under a fresh seed (Bonferroni over the comparisons in the test).
"""

from __future__ import annotations

import importlib
import itertools
import math
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import ndtr, ndtri
from scipy.stats import kstest

from gridgov import datasets
from gridgov.analysis import Mobilisation, mobilisation
from gridgov.org.profiles import Profile, load_profile

M = importlib.import_module("gridgov.analysis.mobilisation")

#: the default profile's hops (``src/gridgov/profiles/default.toml``), copied so a profile
#: change does not silently change what these tests check
DEFAULT_HOPS = {
    "worker_to_building_head": (1.0, 0.5),
    "building_head_to_unit_head": (1.0, 0.5),
    "unit_head_to_household": (1.0, 0.5),
    "door_knock": (3.0, 0.3),
    "set_off": (5.0, 0.4),
}
#: wider delays and a large miss share, so that every branch of the cascade matters
WIDE_HOPS = {
    "worker_to_building_head": (0.8, 0.9),
    "building_head_to_unit_head": (1.5, 0.7),
    "unit_head_to_household": (1.0, 0.8),
    "door_knock": (2.5, 0.6),
    "set_off": (5.0, 0.4),
}


def _model(
    layout: list[list[list[int]]],
    vacant_worker: list[bool],
    vacant_bh: list[bool],
    vacant_uh: list[bool],
) -> Any:
    """A ``_Model`` from grids → buildings → households per unit, and vacancy flags."""
    building_grid: list[int] = []
    unit_building: list[int] = []
    hh_unit: list[int] = []
    for g, buildings in enumerate(layout):
        for units in buildings:
            building_grid.append(g)
            for n in units:
                unit_building.append(len(building_grid) - 1)
                hh_unit.extend([len(unit_building) - 1] * n)
    ub = np.asarray(unit_building, dtype=np.int64)
    bg = np.asarray(building_grid, dtype=np.int64)
    hu = np.asarray(hh_unit, dtype=np.int64)
    return M._Model(
        grids=[f"G{g}" for g in range(len(layout))],
        hh_grid=bg[ub[hu]] if hu.size else np.zeros(0, dtype=np.int64),
        hh_unit=hu,
        unit_building=ub,
        building_grid=bg,
        units=[f"U{u}" for u in range(ub.size)],
        buildings=[f"B{b}" for b in range(bg.size)],
        vacant_bh=np.asarray(vacant_bh[: bg.size], dtype=bool),
        vacant_uh=np.asarray(vacant_uh[: ub.size], dtype=bool),
        vacant_worker=np.asarray(vacant_worker[: len(layout)], dtype=bool),
        cadre_grid=np.zeros(0, dtype=np.int64),
        cadre_person=[],
        cadre_travel=np.zeros(0),
        bh_post={},
        uh_post={},
        worker_post={},
    )


def _random_model(seed: int, grids: int, vacancy: float) -> Any:
    """A seeded random structure: 1-4 buildings of 1-4 units of 0-40 households per grid,
    one unit of 300 households (a deep maximum) and one grid without households."""
    rng = np.random.default_rng(seed)
    layout = [
        [list(rng.integers(0, 41, rng.integers(1, 5))) for _ in range(rng.integers(1, 5))]
        for _ in range(grids)
    ]
    layout[0][0][0] = 300
    layout[1][0][0] = 1
    layout.append([[0, 0]])  # a grid whose units are empty: reach 0
    n_b = sum(len(g) for g in layout)
    n_u = sum(len(b) for g in layout for b in g)
    return _model(
        layout,
        list(rng.random(len(layout)) < vacancy),
        list(rng.random(n_b) < vacancy),
        list(rng.random(n_u) < vacancy),
    )


def _z_two_sided(alpha: float) -> float:
    return float(-ndtri(alpha / 2))


# -- the maximum of n iid lognormals ------------------------------------------------------------
def test_max_lognormal_has_the_exact_distribution_of_the_maximum() -> None:
    # P(max of n ≤ x) = Φ((ln x − ln median)/σ)**n; one-sample KS, α = 1e-3 over 6 cases
    rng = np.random.default_rng(11)
    cases = [(1, 1.0, 0.5), (2, 3.0, 0.3), (7, 1.0, 0.8), (50, 2.0, 0.5), (1000, 1.0, 0.5)]
    cases.append((100_000, 0.5, 1.2))
    for n, median, sigma in cases:
        draws = M._max_lognormal(median, sigma, n, rng.standard_exponential(20_000))

        def cdf(x: Any, n: int = n, median: float = median, sigma: float = sigma) -> Any:
            return ndtr((np.log(x) - math.log(median)) / sigma) ** n

        assert kstest(draws, cdf).pvalue > 1e-3 / len(cases), (n, median, sigma)


def test_max_lognormal_agrees_with_explicit_maxima() -> None:
    # two-sample KS against max(median·exp(σZ)) over n explicit draws; α = 1e-3 over 4 cases
    rng = np.random.default_rng(12)
    for n in (1, 3, 12, 40):
        explicit = (2.0 * np.exp(0.6 * rng.standard_normal((20_000, n)))).max(axis=1)
        fast = M._max_lognormal(2.0, 0.6, n, rng.standard_exponential(20_000))
        assert kstest(fast, explicit).pvalue > 1e-3 / 4, n


def test_max_lognormal_edge_cases() -> None:
    e = np.random.default_rng(0).standard_exponential(1000)
    assert (M._max_lognormal(2.5, 0.0, 17, e) == 2.5).all()  # zero variance: the median
    assert (M._max_lognormal(2.5, 0.5, 0, e) == 0).all()  # no household: nothing to wait for
    assert np.isfinite(M._max_lognormal(1.0, 0.5, 10**9, np.array([0.0, 1e-300, 50.0]))).all()


def test_bernoulli_positions_with_a_vanishing_share() -> None:
    # hypothesis found this: geometric gaps of p = 1e-167 overflowed int64 in the cumulative sum
    rng = np.random.default_rng(0)
    for p in (1e-300, 6.7e-167, 1e-12):
        pos = M._bernoulli_positions(rng, p, 10**7)
        assert pos.size == 0 or (pos.min() >= 0 and pos.max() < 10**7)


# -- the fast sampler against the reference -----------------------------------------------------
def _compare(model: Any, hops: dict[str, tuple[float, float]], share: float) -> None:
    """Per grid: two-proportion z-tests at five thresholds and a two-sample KS test.

    4 000 runs each, independent seeds. Family α = 1e-3, Bonferroni over every comparison; a
    z-test rejects when |p₁ − p₂| > z·sqrt(p̄(1 − p̄)·2/n), the pooled binomial standard error
    (the Wilson interval's half-width for two samples, asymptotically).
    """
    runs = 4000
    ref = M._reach_reference(model, hops, share, runs, np.random.default_rng(101))
    fast = M._reach_fast(model, hops, share, runs, np.random.default_rng(202))
    assert ref.shape == fast.shape == (runs, len(model.grids))
    levels = (0.1, 0.25, 0.5, 0.75, 0.9)
    live = [g for g in range(ref.shape[1]) if ref[:, g].max() > 0]
    tests = len(live) * (len(levels) + 1)
    alpha = 1e-3 / tests
    z = _z_two_sided(alpha)
    for g in range(ref.shape[1]):
        if g not in live:  # no households: both samplers give exactly 0
            assert (fast[:, g] == 0).all()
            continue
        for t in np.quantile(ref[:, g], levels):
            p1, p2 = (ref[:, g] <= t).mean(), (fast[:, g] <= t).mean()
            pooled = (p1 + p2) / 2
            tolerance = z * math.sqrt(max(pooled * (1 - pooled), 1 / runs) * 2 / runs)
            assert abs(p1 - p2) <= tolerance, (g, t, p1, p2, tolerance)
        assert kstest(ref[:, g], fast[:, g]).pvalue > alpha, g


def test_fast_sampler_matches_reference_with_every_kind_of_vacancy() -> None:
    _compare(_random_model(1, grids=5, vacancy=0.3), WIDE_HOPS, share=0.15)


def test_fast_sampler_matches_reference_with_default_hops() -> None:
    _compare(_random_model(2, grids=5, vacancy=0.1), DEFAULT_HOPS, share=0.02)


def test_fast_sampler_matches_reference_when_everyone_misses_or_nobody_does() -> None:
    _compare(_random_model(3, grids=3, vacancy=0.2), WIDE_HOPS, share=1.0)
    _compare(_random_model(4, grids=3, vacancy=0.2), WIDE_HOPS, share=0.0)


def test_fast_sampler_matches_reference_on_a_bundled_structure() -> None:
    s = datasets.load("youyi")
    vacated = {p.id for p in s.posts if p.area and p.area.startswith("S01C01G0")}
    s = s.model_copy(
        update={"appointments": tuple(a for a in s.appointments if a.post not in vacated)}
    )
    model = M._build(s, load_profile("youyi"), (), {})
    assert model.vacant_worker.any()
    assert model.vacant_bh.any()
    assert model.vacant_uh.any()
    small = np.flatnonzero(np.isin(model.hh_grid, np.arange(12)))  # 12 grids keep it quick
    model.hh_unit, model.hh_grid = model.hh_unit[small], model.hh_grid[small]
    _compare(model, DEFAULT_HOPS, share=0.02)


# -- invariants (hypothesis) ---------------------------------------------------------------------
@st.composite
def models(draw: st.DrawFn) -> Any:
    layout = draw(
        st.lists(
            st.lists(st.lists(st.integers(0, 25), min_size=1, max_size=3), max_size=3),
            min_size=1,
            max_size=4,
        )
    )
    n_b = sum(len(g) for g in layout)
    n_u = sum(len(b) for g in layout for b in g)
    flags = st.lists(st.booleans(), min_size=n_u + n_b + len(layout), max_size=n_u + n_b + 4)
    f = draw(flags)
    return _model(layout, f[: len(layout)], f[len(layout) : len(layout) + n_b], f[-n_u:])


hops_st = st.fixed_dictionaries(
    {k: st.tuples(st.floats(0.2, 5.0), st.sampled_from([0.0, 0.1, 0.5, 1.0])) for k in DEFAULT_HOPS}
)


def _result(reach: Any, target: float) -> Mobilisation:
    runs, n_g = reach.shape
    return Mobilisation(
        grids=[f"G{g}" for g in range(n_g)],
        runs=runs,
        seed=0,
        reach_minutes=reach,
        cadre_minutes=np.zeros_like(reach),
        reach_target=target,
        cadre_target=30.0,
        reasons={},
        reasons_zh={},
        options={},
    )


@settings(max_examples=40)
@given(models(), hops_st, st.floats(0.0, 0.5), st.floats(0.1, 40.0), st.floats(0.0, 20.0))
def test_probabilities_lie_in_their_intervals_and_grow_with_the_target(
    model: Any, hops: dict[str, tuple[float, float]], share: float, t1: float, more: float
) -> None:
    reach = M._reach_fast(model, hops, share, 64, np.random.default_rng(5))
    assert np.isfinite(reach).all()
    assert (reach >= 0).all()
    low = _result(reach, t1).to_frame()
    high = _result(reach, t1 + more).to_frame()
    for f in (low, high):
        assert ((f["p_reach"] >= 0) & (f["p_reach"] <= 1)).all()
        assert (f["p_reach_low"] <= f["p_reach"]).all()
        assert (f["p_reach"] <= f["p_reach_high"]).all()
    # the draws do not depend on the target, so the probability is monotone exactly
    assert (low["p_reach"] <= high["p_reach"]).all()


def _fill(model: Any, *, worker: bool = False, bh: bool = False, uh: bool = False) -> Any:
    import dataclasses

    return dataclasses.replace(
        model,
        vacant_worker=model.vacant_worker & (not worker),
        vacant_bh=model.vacant_bh & (not bh),
        vacant_uh=model.vacant_uh & (not uh),
    )


@settings(max_examples=40)
@given(models(), hops_st, st.floats(0.0, 0.5), st.integers(0, 2**32 - 1))
def test_filling_grid_workers_never_slows_a_run(
    model: Any, hops: dict[str, tuple[float, float]], share: float, seed: int
) -> None:
    # common random numbers: the fill removes a positive door knock and nothing else
    before = M._reach_fast(model, hops, share, 32, np.random.default_rng(seed))
    after = M._reach_fast(_fill(model, worker=True), hops, share, 32, np.random.default_rng(seed))
    assert (after <= before).all()


@settings(max_examples=40)
@given(models(), st.floats(0.2, 3.0), st.floats(1.0, 3.0), st.floats(0.0, 1.0))
def test_filling_unit_heads_never_slows_a_run_when_the_relay_is_quicker(
    model: Any, relay: float, ratio: float, sigma: float
) -> None:
    # with nobody missing the message and the relay's quantiles below the knock's (same
    # sigma, smaller median), the quantile coupling makes the fill exact run by run
    hops = dict(DEFAULT_HOPS)
    hops["unit_head_to_household"] = (relay, sigma)
    hops["door_knock"] = (relay * ratio, sigma)
    before = M._reach_fast(model, hops, 0.0, 32, np.random.default_rng(9))
    after = M._reach_fast(_fill(model, uh=True), hops, 0.0, 32, np.random.default_rng(9))
    assert (after <= before + 1e-12).all()


@settings(max_examples=30)
@given(models(), st.floats(2.0, 20.0))
def test_filling_any_post_never_lowers_p_reach_beyond_noise(model: Any, target: float) -> None:
    # Under the default hops a door knock is slower than the relay it replaces in distribution
    # at every target a test of this size can resolve (the lognormal tails cross only beyond
    # 1e-6 probability), so filling can lower p_reach only by Monte Carlo noise. Common random
    # numbers pair the runs: with b runs that only the filled structure meets and c that only
    # the vacant one meets, a lower p_reach beyond noise is c − b > z·sqrt(b + c) (McNemar's
    # test, one-sided α = 1e-4 per example; at most 30 examples: family α ≤ 3e-3).
    z = float(-ndtri(1e-4))
    before = M._reach_fast(model, DEFAULT_HOPS, 0.02, 400, np.random.default_rng(3)) <= target
    filled = _fill(model, worker=True, bh=True, uh=True)
    after = M._reach_fast(filled, DEFAULT_HOPS, 0.02, 400, np.random.default_rng(3)) <= target
    b = (after & ~before).sum(axis=0)
    c = (before & ~after).sum(axis=0)
    assert (c - b <= z * np.sqrt(b + c)).all()


# -- through the public API ----------------------------------------------------------------------
def _profile(**values: Any) -> Profile:
    return load_profile(
        {
            "name": "test",
            "extends": "youyi",
            "values": {
                k: {"value": v, "source": "test", "confidence": "assumed"}
                for k, v in values.items()
            },
        }
    )


def test_same_seed_gives_an_identical_frame() -> None:
    s = datasets.load("youyi")
    a = mobilisation(s, runs=60, seed=4, profile="youyi")
    b = mobilisation(s, runs=60, seed=4, profile="youyi")
    assert a.to_frame().equals(b.to_frame())
    assert np.array_equal(a.cadre_minutes, b.cadre_minutes)
    assert not np.array_equal(a.reach_minutes, mobilisation(s, runs=60, seed=5).reach_minutes)


def test_p_reach_is_monotone_in_the_profile_target() -> None:
    s = datasets.load("youyi")
    frames = [
        mobilisation(
            s, runs=100, seed=2, profile=_profile(**{"mobilisation.instruction_reach_minutes": t})
        ).to_frame()
        for t in (6.0, 8.0, 10.0, 14.0)
    ]
    for lower, higher in itertools.pairwise(frames):
        assert (lower["p_reach"] <= higher["p_reach"]).all()


def test_what_if_fill_uses_common_random_numbers() -> None:
    s = datasets.load("youyi")
    post = next(p for p in s.posts if p.kind.value == "grid_worker" and p.area == "S01C01G01")
    s2 = s.model_copy(
        update={"appointments": tuple(a for a in s.appointments if a.post != post.id)}
    )
    m = mobilisation(s2, runs=200, seed=8, profile="youyi")
    filled = m.what_if(fill=[post.id])
    g = m.grids.index("S01C01G01")
    assert (filled.reach_minutes[:, g] < m.reach_minutes[:, g]).all()  # a knock less, each run
    others = [i for i in range(len(m.grids)) if i != g]
    assert np.array_equal(filled.reach_minutes[:, others], m.reach_minutes[:, others])
    assert np.array_equal(filled.cadre_minutes, m.cadre_minutes)
