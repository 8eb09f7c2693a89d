"""Grey relational analysis: published example, properties, degenerate data."""

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
    GreyRelational,
    get_scorer,
    grey_relational,
)
from gridgov.scoring.testing import check_scorer


def yildirim_onder() -> CriteriaTable:
    # Yildirim, B. F., Önder, E. (eds.) (2015). Isletmeciler, Mühendisler ve Yöneticiler icin
    # Operasyonel, Yönetsel ve Stratejik Problemlerin Cözümünde Cok Kriterli Karar Verme
    # Yöntemleri, 2nd ed., Dora (ISBN 978-605-9929-44-8), GRA chapter: five candidates, six
    # criteria (min, max, min, max, max, min), weights below, rho = 0.5, min-max "grey
    # relational generating" and Deng's global minimum/maximum deviations. The published
    # grades are reproduced in JMcDM's test/mcdm/testgra.jl.
    x = np.column_stack(
        [
            [105000.0, 120000, 150000, 115000, 135000],
            [105.0, 110, 120, 105, 115],
            [10.0, 15, 12, 20, 15],
            [4.0, 4, 3, 4, 5],
            [300.0, 500, 550, 600, 400],
            [10.0, 8, 12, 9, 9],
        ]
    )
    return CriteriaTable(
        x,
        [f"A{i}" for i in range(1, 6)],
        [f"K{j}" for j in range(1, 7)],
        ["cost", "benefit", "cost", "benefit", "benefit", "cost"],
        [0.05, 0.20, 0.10, 0.15, 0.10, 0.40],
    )


def test_yildirim_onder_2015() -> None:
    r = GreyRelational().score(yildirim_onder())
    expected = [
        0.525,
        0.7007142857142857,
        0.5464285714285715,
        0.5762820512820512,
        0.650952380952381,
    ]
    assert np.allclose(r.scores, expected, atol=1e-10)
    assert r.best == "A2"
    assert r.params == {"rho": 0.5, "normalisation": "minmax"}
    xi = r.details["coefficients"]
    assert xi.shape == (5, 6)
    # with min-max generating every column reaches the reference: global delta_min = 0,
    # delta_max = 1, so xi = 0.5 / (delta + 0.5)
    assert float(r.details["delta_min"]) == 0.0
    assert float(r.details["delta_max"]) == 1.0
    assert np.allclose(xi, 0.5 / (1 - r.normalised + 0.5))  # type: ignore[operator]
    assert np.allclose(r.contributions.sum(axis=1), r.scores)  # type: ignore[union-attr]


def test_rho_changes_spread_not_order_here() -> None:
    t = yildirim_onder()
    low = get_scorer("grey_relational", rho=0.2).score(t)
    high = get_scorer("grey_relational", rho=1.0).score(t)
    assert np.ptp(low.scores) > np.ptp(high.scores)
    for bad in (0.0, -0.5, 1.5, float("inf")):
        with pytest.raises(ScoringError, match="rho must be"):
            GreyRelational(rho=bad)


def test_check_scorer() -> None:
    check_scorer(GreyRelational(), monotone=True)
    check_scorer(GreyRelational(normalisation="vector"), monotone=True)


def test_degenerate_data() -> None:
    with pytest.raises(ScoringError, match="at least 2"):
        grey_relational([[1.0, 2.0]], [0.5, 0.5])
    with pytest.warns(DegenerateDataWarning, match="identical"):
        g = grey_relational([[3.0, 1.0], [3.0, 1.0]], [0.5, 0.5])
    assert g.tolist() == [1.0, 1.0]
    with pytest.warns(DegenerateDataWarning, match="'y' has the same value"):
        GreyRelational().score(CriteriaTable([[1, 5], [2, 5]], ["A", "B"], ["x", "y"], "benefit"))


@st.composite
def problems(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    m = draw(st.integers(2, 8))
    n = draw(st.integers(1, 4))
    x = draw(arrays(np.float64, (m, n), elements=st.integers(1, 40).map(float)))
    w = np.array(draw(st.lists(st.integers(1, 10), min_size=n, max_size=n)), dtype=float)
    b = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    return x, w / w.sum(), b


@settings(max_examples=60)
@given(problems(), st.floats(0.05, 1.0))
def test_properties(problem: tuple[np.ndarray, np.ndarray, np.ndarray], rho: float) -> None:
    x, w, b = problem
    if (x.max(axis=0) == x.min(axis=0)).any():
        return
    g = grey_relational(x, w, b, rho=rho)
    assert ((g > 0) & (g <= 1 + 1e-12)).all()  # grades in (0, 1]
    p = np.random.default_rng(2).permutation(x.shape[0])
    assert np.allclose(grey_relational(x[p], w, b, rho=rho), g[p])
