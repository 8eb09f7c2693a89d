"""SPOTIS: Dezert et al.'s examples, agreement with pymcdm, no rank reversal."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from pymcdm import methods as pm

from gridgov.errors import ScoringError
from gridgov.scoring import CriteriaTable, Spotis, get_scorer, spotis
from gridgov.scoring.testing import check_scorer


def test_dezert_et_al_2020_example_1() -> None:
    # Dezert, J., Tchamova, A., Han, D., Tacnet, J.-M. (2020). The SPOTIS rank reversal free
    # method for multi-criteria decision-making support. FUSION 2020, 1-8: the first
    # example (as in pymcdm TestSPOTIS).
    x = [[10.5, -3.1, 1.7], [-4.7, 0, 3.4], [8.1, 0.3, 1.3], [3.2, 7.3, -5.3]]
    bounds = [[-5, 12], [-6, 10], [-8, 5]]
    d = spotis(x, [0.2, 0.3, 0.5], [True, False, True], bounds=bounds)
    assert np.allclose(d, [0.1989, 0.3705, 0.3063, 0.7491], atol=5e-5)


def test_dezert_et_al_2020_cars_with_expected_point() -> None:
    # the same paper's car example with an expected solution point (pymcdm TestSPOTIS2)
    x = [
        [15000, 4.3, 99, 42, 737],
        [15290, 5.0, 116, 42, 892],
        [15350, 5.0, 114, 45, 952],
        [15490, 5.3, 123, 45, 1120],
    ]
    bounds = [[14000, 16000], [3, 8], [80, 140], [35, 60], [650, 1300]]
    w = [0.2941, 0.2353, 0.2353, 0.0588, 0.1765]
    b = [False, False, False, True, True]
    d = spotis(x, w, b, bounds=bounds, ideal=[15300, 4, 115, 50, 900])
    assert np.allclose(d, [0.1841, 0.0734, 0.0842, 0.1920], atol=5e-5)


def test_agrees_with_pymcdm(peer_tables: list) -> None:
    for x, w, b in peer_tables:
        bounds = np.column_stack((x.min(axis=0) - 1, x.max(axis=0) + 1))
        expected = pm.SPOTIS(bounds)(x, w, np.where(b, 1, -1), validation=False)
        assert np.allclose(spotis(x, w, b, bounds=bounds), expected, rtol=1e-10)
        assert np.allclose(
            spotis(x, w, b),
            pm.SPOTIS(pm.SPOTIS.make_bounds(x))(x, w, np.where(b, 1, -1), validation=False),
            rtol=1e-10,
        )


@settings(max_examples=60)
@given(
    arrays(np.float64, (6, 3), elements=st.integers(0, 100).map(float)),
    st.lists(st.booleans(), min_size=3, max_size=3),
    st.integers(1, 5),
)
def test_no_rank_reversal_with_stated_bounds(x: np.ndarray, b: list[bool], k: int) -> None:
    # with fixed bounds a score depends on its own row only: removing alternatives (or
    # adding any) changes neither the others' scores nor their order
    bounds = [[0, 100]] * 3
    w = [0.5, 0.3, 0.2]
    full = spotis(x, w, b, bounds=bounds)
    kept = np.r_[0:k, k + 1 : 6]
    part = spotis(x[kept], w, b, bounds=bounds)
    assert np.array_equal(part, full[kept])


def test_params_and_conformance() -> None:
    t = CriteriaTable([[2, 8], [6, 4]], ["A", "B"], ["x", "y"], ["benefit", "cost"])
    r = get_scorer("spotis", bounds=[[0, 10], [0, 10]]).score(t)
    assert r.params == {"bounds": ((0.0, 10.0), (0.0, 10.0)), "ideal": None}
    assert r.higher_is_better is False
    assert np.allclose(r.contributions.sum(axis=1), r.scores)
    check_scorer(Spotis(), monotone=True)
    check_scorer(Spotis(bounds=[[0, 20]] * 4), monotone=True)


def test_errors() -> None:
    with pytest.raises(ScoringError, match="outside the bounds"):
        spotis([[2.0], [12.0]], [1.0], bounds=[[0, 10]])
    with pytest.raises(ScoringError, match="minimum must be below"):
        Spotis(bounds=[[5, 5]])
    with pytest.raises(ScoringError, match="pass bounds="):
        spotis([[1.0, 2.0], [1.0, 3.0]], [0.5, 0.5])
