"""TODIM: a hand-worked example of Gomes & Lima's definition, a loop reference, properties."""

from __future__ import annotations

import importlib
import math

import numpy as np
import pytest

from gridgov.errors import ScoringError
from gridgov.scoring import CriteriaTable, DegenerateDataWarning, Todim, get_scorer, todim
from gridgov.scoring.testing import check_scorer


def test_hand_worked_single_criterion() -> None:
    # Gomes & Lima (1992), eqs. (1)-(3), worked by hand for x = 1, 2, 3 (one benefit
    # criterion, so w_rc = 1 and W = 1), theta = 2. Sum normalisation gives r = 1/6, 2/6,
    # 3/6; delta_1 = -(sqrt(1/6) + sqrt(2/6)) / 2, delta_2 = sqrt(1/6) - sqrt(1/6) / 2,
    # delta_3 = sqrt(2/6) + sqrt(1/6).
    a, b = math.sqrt(1 / 6), math.sqrt(2 / 6)
    delta = np.array([-(a + b) / 2, a / 2, a + b])
    expected = (delta - delta.min()) / (delta.max() - delta.min())
    r = Todim(theta=2.0).score(CriteriaTable([[1], [2], [3]], ["A", "B", "C"], ["x"], "benefit"))
    assert np.allclose(r.details["dominance"], delta)
    assert np.allclose(r.scores, expected)
    assert r.scores[1] == pytest.approx(0.4714, abs=5e-5)


def _reference(x: np.ndarray, w: np.ndarray, b: np.ndarray, theta: float) -> np.ndarray:
    # the paper's formulas, pair by pair and criterion by criterion
    r = np.where(b, x / x.sum(axis=0), (1 / x) / (1 / x).sum(axis=0))
    wr = w / w.max()
    total = wr.sum()
    m, n = x.shape
    delta = np.zeros(m)
    for i in range(m):
        for k in range(m):
            for c in range(n):
                d = r[i, c] - r[k, c]
                if d > 0:
                    delta[i] += math.sqrt(wr[c] * d / total)
                elif d < 0:
                    delta[i] -= math.sqrt(total * -d / wr[c]) / theta
    return (delta - delta.min()) / (delta.max() - delta.min())


def test_agrees_with_the_definition(peer_tables: list) -> None:
    for x, w, b in peer_tables:
        for theta in (1.0, 2.5):
            assert np.allclose(todim(x, w, b, theta=theta), _reference(x, w, b, theta))


def test_blocks_give_the_same_answer() -> None:
    module = importlib.import_module("gridgov.scoring.methods.todim")

    x = np.random.default_rng(1).uniform(1, 9, size=(300, 4))
    whole = todim(x, [0.4, 0.3, 0.2, 0.1])
    saved = module._BLOCK_ELEMENTS
    try:
        module._BLOCK_ELEMENTS = 4 * 300 * 7  # 7 rows per block
        assert np.allclose(todim(x, [0.4, 0.3, 0.2, 0.1]), whole)
    finally:
        module._BLOCK_ELEMENTS = saved


def test_params_and_conformance() -> None:
    assert get_scorer("todim", theta=2).params == {"normalisation": "sum", "theta": 2.0}
    check_scorer(Todim(), monotone=True)
    check_scorer(Todim(theta=0.5, normalisation="minmax"))
    with pytest.raises(ScoringError, match="theta"):
        Todim(theta=0)
    with pytest.warns(DegenerateDataWarning, match="identical"):
        assert todim([[1.0, 2.0], [1.0, 2.0]], [0.5, 0.5]).tolist() == [1.0, 1.0]
