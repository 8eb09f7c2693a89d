"""ARAS: Zavadskas & Turskis's example and Stanujkic et al.'s, agreement with pymcdm."""

from __future__ import annotations

import numpy as np
import pytest
from pymcdm import methods as pm

from gridgov.errors import ScoringError
from gridgov.scoring import Aras, CriteriaTable, aras, get_scorer
from gridgov.scoring.testing import check_scorer


def test_stanujkic_djordjevic_karabasevic_2015() -> None:
    # Stanujkic, D., Djordjevic, B., Karabasevic, D. (2015). Selection of candidates in the
    # process of recruitment and selection of personnel based on the SWARA and ARAS methods.
    # Quaestus 7, 53; published K = 0.74, 0.86, 0.78, 0.86 (as in pymcdm TestARAS).
    x = [
        [4.64, 3.00, 3.00, 3.00, 2.88, 3.63],
        [4.00, 4.00, 4.64, 3.56, 3.63, 5.00],
        [3.30, 4.31, 3.30, 4.00, 3.30, 4.00],
        [2.62, 5.00, 4.22, 4.31, 5.00, 5.00],
    ]
    # the weights sum to 0.99; rescaling them cancels in K = S_i / S_0
    with pytest.warns(UserWarning, match="divided by their sum"):
        k = aras(x, [0.28, 0.25, 0.19, 0.15, 0.08, 0.04])
    assert np.allclose(k, [0.74, 0.86, 0.78, 0.86], atol=5e-3)


def test_zavadskas_turskis_2010_with_optimal_values() -> None:
    # Zavadskas, E. K., Turskis, Z. (2010). A new additive ratio assessment (ARAS) method in
    # multicriteria decision-making. Technological and Economic Development of Economy 16(2),
    # 159-172: the microclimate example with the stated optimal values x0. pymcdm's TestARAS
    # reproduces the paper to about 1e-2 ("numerical errors"); its 4-d.p. values are used.
    x = [
        [7.6, 46, 18, 390, 0.1, 11],
        [5.5, 32, 21, 360, 0.05, 11],
        [5.3, 32, 21, 290, 0.05, 11],
        [5.7, 37, 19, 270, 0.05, 9],
        [4.2, 38, 19, 240, 0.1, 8],
        [4.4, 38, 19, 260, 0.1, 8],
        [3.9, 42, 16, 270, 0.1, 5],
        [7.9, 44, 20, 400, 0.05, 6],
        [8.1, 44, 20, 380, 0.05, 6],
        [4.5, 46, 18, 320, 0.1, 7],
        [5.7, 48, 20, 320, 0.05, 11],
        [5.2, 48, 20, 310, 0.05, 11],
        [7.1, 49, 19, 280, 0.1, 12],
        [6.9, 50, 16, 250, 0.05, 10],
    ]
    w = [0.21, 0.16, 0.26, 0.17, 0.12, 0.08]
    b = [True, True, True, True, False, False]
    k = aras(x, w, b, optimal=[15, 50, 24.5, 400, 0.05, 5])
    published = [0.6706, 0.6564, 0.6269, 0.6315, 0.5464, 0.5580, 0.5658]
    published += [0.7762, 0.7734, 0.6003, 0.6772, 0.6628, 0.6334, 0.6511]
    assert np.allclose(k, published, atol=5e-5)


def test_agrees_with_pymcdm(peer_tables: list) -> None:
    for x, w, b in peer_tables:
        expected = pm.ARAS()(x, w, np.where(b, 1, -1), validation=False)
        assert np.allclose(aras(x, w, b), expected, rtol=1e-10)


def test_params_details_and_conformance() -> None:
    t = CriteriaTable([[1, 2], [2, 1]], ["A", "B"], ["x", "y"], ["benefit", "cost"])
    r = get_scorer("aras", optimal=[3, 1]).score(t)
    assert r.params == {"optimal": (3.0, 1.0)}
    assert np.allclose(r.scores, r.details["S"] / r.details["S0"])
    check_scorer(Aras(), monotone=True)
    with pytest.raises(ScoringError, match="optimal has 1 values"):
        Aras(optimal=[1.0]).score(t)
