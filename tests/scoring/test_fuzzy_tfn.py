"""Fuzzy TOPSIS (Chen 2000): a hand-worked example, the crisp limit, the table type."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from gridgov.errors import ScoringError
from gridgov.scoring import FuzzyCriteriaTable, FuzzyTopsisResult, fuzzy_topsis


def test_hand_worked_chen_2000() -> None:
    # Chen (2000), Fuzzy Sets and Systems 114, eqs. (12)-(20), worked by hand:
    # quality (benefit, u* = 9): A (5,7,9) -> (5/9, 7/9, 1); B (3,5,7) -> (3/9, 5/9, 7/9)
    # price (cost, l- = 1): A (1,3,5) -> (1/5, 1/3, 1); B (5,7,9) -> (1/9, 1/7, 1/5)
    # weights (0.7, 0.9, 1.0) and (0.3, 0.5, 0.7); vertex distances to (1,1,1), (0,0,0)
    t = FuzzyCriteriaTable(
        [[[5, 7, 9], [1, 3, 5]], [[3, 5, 7], [5, 7, 9]]],
        ["A", "B"],
        ["quality", "price"],
        ["benefit", "cost"],
        [[0.7, 0.9, 1.0], [0.3, 0.5, 0.7]],
    )
    r = fuzzy_topsis(t)
    assert isinstance(r, FuzzyTopsisResult)

    def dist(v: tuple[float, ...], ref: float) -> float:
        return math.sqrt(sum((x - ref) ** 2 for x in v) / 3)

    a = [(0.7 * 5 / 9, 0.9 * 7 / 9, 1.0), (0.3 / 5, 0.5 / 3, 0.7)]
    b = [(0.7 * 3 / 9, 0.9 * 5 / 9, 7 / 9), (0.3 / 9, 0.5 / 7, 0.7 / 5)]
    for i, rows in enumerate((a, b)):
        d_plus = sum(dist(v, 1.0) for v in rows)
        d_minus = sum(dist(v, 0.0) for v in rows)
        assert r.d_plus[i] == pytest.approx(d_plus)
        assert r.d_minus[i] == pytest.approx(d_minus)
        assert r.closeness[i] == pytest.approx(d_minus / (d_plus + d_minus))
    assert r.closeness.round(4).tolist() == [0.5039, 0.3054]
    assert r.ranking.tolist() == [1, 2]
    assert r.as_dict()["A"] == pytest.approx(0.50388, abs=1e-5)


@settings(max_examples=60)
@given(arrays(np.float64, (4, 3), elements=st.floats(0.5, 10)), st.data())
def test_crisp_numbers_reduce_to_a_weighted_share(x: np.ndarray, data: st.DataObject) -> None:
    # with l = m = u every distance is |a - b|: d- = sum w r, d* = sum (1 - w r), so
    # CC = sum_j w_j r_j / n (r: x / max for benefits, min / x for costs)
    b = np.array(data.draw(st.lists(st.booleans(), min_size=3, max_size=3)))
    w = np.array([0.5, 0.3, 0.2])
    t = FuzzyCriteriaTable(
        np.repeat(x[:, :, None], 3, axis=2),
        list("ABCD"),
        ["p", "q", "s"],
        ["benefit" if v else "cost" for v in b],
        w,
    )
    r = np.where(b, x / x.max(axis=0), x.min(axis=0) / x)
    assert np.allclose(fuzzy_topsis(t).closeness, (r * w).sum(axis=1) / 3)


def test_mean_of_decision_makers() -> None:
    one = FuzzyCriteriaTable([[[1, 2, 3]], [[3, 4, 5]]], ["A", "B"], ["c"], "benefit")
    two = FuzzyCriteriaTable(
        [[[3, 4, 5]], [[5, 6, 7]]], ["A", "B"], ["c"], "benefit", [[0.5, 0.6, 0.7]]
    )
    mean = FuzzyCriteriaTable.mean_of([one, two])
    assert mean.values.tolist() == [[[2, 3, 4]], [[4, 5, 6]]]
    assert mean.weights.tolist() == [[0.75, 0.8, 0.85]]
    with pytest.raises(ScoringError, match="same alternatives"):
        FuzzyCriteriaTable.mean_of(
            [one, FuzzyCriteriaTable([[[1, 2, 3]], [[3, 4, 5]]], ["A", "C"], ["c"], "benefit")]
        )


def test_errors() -> None:
    with pytest.raises(ScoringError, match="l <= m <= u"):
        FuzzyCriteriaTable([[[3, 2, 1]], [[1, 2, 3]]], ["A", "B"], ["c"], "benefit")
    with pytest.raises(ScoringError, match="shape"):
        FuzzyCriteriaTable([[1, 2, 3]], ["A"], ["c"], "benefit")
    with pytest.raises(ScoringError, match="'benefit' or 'cost'"):
        FuzzyCriteriaTable([[[1, 2, 3]], [[1, 2, 3]]], ["A", "B"], ["c"], "gain")
    with pytest.raises(ScoringError, match="at least 2"):
        fuzzy_topsis(FuzzyCriteriaTable([[[1, 2, 3]]], ["A"], ["c"], "benefit"))
    with pytest.raises(ScoringError, match="cannot be normalised"):
        fuzzy_topsis(FuzzyCriteriaTable([[[0, 2, 3]], [[1, 2, 3]]], ["A", "B"], ["c"], "cost"))
