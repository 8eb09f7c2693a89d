"""WASPAS: Chakraborty et al.'s published example, agreement with pymcdm, parameters."""

from __future__ import annotations

import numpy as np
import pytest
from pymcdm import methods as pm

from gridgov.errors import ScoringError
from gridgov.scoring import CriteriaTable, Waspas, get_scorer, waspas
from gridgov.scoring.testing import check_scorer


def test_chakraborty_zavadskas_antucheviciene_2015() -> None:
    # Chakraborty, S., Zavadskas, E. K., Antucheviciene, J. (2015). Applications of WASPAS
    # method as a multi-criteria decision-making tool. Economic Computation and Economic
    # Cybernetics Studies and Research 49(1), 5-22 (lambda = 0.5); values as in pymcdm
    # test/test_mcdm.py TestWASPAS.
    x = [
        [30, 23, 5, 0.745, 0.745, 1500, 5000],
        [18, 13, 15, 0.745, 0.745, 1300, 6000],
        [15, 12, 10, 0.500, 0.500, 950, 7000],
        [25, 20, 13, 0.745, 0.745, 1200, 4000],
        [14, 18, 14, 0.255, 0.745, 950, 3500],
        [17, 15, 9, 0.745, 0.500, 1250, 5250],
        [23, 18, 20, 0.500, 0.745, 1100, 3000],
        [16, 8, 14, 0.255, 0.500, 1500, 3000],
    ]
    w = [0.1181, 0.1181, 0.0445, 0.1181, 0.2861, 0.2861, 0.0445]
    b = [True, True, True, True, True, False, False]
    total = sum(w)  # 1.1336: the paper applies the weights as printed
    with pytest.warns(UserWarning, match="divided by their sum"):
        wsm = waspas(x, w, b, lam=1.0)  # our weights are rescaled to sum 1
    with pytest.warns(UserWarning, match="divided by their sum"):
        wpm = waspas(x, w, b, lam=0.0)
    published = [0.8329, 0.7884, 0.6987, 0.8831, 0.7971, 0.7036, 0.8728, 0.5749]
    # undo the rescaling: the sum part scales by `total`, the product part is a power
    assert np.allclose(0.5 * wsm * total + 0.5 * wpm**total, published, atol=5e-5)


def test_agrees_with_pymcdm(peer_tables: list) -> None:
    for x, w, b in peer_tables:
        for lam in (0.0, 0.3, 0.5, 1.0):
            expected = pm.WASPAS(l=lam)(x, w, np.where(b, 1, -1), validation=False)
            assert np.allclose(waspas(x, w, b, lam=lam), expected, rtol=1e-10)


def test_params_details_and_conformance() -> None:
    t = CriteriaTable([[1, 2], [2, 1]], ["A", "B"], ["x", "y"], ["benefit", "cost"])
    r = get_scorer("waspas", lam=0.25).score(t)
    assert r.params == {"lam": 0.25, "normalisation": "max"}
    assert np.allclose(r.scores, 0.25 * r.details["wsm"] + 0.75 * r.details["wpm"])
    check_scorer(Waspas(), monotone=True)
    check_scorer(Waspas(lam=0.0, normalisation="sum"), monotone=True)
    with pytest.raises(ScoringError, match="lam"):
        Waspas(lam=1.5)
