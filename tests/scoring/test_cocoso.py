"""CoCoSo: Yazdani et al.'s published example, agreement with pymcdm."""

from __future__ import annotations

import numpy as np
import pytest
from pymcdm import methods as pm

from gridgov.errors import ScoringError
from gridgov.scoring import Cocoso, CriteriaTable, cocoso, get_scorer
from gridgov.scoring.testing import check_scorer


def test_yazdani_et_al_2019() -> None:
    # Yazdani, M., Zaraté, P., Zavadskas, E. K., Turskis, Z. (2019). A combined compromise
    # solution (CoCoSo) method for multi-criteria decision-making problems. Management
    # Decision 57(9), 2501-2519: the robot-selection example, lambda = 0.5; published
    # k = 2.041, 2.788, 2.882, 2.416, 1.299, 1.443, 2.519 (as in pymcdm TestCOCOSO).
    x = [
        [60, 0.4, 2540, 500, 990],
        [6.35, 0.15, 1016, 3000, 1041],
        [6.8, 0.1, 1727.2, 1500, 1676],
        [10, 0.2, 1000, 2000, 965],
        [2.5, 0.1, 560, 500, 915],
        [4.5, 0.08, 1016, 350, 508],
        [3, 0.1, 1778, 1000, 920],
    ]
    k = cocoso(x, [0.036, 0.192, 0.326, 0.326, 0.12], [True, False, True, True, True])
    assert np.allclose(k, [2.041, 2.788, 2.882, 2.416, 1.299, 1.443, 2.519], atol=5e-4)


def test_agrees_with_pymcdm(peer_tables: list) -> None:
    for x, w, b in peer_tables:
        for lam in (0.0, 0.5, 0.9):
            expected = pm.COCOSO(l=lam)(x, w, np.where(b, 1, -1), validation=False)
            assert np.allclose(cocoso(x, w, b, lam=lam), expected, rtol=1e-10)


def test_params_details_and_conformance() -> None:
    t = CriteriaTable([[1, 3], [3, 1], [2, 2.5]], ["A", "B", "C"], ["x", "y"], "benefit")
    r = get_scorer("cocoso", lam=0.3).score(t)
    assert r.params == {"lam": 0.3}
    assert np.allclose(r.contributions.sum(axis=1), r.details["S"])
    check_scorer(Cocoso())
    with pytest.raises(ScoringError, match="lam"):
        Cocoso(lam=-0.1)
    with pytest.raises(ScoringError, match="worst on every weighted criterion"):
        cocoso([[1.0, 1.0], [2.0, 2.0], [1.5, 3.0]], [0.5, 0.5])
