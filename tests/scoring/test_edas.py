"""EDAS: Yazdani et al.'s renewable-energy example, agreement with pymcdm."""

from __future__ import annotations

import numpy as np
import pytest
from pymcdm import methods as pm

from gridgov.errors import ScoringError
from gridgov.scoring import CriteriaTable, DegenerateDataWarning, Edas, edas, get_scorer
from gridgov.scoring.testing import check_scorer


def test_yazdani_et_al_2020_renewable_energy() -> None:
    # Yazdani, M., Torkayesh, A. E., Santibanez-Gonzalez, E. D., Otaghsara, S. K. (2020).
    # Evaluation of renewable energy resources using integrated Shannon Entropy-EDAS model.
    # Sustainable Operations and Computers 1, 35-42; values as in pymcdm TestEDAS.
    x = [
        [3873, 39.55, 0.27, 0.87, 150, 0.07, 12, 2130],
        [5067, 67.26, 0.23, 0.23, 40, 0.02, 21, 2200],
        [2213, 24.69, 0.08, 0.17, 200, 0.04, 35, 570],
        [6243, 132, 0.07, 0.25, 100, 0.04, 16, 100],
        [8312, 460.47, 0.05, 0.21, 25, 0.1, 25, 200],
    ]
    w = np.array([0.131, 0.113, 0.126, 0.125, 0.126, 0.129, 0.132, 0.117])
    b = [False, False, False, True, True, False, True, True]
    with pytest.warns(UserWarning, match="divided by their sum"):  # they sum to 0.999
        s = edas(x, w, b)
    # the score is invariant to rescaling the weights (SP, SN enter as ratios to their max)
    assert np.allclose(s, [0.841, 0.632, 0.883, 0.457, 0.104], atol=5e-4)


def test_agrees_with_pymcdm(peer_tables: list) -> None:
    for x, w, b in peer_tables:
        expected = pm.EDAS()(x, w, np.where(b, 1, -1), validation=False)
        assert np.allclose(edas(x, w, b), expected, rtol=1e-10)


def test_params_details_and_conformance() -> None:
    r = get_scorer("edas").score(
        CriteriaTable([[1, 3], [3, 1], [2, 2]], ["A", "B", "C"], ["x", "y"], "benefit")
    )
    assert np.allclose(r.scores, (r.details["NSP"] + r.details["NSN"]) / 2)
    assert r.details["average"].tolist() == [2.0, 2.0]
    check_scorer(Edas(), monotone=True)


def test_degenerate_data() -> None:
    with pytest.raises(ScoringError, match="averages 0"):
        edas([[1.0, -1.0], [2.0, 1.0]], [0.5, 0.5])
    with pytest.warns(DegenerateDataWarning, match="identical"):
        assert edas([[1.0, 2.0], [1.0, 2.0]], [0.5, 0.5]).tolist() == [0.5, 0.5]
