"""TOPSIS: published examples, properties, degenerate data."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from gridgov.errors import ScoringError
from gridgov.scoring import CriteriaTable, DegenerateDataWarning, Topsis, get_scorer, topsis
from gridgov.scoring.testing import check_scorer


def fighter_aircraft() -> CriteriaTable:
    # Hwang, C.-L., Yoon, K. (1981). Multiple Attribute Decision Making: Methods and
    # Applications. Springer, pp. 133-134: the fighter-aircraft example (max speed, ferry
    # range, max payload, acquisition cost, reliability, manoeuvrability).
    return CriteriaTable(
        [
            [2.0, 1500, 20000, 5.5, 5, 9],
            [2.5, 2700, 18000, 6.5, 3, 5],
            [1.8, 2000, 21000, 4.5, 7, 7],
            [2.2, 1800, 20000, 5.0, 5, 5],
        ],
        ["A1", "A2", "A3", "A4"],
        ["speed", "range", "payload", "cost", "reliability", "manoeuvrability"],
        ["benefit", "benefit", "benefit", "cost", "benefit", "benefit"],
        [0.2, 0.1, 0.1, 0.1, 0.2, 0.3],
    )


def test_hwang_yoon_1981_fighter_aircraft() -> None:
    r = Topsis().score(fighter_aircraft())
    # Published: C* = 0.643, 0.268, 0.613, 0.312; S* = .0545, .1197, .0580, .1009;
    # S- = .0983, .0439, .0920, .0458. The book rounds the normalised matrix to 4 d.p. (its
    # cost column is off by ~6e-4), hence the 2e-3 tolerance.
    assert np.allclose(r.scores, [0.643, 0.268, 0.613, 0.312], atol=2e-3)
    assert np.allclose(r.details["d_plus"], [0.0545, 0.1197, 0.0580, 0.1009], atol=2e-4)
    assert np.allclose(r.details["d_minus"], [0.0983, 0.0439, 0.0920, 0.0458], atol=2e-4)
    assert r.ranking.tolist() == [1, 4, 2, 3]
    # ideal/anti-ideal on benefit criteria are the book's A* and A- (weighted normalised);
    # on the cost criterion our values are 0.1 - the book's (linear flip 1 - r)
    assert np.allclose(
        r.details["ideal"][[0, 1, 2, 4, 5]], [0.1168, 0.0659, 0.0531, 0.1347, 0.2012], atol=2e-4
    )
    assert np.allclose(
        r.details["anti_ideal"][[0, 1, 2, 4, 5]],
        [0.0841, 0.0366, 0.0455, 0.0577, 0.1118],
        atol=2e-4,
    )
    assert r.details["ideal"][3] == pytest.approx(0.1 - 0.0414, abs=1e-3)


def test_tzeng_huang_2011() -> None:
    # Tzeng, G.-H., Huang, J.-J. (2011). Multiple Attribute Decision Making: Methods and
    # Applications. CRC Press; values as in scikit-criteria tests/agg/test_similarity.py.
    s = topsis([[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]], [0.3, 0.4, 0.3])
    assert np.allclose(s, [0.5037, 0.6581, 0.7482, 0.3340], atol=1e-4)


def test_cost_flip_equals_textbook_rule() -> None:
    # textbook TOPSIS: r = x / ||x|| for every column; ideal = max for benefit, min for cost
    x = np.array(fighter_aircraft().values)
    w = fighter_aircraft().weights
    b = fighter_aircraft().is_benefit
    v = x / np.sqrt((x**2).sum(axis=0)) * w
    best = np.where(b, v.max(axis=0), v.min(axis=0))
    worst = np.where(b, v.min(axis=0), v.max(axis=0))
    dp = np.sqrt(((v - best) ** 2).sum(axis=1))
    dm = np.sqrt(((v - worst) ** 2).sum(axis=1))
    assert np.allclose(topsis(x, w, b), dm / (dp + dm))


def test_params_details_and_explanation() -> None:
    r = get_scorer("topsis", normalisation="minmax").score(fighter_aircraft())
    assert r.params == {"normalisation": "minmax"}
    assert set(r.details) == {"d_plus", "d_minus", "ideal", "anti_ideal"}
    e = r.explain()
    assert "d_plus" in e.per_alternative
    assert "ideal" in e.per_criterion
    assert "d_plus" in e.to_text()
    assert "到正理想解距离 d+" in e.to_text("zh")


def test_check_scorer() -> None:
    for name in ("vector", "minmax", "sum", "max"):
        check_scorer(Topsis(normalisation=name), monotone=True)


def test_degenerate_data() -> None:
    with pytest.raises(ScoringError, match="at least 2"):
        topsis([[1.0, 2.0]], [0.5, 0.5])
    with pytest.warns(DegenerateDataWarning, match="identical"):
        s = topsis([[1.0, 2.0], [1.0, 2.0], [1.0, 2.0]], [0.5, 0.5])
    assert s.tolist() == [1.0, 1.0, 1.0]
    with pytest.raises(ScoringError, match="all zeros"):
        topsis([[0.0, 2.0], [0.0, 3.0]], [0.5, 0.5])
    with pytest.warns(DegenerateDataWarning, match="'y' has the same value"):
        Topsis(normalisation="minmax").score(
            CriteriaTable([[1, 5], [2, 5]], ["A", "B"], ["x", "y"], "benefit")
        )
    # a constant column under vector normalisation is harmless (no warning): it adds
    # nothing to either distance
    s = topsis([[1.0, 5.0], [2.0, 5.0]], [0.5, 0.5])
    assert s.tolist() == [0.0, 1.0]


@st.composite
def problems(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    m = draw(st.integers(2, 8))
    n = draw(st.integers(1, 4))
    x = draw(arrays(np.float64, (m, n), elements=st.integers(1, 60).map(float)))
    w = np.array(draw(st.lists(st.integers(1, 10), min_size=n, max_size=n)), dtype=float)
    b = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    return x, w / w.sum(), b


@settings(max_examples=80)
@given(problems(), st.data())
def test_properties(
    problem: tuple[np.ndarray, np.ndarray, np.ndarray], data: st.DataObject
) -> None:
    x, w, b = problem
    if (x.max(axis=0) == x.min(axis=0)).all():
        return  # identical alternatives are covered above
    s = topsis(x, w, b)
    assert ((s >= 0) & (s <= 1)).all()
    p = np.random.default_rng(1).permutation(x.shape[0])
    assert np.allclose(topsis(x[p], w, b), s[p])
    i = data.draw(st.integers(0, x.shape[0] - 1))
    j = data.draw(st.integers(0, x.shape[1] - 1))
    y = x.copy()
    y[i, j] = y[i, j] + 9 if b[j] else max(y[i, j] / 2, 0.5)
    if (y.max(axis=0) == y.min(axis=0)).all():
        return
    assert topsis(y, w, b)[i] >= s[i] - 1e-12


def test_tiny_weights_do_not_underflow_the_distances() -> None:
    # issue 8: with a weight of 1e-300 the squared gaps underflowed to 0 and closeness was 0/0;
    # the constant first criterion carries no information, so only the second one ranks
    with pytest.warns(DegenerateDataWarning, match="'column 0'"):
        s = topsis([[1, 1], [1, 2], [1, 3]], [1, 1e-300], normalisation="minmax")
    np.testing.assert_allclose(s, [0.0, 0.5, 1.0])
