"""VIKOR: published examples (S, R, Q, compromise set), properties, degenerate data."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from gridgov.errors import ScoringError
from gridgov.scoring import CriteriaTable, DegenerateDataWarning, Vikor, get_scorer, vikor
from gridgov.scoring.testing import check_scorer


def test_opricovic_tzeng_2004() -> None:
    # Opricovic, S., Tzeng, G.-H. (2004). Compromise solution by MCDM methods: a comparative
    # analysis of VIKOR and TOPSIS. EJOR 156(2), 445-455, section 5: risk (cost) and
    # altitude (benefit), equal weights, v = 0.5. S = (0.5, 0.375, 0.5), R = (0.5, 0.25, 0.5),
    # Q = (1, 0, 1); A2 is the compromise solution with both conditions met.
    t = CriteriaTable(
        [[1, 3000], [2, 3750], [5, 4500]],
        ["A1", "A2", "A3"],
        ["risk", "altitude"],
        ["cost", "benefit"],
    )
    r = Vikor().score(t)
    assert r.details["S"].tolist() == [0.5, 0.375, 0.5]
    assert r.details["R"].tolist() == [0.5, 0.25, 0.5]
    assert r.details["Q"].tolist() == [1.0, 0.0, 1.0]
    assert r.details["compromise_set"].tolist() == [False, True, False]
    assert bool(r.details["acceptable_advantage"])
    assert bool(r.details["acceptable_stability"])
    assert r.ranking.tolist() == [2, 1, 2]
    assert r.higher_is_better is False
    assert r.params == {"v": 0.5}
    assert r.explain().sets == {"compromise_set": ("A2",)}


def test_tzeng_huang_2011_advantage_fails() -> None:
    # Tzeng & Huang (2011), Multiple Attribute Decision Making, CRC Press; values as in
    # scikit-criteria tests/agg/test_vikor.py: DQ = 1/3 and Q(A2) - Q(A3) = 0.25 < DQ, so
    # the compromise set is {A2, A3}.
    t = CriteriaTable(
        [[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]],
        ["A1", "A2", "A3", "A4"],
        ["DUR", "CAP", "REL"],
        "benefit",
        [0.3, 0.4, 0.3],
    )
    r = Vikor().score(t)
    assert np.allclose(r.details["R"], [0.3, 0.2, 0.15, 0.4])
    assert np.allclose(r.details["S"], [0.6, 0.3, 0.15, 0.65])
    assert np.allclose(r.details["Q"], [0.75, 0.25, 0.0, 1.0])
    assert not r.details["acceptable_advantage"]
    assert r.details["acceptable_stability"]
    assert r.details["compromise_set"].tolist() == [False, True, True, False]


M2007 = [
    [4184.3, 2914.0, 407.2, 251.0, 195, 244, 15, 2.41],
    [5211.9, 3630.0, 501.7, 308.3, 282, 346, 21, 1.41],
    [5021.3, 3920.5, 504.0, 278.6, 12, 56, 3, 4.42],
    [5566.1, 3957.9, 559.5, 335.3, 167, 268, 16, 3.36],
    [5060.5, 3293.5, 514.1, 284.2, 69, 90, 7, 4.04],
    [4317.9, 2925.9, 432.8, 239.3, 12, 55, 3, 4.36],
]
DIRS2007 = ["benefit", "cost", "benefit", "benefit", "cost", "cost", "cost", "benefit"]


@pytest.mark.parametrize(
    ("weights", "r_k", "s_k", "q_k", "compromise"),
    [
        (
            [1] * 8,
            [0.125, 0.125, 0.121, 0.125, 0.067, 0.125],
            [0.692, 0.7, 0.29, 0.423, 0.28, 0.346],
            [0.991, 1.0, 0.473, 0.670, 0.0, 0.578],
            [4],
        ),
        (
            [2, 2, 2, 2, 1, 1, 1, 1],
            [0.167, 0.114, 0.161, 0.167, 0.089, 0.167],
            [0.701, 0.6, 0.386, 0.365, 0.317, 0.459],
            [1.0, 0.533, 0.552, 0.563, 0.0, 0.686],
            [4],
        ),
        (
            [1, 1, 1, 1, 2, 2, 2, 2],
            [0.113, 0.167, 0.08, 0.122, 0.044, 0.083],
            [0.683, 0.8, 0.193, 0.48, 0.243, 0.232],
            [0.684, 1.0, 0.147, 0.554, 0.041, 0.191],
            [2, 4, 5],
        ),
        (
            [1, 1, 1, 1, 3.2, 3.2, 3.2, 3.2],
            [0.129, 0.190, 0.057, 0.139, 0.042, 0.060],
            [0.678, 0.857, 0.138, 0.513, 0.222, 0.167],
            [0.668, 1.0, 0.051, 0.588, 0.058, 0.078],
            [2, 4, 5],
        ),
    ],
)
def test_opricovic_tzeng_2007_extended(
    weights: list[float],
    r_k: list[float],
    s_k: list[float],
    q_k: list[float],
    compromise: list[int],
) -> None:
    # Opricovic, S., Tzeng, G.-H. (2007). Extended VIKOR method in comparison with outranking
    # methods. EJOR 178(2), 514-529: six hydropower alternatives, eight criteria, four weight
    # sets (published to 3 d.p.; transcribed in scikit-criteria tests/agg/test_vikor.py).
    w = np.asarray(weights, dtype=float)
    q = vikor(M2007, w / w.sum(), [d == "benefit" for d in DIRS2007])
    assert np.allclose(q, q_k, atol=1.5e-3)
    t = CriteriaTable(
        M2007, [f"A{i}" for i in range(1, 7)], [f"f{j}" for j in range(1, 9)], DIRS2007, w / w.sum()
    )
    r = Vikor().score(t)
    assert np.allclose(r.details["R"], r_k, atol=1.5e-3)
    assert np.allclose(r.details["S"], s_k, atol=1.5e-3)
    assert np.flatnonzero(r.details["compromise_set"]).tolist() == compromise


def test_acceptable_advantage_but_not_stability() -> None:
    # scikit-criteria tests/agg/test_vikor.py (independent implementation): the best by Q is
    # neither best by S nor by R, so the compromise set is {a', a''}.
    x = [
        [1, 101, 1, 101, 1],
        [101, 1, 101, 1, 101],
        [1, 1, 1, 1, 101],
        [11, 11, 11, 16, 61],
        [56, 56, 56, 56, 56],
    ]
    t = CriteriaTable(x, ["A1", "A2", "A3", "A4", "A5"], [f"C{j}" for j in range(5)], "cost")
    r = Vikor().score(t)
    assert np.allclose(r.details["Q"], [0.75, 1.0, 0.5, 0.068, 0.4375], atol=1e-3)
    assert r.details["acceptable_advantage"]
    assert not r.details["acceptable_stability"]
    assert r.details["compromise_set"].tolist() == [False, False, False, True, True]


def test_v_parameter() -> None:
    t = CriteriaTable(
        [[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]],
        ["A1", "A2", "A3", "A4"],
        ["DUR", "CAP", "REL"],
        "benefit",
        [0.3, 0.4, 0.3],
    )
    r_only = get_scorer("vikor", v=0.0).score(t)
    s_only = get_scorer("vikor", v=1.0).score(t)
    s, r = s_only.details["S"], r_only.details["R"]
    assert np.allclose(s_only.scores, (s - s.min()) / (s.max() - s.min()))
    assert np.allclose(r_only.scores, (r - r.min()) / (r.max() - r.min()))
    for bad in (-0.1, 1.1, float("nan")):
        with pytest.raises(ScoringError, match="v must be"):
            Vikor(v=bad)
    with pytest.raises(ScoringError, match="v must be"):
        vikor([[1.0], [2.0]], [1.0], v=2)


def test_contributions_sum_to_s() -> None:
    t = CriteriaTable(
        M2007, [f"A{i}" for i in range(1, 7)], [f"f{j}" for j in range(1, 9)], DIRS2007
    )
    r = Vikor().score(t)
    assert np.allclose(r.contributions.sum(axis=1), r.details["S"])  # type: ignore[union-attr]
    assert np.allclose(r.contributions.max(axis=1), r.details["R"])  # type: ignore[union-attr]


def test_check_scorer() -> None:
    check_scorer(Vikor(), monotone=True)
    check_scorer(Vikor(v=0.2), monotone=True)


def test_degenerate_data() -> None:
    with pytest.raises(ScoringError, match="at least 2"):
        vikor([[1.0, 2.0]], [0.5, 0.5])
    # a constant criterion: regret 0, warned
    with pytest.warns(DegenerateDataWarning, match="does not vary"):
        q = vikor([[1, 0, 3], [5, 0, 6]], [1 / 3, 1 / 3, 1 / 3])
    assert q.tolist() == [1.0, 0.0]
    # every R equal: that term of Q is 0, warned
    with pytest.warns(DegenerateDataWarning, match="same R"):
        vikor([[1, 0, 3], [0, 5, 6]], [1 / 3, 1 / 3, 1 / 3])
    with pytest.warns(DegenerateDataWarning, match="identical"):
        r = Vikor().score(CriteriaTable([[1, 2], [1, 2]], ["A", "B"], ["x", "y"], "benefit"))
    assert r.scores.tolist() == [0.0, 0.0]
    assert r.details["compromise_set"].all()


@st.composite
def problems(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    m = draw(st.integers(2, 7))
    n = draw(st.integers(1, 4))
    x = draw(arrays(np.float64, (m, n), elements=st.integers(1, 40).map(float)))
    w = np.array(draw(st.lists(st.integers(1, 10), min_size=n, max_size=n)), dtype=float)
    b = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    return x, w / w.sum(), b


@settings(max_examples=60)
@given(problems())
def test_properties(problem: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    x, w, b = problem
    t = CriteriaTable(
        x,
        [f"a{i}" for i in range(x.shape[0])],
        [f"c{j}" for j in range(x.shape[1])],
        ["benefit" if k else "cost" for k in b],
        w,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateDataWarning)  # degenerate draws are fine here
        r = Vikor().score(t)
    q, s, rr = r.details["Q"], r.details["S"], r.details["R"]
    assert ((q >= 0) & (q <= 1)).all()
    assert ((s >= -1e-12) & (s <= 1 + 1e-12)).all()
    assert (rr <= s + 1e-12).all()
    # the best by Q is always in the compromise set
    assert r.details["compromise_set"][int(np.argmin(q))]
