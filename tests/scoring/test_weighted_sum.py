"""Weighted sum: published example, properties, degenerate data."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from gridgov.errors import ScoringError
from gridgov.scoring import (
    CriteriaTable,
    DegenerateDataWarning,
    WeightedSum,
    WeightsNormalisedWarning,
    get_scorer,
    weighted_sum,
)
from gridgov.scoring.testing import check_scorer

# Chakraborty, S., Zavadskas, E. K., Antucheviciene, J. (2015). Applications of WASPAS method
# as a multi-criteria decision-making tool. Economic Computation and Economic Cybernetics
# Studies and Research 49(1), 5-22, Example 2: WASPAS with lambda = 1 is the weighted sum of
# the linear "max" normalisation (benefit x / max, cost min / x). Published scores (4 d.p.)
# and ranks, as also used in scikit-criteria's tests/agg/test_simple.py.
CHAKRABORTY_X = [
    [581818, 54.49, 3, 5500],
    [595454, 49.73, 3, 4500],
    [586060, 51.24, 3, 5000],
    [522727, 45.71, 3, 5800],
    [561818, 52.66, 3, 5200],
    [543030, 74.46, 4, 5600],
    [522727, 75.42, 4, 5800],
    [486970, 62.62, 4, 5600],
    [509394, 65.87, 4, 6400],
    [513333, 70.67, 4, 6000],
]
CHAKRABORTY_SCORES = [
    0.8590,
    0.8194,
    0.8430,
    0.9420,
    0.8645,
    0.8315,
    0.8552,
    0.8983,
    0.9067,
    0.8784,
]
CHAKRABORTY_RANKS = [6, 10, 8, 1, 5, 9, 7, 3, 2, 4]


def test_chakraborty_2015_waspas_lambda_1() -> None:
    t = CriteriaTable(
        CHAKRABORTY_X,
        [f"A{i}" for i in range(1, 11)],
        ["PC", "FS", "MN", "P"],
        ["cost", "cost", "cost", "benefit"],
        [0.467, 0.160, 0.095, 0.278],
    )
    r = WeightedSum(normalisation="max").score(t)
    assert np.allclose(r.scores, CHAKRABORTY_SCORES, atol=1.5e-4)
    assert r.ranking.tolist() == CHAKRABORTY_RANKS
    assert r.params == {"normalisation": "max"}
    assert np.allclose(r.contributions.sum(axis=1), r.scores)  # type: ignore[union-attr]


def test_kracka_2010_sum_normalisation() -> None:
    # Data: Kracka, M., Brauers, W. K. M., Zavadskas, E. K. (2010). Ranking heating losses in
    # a building by applying the MULTIMOORA. Inzinerine Ekonomika 21(4), 352-359. Expected
    # scores from an independent implementation (scikit-criteria: InvertMinimize (1/x) +
    # SumScaler + WeightedSumModel, tests/agg/test_simple.py), which is our "sum" normalisation.
    x = [
        [33.95, 23.78, 11.45, 39.97, 29.44, 167.10, 3.852],
        [38.9, 4.17, 6.32, 0.01, 4.29, 132.52, 25.184],
        [37.59, 9.36, 8.23, 4.35, 10.22, 136.71, 10.845],
        [30.44, 37.59, 13.91, 74.08, 45.10, 198.34, 2.186],
        [36.21, 14.79, 9.17, 17.77, 17.06, 148.3, 6.610],
        [37.8, 8.55, 7.97, 2.35, 9.25, 134.83, 11.935],
    ]
    dirs = ["cost", "cost", "cost", "cost", "benefit", "cost", "benefit"]
    scores = weighted_sum(x, np.full(7, 1 / 7), [d == "benefit" for d in dirs], normalisation="sum")
    expected = [0.12040426, 0.3458235, 0.13838192, 0.12841246, 0.12346084, 0.14351701]
    assert np.allclose(scores, expected)


def test_default_minmax_and_contributions() -> None:
    t = CriteriaTable([[2, 30], [4, 10], [3, 20]], ["A", "B", "C"], ["x", "y"], ["benefit", "cost"])
    r = get_scorer("weighted_sum").score(t)
    assert r.params == {"normalisation": "minmax"}
    assert r.scores.tolist() == [0.0, 1.0, 0.5]
    assert r.normalised.tolist() == [[0, 0], [1, 1], [0.5, 0.5]]  # type: ignore[union-attr]
    assert r.details == {}


def test_check_scorer_all_normalisations() -> None:
    for name in ("minmax", "vector", "sum", "max"):
        check_scorer(WeightedSum(normalisation=name), monotone=True)


def test_invalid_parameters() -> None:
    with pytest.raises(ScoringError, match="unknown normalisation 'l2'"):
        WeightedSum(normalisation="l2")
    with pytest.raises(ScoringError, match="unknown normalisation"):
        weighted_sum([[1.0], [2.0]], [1.0], normalisation="l2")
    assert repr(WeightedSum()) == "WeightedSum(normalisation='minmax')"


def test_degenerate_data() -> None:
    with pytest.raises(ScoringError, match="at least 2"):
        weighted_sum([[1.0, 2.0]], [0.5, 0.5])
    with pytest.raises(ScoringError, match="not finite"):
        weighted_sum([[1.0, np.nan], [1.0, 2.0]], [0.5, 0.5])
    with pytest.warns(DegenerateDataWarning, match="'y' has the same value"):
        s = (
            WeightedSum()
            .score(CriteriaTable([[1, 5], [2, 5]], ["A", "B"], ["x", "y"], "benefit"))
            .scores
        )
    assert s.tolist() == [0.5, 1.0]
    with pytest.warns(DegenerateDataWarning, match="all alternatives are identical"):
        s = weighted_sum([[1.0, 5.0], [1.0, 5.0]], [0.5, 0.5])
    assert s[0] == s[1]
    with pytest.raises(ScoringError, match="all zeros"):
        weighted_sum([[0.0, 1.0], [0.0, 2.0]], [0.5, 0.5], normalisation="vector")
    with pytest.raises(ScoringError, match="zero or negative"):
        weighted_sum([[0.0, 1.0], [1.0, 2.0]], [0.5, 0.5], [False, True], normalisation="max")
    with pytest.warns(WeightsNormalisedWarning):
        weighted_sum([[1.0, 2.0], [2.0, 1.0]], [1.0, 1.0])
    with pytest.raises(ScoringError, match="shape"):
        weighted_sum([[1.0, 2.0], [2.0, 1.0]], [1.0])
    with pytest.raises(ScoringError, match="2-D"):
        weighted_sum([1.0, 2.0], [1.0])


def test_constant_zero_weight_criterion_does_not_warn() -> None:
    s = weighted_sum([[1.0, 5.0], [2.0, 5.0]], [1.0, 0.0])
    assert s.tolist() == [0.0, 1.0]


@st.composite
def problems(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    m = draw(st.integers(2, 8))
    n = draw(st.integers(1, 4))
    x = draw(arrays(np.float64, (m, n), elements=st.integers(1, 50).map(float)))
    w = np.array(draw(st.lists(st.integers(1, 10), min_size=n, max_size=n)), dtype=float)
    b = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    return x, w / w.sum(), b


@settings(max_examples=60)
@given(problems(), st.sampled_from(["minmax", "vector", "sum", "max"]), st.data())
def test_properties(
    problem: tuple[np.ndarray, np.ndarray, np.ndarray], norm: str, data: st.DataObject
) -> None:
    x, w, b = problem
    if (x.max(axis=0) == x.min(axis=0)).any():
        return  # degenerate columns are covered above
    s = weighted_sum(x, w, b, normalisation=norm)
    assert ((s >= -1e-12) & (s <= 1 + 1e-12)).all()
    # permutation invariance
    p = np.random.default_rng(0).permutation(x.shape[0])
    assert np.allclose(weighted_sum(x[p], w, b, normalisation=norm), s[p])
    # monotone: improving one alternative on one criterion never lowers its score
    i = data.draw(st.integers(0, x.shape[0] - 1))
    j = data.draw(st.integers(0, x.shape[1] - 1))
    y = x.copy()
    y[i, j] = y[i, j] + 7 if b[j] else max(y[i, j] / 2, 0.5)
    if y[:, j].max() == y[:, j].min():
        return
    assert weighted_sum(y, w, b, normalisation=norm)[i] >= s[i] - 1e-12
