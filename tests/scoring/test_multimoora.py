"""MULTIMOORA: Karabasevic et al.'s published parts and ranking, agreement with pyrepo-mcda."""

from __future__ import annotations

import numpy as np
import pytest
from pyrepo_mcda import mcda_methods as repo

from gridgov.errors import ScoringError
from gridgov.scoring import CriteriaTable, Multimoora, get_scorer, multimoora
from gridgov.scoring.testing import check_scorer


def test_karabasevic_et_al_2015() -> None:
    # Karabasevic, D., Stanujkic, D., Urosevic, S., Maksimovic, M. (2015). Selection of
    # candidates in the mining industry based on the application of the SWARA and the
    # MULTIMOORA methods. Acta Montanistica Slovaca 20(2). Published: ratio system 0.494,
    # 0.527, 0.677; reference point 0.046, 0.061, 0.000; multiplicative form (of w*r)
    # 3.876e-09, 9.689e-09, 4.486e-08; final ranking 3, 2, 1 (as in pyrepo-mcda
    # tests/test_mcda_methods_1.py).
    x = np.array([[4, 3, 3, 4, 3, 2, 4], [3, 3, 4, 3, 5, 4, 4], [5, 4, 4, 5, 5, 5, 4]])
    w = np.array([0.215, 0.215, 0.159, 0.133, 0.102, 0.102, 0.073])
    t = CriteriaTable(x, ["A1", "A2", "A3"], list("abcdefg"), "benefit", w / w.sum())
    r = Multimoora().score(t)
    total = w.sum()  # 0.999; the table's weights are rescaled to 1
    assert np.allclose(r.details["ratio_system"] * total, [0.494, 0.527, 0.677], atol=5e-4)
    assert np.allclose(r.details["reference_point"] * total, [0.046, 0.061, 0.0], atol=5e-4)
    # the paper multiplies w_j r_ij; ours is prod x_ij: the two differ by a constant factor
    norms = np.sqrt((x.astype(float) ** 2).sum(axis=0))
    product = np.exp(r.details["log_multiplicative"] + np.log(w).sum() - np.log(norms).sum())
    assert np.allclose(product, [3.876e-09, 9.689e-09, 4.486e-08], rtol=5e-4)
    assert r.ranking.tolist() == [3, 2, 1]


def test_agrees_with_pyrepo_mcda(peer_tables: list) -> None:
    # pyrepo-mcda ranks densely and we rank by competition: compare the pairwise order
    for x, w, b in peer_tables:
        theirs = np.asarray(repo.MULTIMOORA()(x, w, np.where(b, 1, -1)), dtype=float)
        ours = -multimoora(x, w, b)
        assert np.array_equal(
            np.sign(ours[:, None] - ours[None, :]), np.sign(theirs[:, None] - theirs[None, :])
        )


def test_conformance_and_errors() -> None:
    check_scorer(Multimoora())
    assert get_scorer("multimoora").params == {}
    s = multimoora([[3.0, 4.0], [4.0, 3.0], [1.0, 5.0]], [0.5, 0.5], [True, False])
    assert s.max() <= 3 * 2
    with pytest.raises(ScoringError, match="positive values"):
        multimoora([[0.0, 1.0], [1.0, 2.0]], [0.5, 0.5])
