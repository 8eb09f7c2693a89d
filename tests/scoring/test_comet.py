"""COMET: Paradowski et al.'s published example, agreement with pymcdm, no rank reversal."""

from __future__ import annotations

import numpy as np
import pytest
from pymcdm import methods as pm
from pymcdm.methods.comet_tools import MethodExpert

from gridgov.errors import ScoringError
from gridgov.scoring import Comet, CriteriaTable, comet, get_scorer
from gridgov.scoring.testing import check_scorer


def test_paradowski_baczkiewicz_watrobski_2021() -> None:
    # Paradowski, B., Bączkiewicz, A., Wątróbski, J. (2021). Towards proper consumer choices
    # - MCDM based product selection. Procedia Computer Science 192, 1347-1358: COMET with
    # the columns' minima and maxima as characteristic values and TOPSIS (min-max
    # normalisation, equal weights) as the expert; values as in pymcdm TestCOMET.
    x = [
        [64, 128, 2.9, 4.3, 3.2, 280, 495, 24763, 3990],
        [28, 56, 3.1, 3.8, 3.8, 255, 417, 12975, 2999],
        [8, 16, 3.5, 5.3, 4.8, 125, 636, 5725, 539],
        [12, 24, 3.7, 4.8, 4.5, 105, 637, 8468, 549],
        [10, 20, 3.7, 5.3, 4.9, 125, 539, 6399, 499],
        [8, 16, 3.6, 4.4, 4.0, 65, 501, 4834, 329],
        [6, 12, 3.7, 4.6, 4.2, 65, 604, 4562, 299],
        [16, 32, 3.4, 4.9, 4.2, 105, 647, 10428, 799],
        [8, 16, 3.6, 5.0, 4.5, 125, 609, 5615, 399],
        [18, 36, 3.0, 4.8, 4.3, 165, 480, 8848, 979],
        [24, 48, 3.8, 4.5, 4.0, 280, 509, 13552, 1399],
        [28, 56, 2.5, 3.8, 2.8, 205, 376, 8585, 10000],
    ]
    b = [True, True, True, True, True, False, True, True, False]
    p = comet(x, [1 / 9] * 9, b, expert_params={"normalisation": "minmax"})
    published = [0.5433, 0.3447, 0.6115, 0.6168, 0.6060, 0.4842]
    published += [0.5516, 0.6100, 0.5719, 0.4711, 0.4979, 0.1452]
    assert np.allclose(p, published, atol=5e-5)


def test_agrees_with_pymcdm(peer_tables: list) -> None:
    for x, w, b in peer_tables[:8]:
        types = np.where(b, 1, -1)
        cvalues = np.column_stack(
            (x.min(axis=0), (x.min(axis=0) + x.max(axis=0)) / 2, x.max(axis=0))
        )
        theirs = pm.COMET(cvalues, MethodExpert(pm.TOPSIS(), w, types))(x)
        ours = comet(x, w, b, cvalues=cvalues, expert_params={"normalisation": "minmax"})
        assert np.allclose(ours, theirs, atol=1e-10)


def test_no_rank_reversal_with_fixed_characteristic_values() -> None:
    rng = np.random.default_rng(5)
    x = rng.uniform(0, 10, size=(9, 3))
    cv = [[0, 5, 10]] * 3
    full = comet(x, [0.5, 0.3, 0.2], cvalues=cv)
    assert np.array_equal(comet(x[:5], [0.5, 0.3, 0.2], cvalues=cv), full[:5])


def test_interpolates_the_characteristic_objects() -> None:
    # an alternative on a characteristic object gets exactly its preference
    t = CriteriaTable(
        [[0, 0], [1, 1], [0, 1], [1, 0]], list("ABCD"), ["x", "y"], "benefit", [0.7, 0.3]
    )
    r = Comet(expert="weighted_sum").score(t)
    cos = r.details["characteristic_objects"].tolist()
    prefs = r.details["co_preferences"][0]
    for row, score in zip(t.values.tolist(), r.scores, strict=True):
        assert score == pytest.approx(prefs[cos.index(row)])
    assert r.scores.tolist() == [0.0, 1.0, 1 / 3, 2 / 3]


def test_params_and_conformance() -> None:
    s = get_scorer("comet", expert="vikor", expert_params={"v": 0.5})
    assert s.params == {"cvalues": None, "expert": "vikor", "expert_params": {"v": 0.5}}
    check_scorer(Comet(), monotone=True)
    check_scorer(Comet(cvalues=[[0, 10, 20]] * 4, expert="weighted_sum"), monotone=True)


def test_errors() -> None:
    with pytest.raises(ScoringError, match="outside the characteristic values"):
        comet([[1.0], [12.0]], [1.0], cvalues=[[0, 10]])
    with pytest.raises(ScoringError, match="strictly increasing"):
        Comet(cvalues=[[1, 1]])
    with pytest.raises(ScoringError, match="pass cvalues="):
        comet([[1.0, 2.0], [1.0, 3.0]], [0.5, 0.5])
