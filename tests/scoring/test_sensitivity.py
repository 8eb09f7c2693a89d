"""Robustness: one-at-a-time, Monte Carlo, break-even weights, rank reversal."""

from __future__ import annotations

import numpy as np
import pytest

from gridgov.errors import ScoringError
from gridgov.scoring import (
    CriteriaTable,
    DegenerateDataWarning,
    GreyRelational,
    PrometheeII,
    Topsis,
    Vikor,
    WeightedSum,
    monte_carlo,
    one_at_a_time,
    rank_reversal,
    weight_to_cross,
    weight_to_flip,
)
from gridgov.scoring.sensitivity import shifted_weights


def table() -> CriteriaTable:
    return CriteriaTable(
        [[0.9, 3, 40], [0.8, 1, 55], [0.95, 6, 38], [0.7, 2, 60], [0.85, 4, 45]],
        ["G1", "G2", "G3", "G4", "G5"],
        ["coverage", "overdue", "visits"],
        ["benefit", "cost", "benefit"],
        [0.5, 0.3, 0.2],
    )


def test_shifted_weights() -> None:
    w = np.array([0.5, 0.3, 0.2])
    out = shifted_weights(w, 0, 0.8)
    assert out.tolist() == pytest.approx([0.8, 0.12, 0.08])
    assert shifted_weights(np.array([1.0, 0.0, 0.0]), 0, 0.4).tolist() == pytest.approx(
        [0.4, 0.3, 0.3]
    )
    with pytest.raises(ScoringError, match="in \\[0, 1\\]"):
        shifted_weights(w, 0, 1.2)
    with pytest.raises(ScoringError, match="two criteria"):
        shifted_weights(np.array([1.0]), 0, 0.5)


def test_one_at_a_time() -> None:
    res = one_at_a_time(table(), WeightedSum(), deltas=[-0.6, -0.1, 0.1])
    assert res.rankings.shape == (3, 3, 5)
    assert res.feasible.tolist()[0] == [False, True, True]
    assert res.weights[0, 0] == 0.0  # clipped
    assert (res.spearman <= 1 + 1e-12).all()
    rows = res.to_rows()
    assert len(rows) == 9
    assert set(rows[0]) == {"criterion", "delta", "weight", "feasible", "changed", "spearman"}
    only = one_at_a_time(table(), Topsis(), criteria=["visits"])
    assert only.criteria == ("visits",)
    with pytest.raises(ScoringError, match="unknown criterion"):
        one_at_a_time(table(), Topsis(), criteria=["nope"])
    with pytest.raises(ScoringError, match="deltas"):
        one_at_a_time(table(), Topsis(), deltas=[np.nan])


def test_monte_carlo_is_seeded_and_consistent() -> None:
    a = monte_carlo(table(), Topsis(), draws=300, seed=7, top_k=2, bottom_k=1)
    b = monte_carlo(table(), Topsis(), draws=300, seed=7, top_k=2, bottom_k=1)
    assert np.array_equal(a.rankings, b.rankings)
    assert a.weights.shape == (300, 3)
    assert np.allclose(a.weights.sum(axis=1), 1.0)
    assert np.allclose(a.weights.mean(axis=0), table().weights, atol=0.02)
    assert ((a.rank_stability >= 0) & (a.rank_stability <= 1)).all()
    assert np.allclose(a.rank_stability, (a.rankings == a.base_ranking).mean(axis=0))
    assert a.kendall is not None
    assert ((a.spearman >= -1 - 1e-12) & (a.spearman <= 1 + 1e-12)).all()
    assert a.in_top_k is not None
    assert a.in_bottom_k is not None
    assert a.in_top_k.sum() == pytest.approx(2.0)  # two members per draw (no ties here)
    assert a.in_bottom_k.sum() == pytest.approx(1.0)
    assert 0 <= a.top_k_kept <= 1  # type: ignore[operator]
    assert a.rank_interval(0.9).shape == (5, 2)
    assert a.to_rows()[0]["alternative"] == "G1"
    with pytest.raises(ScoringError, match="coverage"):
        a.rank_interval(0)


