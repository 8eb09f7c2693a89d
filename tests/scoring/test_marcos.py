"""MARCOS: Ulutaş et al.'s stacker-selection example, agreement with pymcdm."""

from __future__ import annotations

import numpy as np
import pytest
from pymcdm import methods as pm

from gridgov.errors import ScoringError
from gridgov.scoring import CriteriaTable, Marcos, get_scorer, marcos
from gridgov.scoring.testing import check_scorer


def test_ulutas_et_al_2020_stackers() -> None:
    # Ulutaş, A., Karabasevic, D., Popovic, G., Stanujkic, D., Nguyen, P. T., Karaköy, Ç.
    # (2020). Development of a novel integrated CCSD-ITARA-MARCOS decision-making approach
    # for stackers selection in a logistics system. Mathematics 8(10), 1672 (as in pymcdm
    # TestMARCOS). The weights sum to 1.0001.
    x = [
        [660, 1000, 1600, 18, 1200],
        [800, 1000, 1600, 24, 900],
        [980, 1000, 2500, 24, 900],
        [920, 1500, 1600, 24, 900],
        [1380, 1500, 1500, 24, 1150],
        [1230, 1000, 1600, 24, 1150],
        [680, 1500, 1600, 18, 1100],
        [960, 2000, 1600, 12, 1150],
    ]
    w = [0.1061, 0.3476, 0.3330, 0.1185, 0.0949]
    with pytest.warns(UserWarning, match="divided by their sum"):
        f = marcos(x, w, [False, True, True, True, True])
    published = [0.5649, 0.5543, 0.6410, 0.6174, 0.6016, 0.5453, 0.6282, 0.6543]
    assert np.allclose(f, published, atol=1e-4)


def test_agrees_with_pymcdm(peer_tables: list) -> None:
    for x, w, b in peer_tables:
        expected = pm.MARCOS()(x, w, np.where(b, 1, -1), validation=False)
        assert np.allclose(marcos(x, w, b), expected, rtol=1e-10)


def test_details_and_conformance() -> None:
    r = get_scorer("marcos").score(
        CriteriaTable([[1, 3], [3, 1], [2, 2]], ["A", "B", "C"], ["x", "y"], ["benefit", "cost"])
    )
    assert r.details["ideal"].tolist() == [3.0, 1.0]
    assert r.details["anti_ideal"].tolist() == [1.0, 3.0]
    check_scorer(Marcos(), monotone=True)
    with pytest.raises(ScoringError, match="zero or negative"):
        marcos([[0.0, 1.0], [1.0, 2.0]], [0.5, 0.5])
