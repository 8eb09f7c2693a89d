"""MOORA: Karabasevic et al.'s and Siregar et al.'s examples, agreement with pymcdm."""

from __future__ import annotations

import numpy as np
import pytest
from pymcdm import methods as pm

from gridgov.errors import ScoringError
from gridgov.scoring import CriteriaTable, Moora, get_scorer, moora
from gridgov.scoring.testing import check_scorer


def test_siregar_et_al_2021() -> None:
    # Siregar, V. M. M., Tampubolon, M. R., Parapat, E. P. S., Malau, E. I., Hutagalung,
    # D. S. (2021). Decision support system for selection technique using MOORA method.
    # IOP Conf. Series: Materials Science and Engineering 1088, 012022 (as in pymcdm
    # TestMOORA).
    x = [
        [1.5, 3, 5, 3.3],
        [2, 7, 5, 3.35],
        [3, 1, 5, 3.07],
        [2.2, 4, 5, 3.5],
        [2, 5, 3, 3.09],
        [3.2, 2, 3, 3.48],
        [2.775, 3, 5, 3.27],
    ]
    y = moora(x, [0.3, 0.2, 0.1, 0.4], [False, True, True, True])
    assert np.allclose(y, [0.1801, 0.2345, 0.0625, 0.1757, 0.1683, 0.0742, 0.1197], atol=5e-5)


def test_karabasevic_et_al_2015() -> None:
    # Karabasevic, D., Stanujkic, D., Urosevic, S., Maksimovic, M. (2015). Selection of
    # candidates in the mining industry based on the application of the SWARA and the
    # MULTIMOORA methods. Acta Montanistica Slovaca 20(2); ratio system 0.494, 0.527, 0.677
    # (as in pyrepo-mcda tests/test_mcda_methods_1.py). The weights sum to 0.999 and are
    # rescaled here, so the published values are compared after undoing that.
    x = [[4, 3, 3, 4, 3, 2, 4], [3, 3, 4, 3, 5, 4, 4], [5, 4, 4, 5, 5, 5, 4]]
    w = [0.215, 0.215, 0.159, 0.133, 0.102, 0.102, 0.073]
    with pytest.warns(UserWarning, match="divided by their sum"):
        y = moora(x, w)
    assert np.allclose(y * sum(w), [0.494, 0.527, 0.677], atol=5e-4)


def test_agrees_with_pymcdm(peer_tables: list) -> None:
    for x, w, b in peer_tables:
        expected = pm.MOORA()(x, w, np.where(b, 1, -1), validation=False)
        assert np.allclose(moora(x, w, b), expected, rtol=1e-10, atol=1e-14)


def test_contributions_and_conformance() -> None:
    r = get_scorer("moora").score(
        CriteriaTable([[3, 4], [4, 3]], ["A", "B"], ["x", "y"], ["benefit", "cost"])
    )
    assert np.allclose(r.contributions.sum(axis=1), r.scores)
    check_scorer(Moora(), monotone=True)
    with pytest.raises(ScoringError, match="all zeros"):
        moora([[0.0, 1.0], [0.0, 2.0]], [0.5, 0.5])
