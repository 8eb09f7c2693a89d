"""COPRAS: Zavadskas et al.'s road-design example, agreement with pyrepo-mcda."""

from __future__ import annotations

import numpy as np
import pytest
from pyrepo_mcda import mcda_methods as repo

from gridgov.errors import ScoringError
from gridgov.scoring import Copras, CriteriaTable, copras, get_scorer
from gridgov.scoring.testing import check_scorer


def test_uysal_inan_2022_research_assistants() -> None:
    # Uysal, Ö., İnan, T. (2022). Performance evaluation of research assistants by COPRAS
    # method. International Journal of Social Science and Economic Research; equal weights,
    # the fifth criterion (lesson completion duration) a cost. Published utility degrees
    # (%): 100, 78.8501, 63.3837, 98.6506, 86.8878 (as in scikit-criteria
    # tests/agg/test_copras.py). pymcdm's TestCOPRAS (Zavadskas et al. 2007, roads) is not
    # used: its published numbers equal S+ + S-, i.e. the costs treated as benefits.
    x = [
        [3.57, 4.00, 4.00, 83.75, 3, 9, 1],
        [3.07, 3.95, 4.00, 83.00, 3, 1, 3],
        [3.23, 3.54, 3.46, 66.00, 4, 0, 2],
        [3.42, 3.96, 4.00, 70.00, 5, 5, 7],
        [2.56, 3.37, 3.79, 82.00, 4, 4, 5],
    ]
    b = [True, True, True, True, False, True, True]
    n = copras(x, [1 / 7] * 7, b)
    assert np.allclose(n * 100, [100.0, 78.8501, 63.3837, 98.6506, 86.8878], atol=1e-3)


def test_agrees_with_pyrepo_mcda(peer_tables: list) -> None:
    for x, w, b in peer_tables:
        expected = repo.COPRAS()(x, w, np.where(b, 1, -1))
        assert np.allclose(copras(x, w, b), expected, rtol=1e-10)


def test_params_details_and_conformance() -> None:
    r = get_scorer("copras").score(
        CriteriaTable([[4, 2], [2, 1], [3, 3]], ["A", "B", "C"], ["x", "y"], ["benefit", "cost"])
    )
    assert r.params == {}
    assert np.allclose(r.scores, r.details["Q"] / r.details["Q"].max())
    assert np.allclose(r.details["S_plus"] + r.details["S_minus"], r.contributions.sum(axis=1))
    check_scorer(Copras(), monotone=True)
    # benefits only: Q is S+, a weighted sum of proportions
    assert np.allclose(copras([[1, 3], [3, 1]], [0.5, 0.5]), [1.0, 1.0])


def test_degenerate_data() -> None:
    with pytest.raises(ScoringError, match="non-negative"):
        copras([[1.0, -1.0], [2.0, 1.0]], [0.5, 0.5])
    with pytest.raises(ScoringError, match="cost sum"):
        copras([[1.0, 0.0], [2.0, 1.0]], [0.5, 0.5], [True, False])