def test_monte_carlo_weighted_sum_fast_path_matches_loop() -> None:
    class Wrapped:
        name = "wrapped"
        higher_is_better = True

        def __init__(self) -> None:
            self.inner = WeightedSum(normalisation="vector")

        def score(self, t: CriteriaTable):  # type: ignore[no-untyped-def]
            return self.inner.score(t)

    fast = monte_carlo(table(), WeightedSum(normalisation="vector"), draws=50, seed=3)
    slow = monte_carlo(table(), Wrapped(), draws=50, seed=3)
    assert np.array_equal(fast.rankings, slow.rankings)
    assert np.allclose(fast.spearman, slow.spearman)


def test_monte_carlo_large_concentration_is_stable_and_zero_weights_stay_zero() -> None:
    t = table().with_weights([0.6, 0.4, 0.0])
    res = monte_carlo(t, GreyRelational(), draws=100, concentration=1e6, seed=0, kendall=False)
    assert (res.weights[:, 2] == 0).all()
    assert res.kendall is None
    assert res.rank_stability.min() == 1.0
    assert np.allclose(res.spearman, 1.0)


def test_monte_carlo_errors() -> None:
    with pytest.raises(ScoringError, match="draws"):
        monte_carlo(table(), Topsis(), draws=0)
    with pytest.raises(ScoringError, match="concentration"):
        monte_carlo(table(), Topsis(), concentration=0)
    with pytest.raises(ScoringError, match="top_k"):
        monte_carlo(table(), Topsis(), top_k=9)
    flat = CriteriaTable([[1, 2], [1, 2], [1, 2]], ["a", "b", "c"], ["x", "y"], "benefit")
    with (
        pytest.warns(DegenerateDataWarning),
        pytest.raises(ScoringError, match="every alternative ties"),
    ):
        monte_carlo(flat, Topsis())


def test_weight_to_flip_exact_for_weighted_sum() -> None:
    t = CriteriaTable([[1, 0], [0, 1]], ["A", "B"], ["x", "y"], "benefit", [0.7, 0.3])
    change = weight_to_flip(t, WeightedSum(), "x", "A", "B")
    assert change is not None
    assert change.exact
    assert change.new_weight == pytest.approx(0.5)
    assert change.delta == pytest.approx(-0.2)
    assert change.weights == pytest.approx((0.5, 0.5))
    # order of the pair does not matter; the break-even does
    again = weight_to_flip(t, WeightedSum(), "y", "B", "A")
    assert again is not None
    assert again.new_weight == pytest.approx(0.5)


def test_weight_to_flip_bisection_agrees_with_exact() -> None:
    t = table()

    class Slow:  # not a WeightedSum instance: forces the grid + bisection path
        name = "slow"
        higher_is_better = True

        def score(self, tt: CriteriaTable):  # type: ignore[no-untyped-def]
            return WeightedSum().score(tt)

    for criterion in t.criteria:
        exact = weight_to_flip(t, WeightedSum(), criterion, "G1", "G2")
        approx = weight_to_flip(t, Slow(), criterion, "G1", "G2")
        if exact is None:
            assert approx is None
        else:
            assert approx is not None
            assert not approx.exact
            assert approx.new_weight == pytest.approx(exact.new_weight, abs=1e-8)


def test_weight_to_flip_nonlinear_scorer_flips_order() -> None:
    t = table()
    change = weight_to_flip(t, Vikor(), "visits", "G1", "G4")
    assert change is not None
    before = Vikor().score(t)
    just_beyond = t.with_weights(
        shifted_weights(t.weights, 2, change.new_weight + np.sign(change.delta) * 1e-6)
    )
    after = Vikor().score(just_beyond)
    assert np.sign(before.scores[0] - before.scores[3]) != np.sign(
        after.scores[0] - after.scores[3]
    )


