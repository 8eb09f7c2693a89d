"""CODAS: Badi et al.'s supplier example, agreement with pymcdm, the O(m log m) sums."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pymcdm import methods as pm

from gridgov.errors import ScoringError
from gridgov.scoring import Codas, CriteriaTable, codas, get_scorer
from gridgov.scoring.methods.codas import _assessment
from gridgov.scoring.testing import check_scorer


def test_badi_shetwan_abdulshahed_2017_suppliers() -> None:
    # Badi, I., Shetwan, A. G., Abdulshahed, A. M. (2017). Supplier selection using
    # COmbinative Distance-based ASsessment (CODAS) method for multi-criteria decision-making.
    # Proceedings of ICMNEE, 395-407 (tau = 0.02); values as in pymcdm TestCODAS.
    x = [
        [45, 3600, 45, 0.9],
        [25, 3800, 60, 0.8],
        [23, 3100, 35, 0.9],
        [14, 3400, 50, 0.7],
        [15, 3300, 40, 0.8],
        [28, 3000, 30, 0.6],
    ]
    w = [0.2857, 0.3036, 0.2321, 0.1786]  # sums to 1.0000
    h = codas(x, w, [True, False, True, True])
    assert np.allclose(h, [1.3914, 0.3411, -0.2170, -0.5381, -0.7292, -0.2481], atol=5e-5)


def test_agrees_with_pymcdm(peer_tables: list) -> None:
    for x, w, b in peer_tables:
        expected = pm.CODAS()(x, w, np.where(b, 1, -1), validation=False)
        assert np.allclose(codas(x, w, b), expected, rtol=1e-10, atol=1e-12)


@settings(max_examples=60)
@given(
    st.lists(st.integers(0, 16).map(lambda k: k / 64), min_size=2, max_size=9),
    st.data(),
    st.sampled_from([0.0, 1 / 64, 2 / 64, 4 / 64]),
)
def test_sorted_sums_equal_the_pairwise_matrix(
    e_list: list[float], data: st.DataObject, tau: float
) -> None:
    e = np.array(e_list)
    t = np.array(
        data.draw(
            st.lists(st.integers(0, 64).map(lambda k: k / 64), min_size=e.size, max_size=e.size)
        )
    )
    d = e[:, None] - e[None, :]
    # E and tau on a binary grid: the differences are exact, so psi is decided exactly
    psi = np.abs(d) >= tau
    expected = (d + psi * (t[:, None] - t[None, :])).sum(axis=1)
    assert np.allclose(_assessment(e, t, tau), expected)


def test_params_and_conformance() -> None:
    r = get_scorer("codas", tau=0.05).score(
        CriteriaTable([[1, 3], [3, 1], [2, 2]], ["A", "B", "C"], ["x", "y"], "benefit")
    )
    assert r.params == {"normalisation": "max", "tau": 0.05}
    assert r.scores.sum() == pytest.approx(0.0, abs=1e-12)
    check_scorer(Codas())
    with pytest.raises(ScoringError, match="tau"):
        Codas(tau=-1)