def test_weight_to_flip_none_and_errors() -> None:
    t = CriteriaTable([[2, 2], [1, 1]], ["A", "B"], ["x", "y"], "benefit")
    assert weight_to_flip(t, WeightedSum(), "x", "A", "B") is None  # A dominates B
    assert weight_to_flip(t, PrometheeII(), "x", "A", "B") is None
    with pytest.raises(ScoringError, match="tie"):
        weight_to_flip(
            CriteriaTable([[1, 2], [2, 1]], ["A", "B"], ["x", "y"], "benefit"),
            WeightedSum(),
            "x",
            "A",
            "B",
        )
    with pytest.raises(ScoringError, match="different"):
        weight_to_flip(t, WeightedSum(), "x", "A", "A")
    with pytest.raises(ScoringError, match="unknown alternative"):
        weight_to_flip(t, WeightedSum(), "x", "A", "Z")


def test_weight_to_cross() -> None:
    t = CriteriaTable([[1, 0], [0, 1]], ["A", "B"], ["x", "y"], "benefit", [0.7, 0.3])
    change = weight_to_cross(t, WeightedSum(), "x", "A", 0.9)
    assert change is not None
    assert change.new_weight == pytest.approx(0.9)
    slow = weight_to_cross(t, Topsis(normalisation="minmax"), "x", "A", 0.9)
    assert slow is not None
    assert not slow.exact
    r = Topsis(normalisation="minmax").score(t.with_weights(list(slow.weights)))
    assert r.scores[0] == pytest.approx(0.9, abs=1e-8)
    assert weight_to_cross(t, WeightedSum(), "x", "A", 2.0) is None
    with pytest.raises(ScoringError, match="break-even"):
        weight_to_cross(t, WeightedSum(), "x", "A", 0.7)


T5 = CriteriaTable(
    [[1, 9], [9, 1], [5, 5.5], [4.8, 5.8], [10, 0.5]],
    ["A", "B", "C", "D", "E"],
    ["x", "y"],
    "benefit",
)


def test_rank_reversal_weighted_sum_minmax_by_hand() -> None:
    # Equal weights, min-max. Before: A .5, B .4739, C .5163, D .5229, E .5. Removing A moves
    # the minimum of x from 1 to 4.8: B .4510, C .4909, D .5, E .5, so C falls below E
    # (D and E now tie, which is not a strict reversal).
    report = rank_reversal(T5, WeightedSum())
    assert report.method == "weighted_sum"
    assert len(report.tests) == 10
    assert [(r.test, r.alternative, r.pairs) for r in report.reversals] == [
        ("remove", "A", (("C", "E"),))
    ]
    # with max normalisation and no column maximum moving, nothing reverses
    stable = rank_reversal(T5, WeightedSum(normalisation="max"), alternatives=["C"])
    assert [x.test for x in stable.tests] == ["remove", "clone"]
    assert not stable.has_reversal


def test_rank_reversal_topsis() -> None:
    report = rank_reversal(T5, Topsis(), clone=False)
    assert report.has_reversal  # TOPSIS is known to suffer rank reversal
    base = Topsis().score(T5)
    for test in report.reversals:
        after = Topsis().score(T5.drop(test.alternative))
        for above, below in test.pairs:
            i, j = T5.alternatives.index(above), T5.alternatives.index(below)
            k, m = after.alternatives.index(above), after.alternatives.index(below)
            assert base.scores[i] > base.scores[j]
            assert after.scores[k] < after.scores[m]


def test_rank_reversal_errors() -> None:
    small = CriteriaTable([[1, 2], [2, 1]], ["A", "B"], ["x", "y"], "benefit")
    with pytest.raises(ScoringError, match="three"):
        rank_reversal(small, WeightedSum())
    assert rank_reversal(small, WeightedSum(), remove=False).tests[0].test == "clone"
    with pytest.raises(ScoringError, match="unknown alternative"):
        rank_reversal(table(), WeightedSum(), alternatives=["Z"])
