"""WPM: Triantaphyllou's worked example, agreement with pymcdm, properties."""

from __future__ import annotations

import numpy as np
import pytest
from pymcdm import methods as pm
from pymcdm import normalizations as pn

from gridgov.errors import ScoringError
from gridgov.scoring import CriteriaTable, WeightedProduct, get_scorer, weighted_product
from gridgov.scoring.testing import check_scorer


def test_triantaphyllou_2000_ratios() -> None:
    # Triantaphyllou, E. (2000). Multi-Criteria Decision Making Methods: A Comparative Study,
    # section 2.2.2 (also Triantaphyllou & Mann 1989): three alternatives, four benefit
    # criteria; published R(A1/A2) = 1.007, R(A1/A3) = 1.067, R(A2/A3) = 1.059.
    x = [[25, 20, 15, 30], [10, 30, 20, 30], [30, 10, 30, 10]]
    p = weighted_product(x, [0.20, 0.15, 0.40, 0.25])
    assert p[0] / p[1] == pytest.approx(1.007, abs=5e-4)
    assert p[0] / p[2] == pytest.approx(1.067, abs=5e-4)
    assert p[1] / p[2] == pytest.approx(1.059, abs=5e-4)
    # every normalisation that scales columns keeps Bridgman's ratios
    q = weighted_product(x, [0.20, 0.15, 0.40, 0.25], normalisation="max")
    assert q[0] / q[1] == pytest.approx(p[0] / p[1])


def test_pymcdm_self_reference() -> None:
    # pymcdm test/test_mcdm.py TestWPM ("self-reference", sum normalisation, weights that
    # do not sum to 1 applied as given): [0.065, 0.017, 0.019, 0.007, 0.052]; our weights
    # are rescaled to sum 1, so the products are theirs to the power 1 / sum(w).
    x = np.array(
        [[96, 83, 75, 7], [63, 5, 56, 9], [72, 30, 32, 48], [11, 4, 27, 9], [77, 21, 17, 11]]
    )
    w = np.array([8, 5, 6, 7]) / 13
    with pytest.warns(UserWarning, match="divided by their sum"):
        p = weighted_product(x, w, [True, True, False, False])
    assert np.allclose(p ** w.sum(), [0.065, 0.017, 0.019, 0.007, 0.052], atol=5e-4)


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [("sum", pn.sum_normalization), ("max", pn.linear_normalization)],
)
def test_agrees_with_pymcdm(peer_tables: list, ours: str, theirs: object) -> None:
    for x, w, b in peer_tables:
        expected = pm.WPM(theirs)(x, w, np.where(b, 1, -1), validation=False)
        assert np.allclose(weighted_product(x, w, b, normalisation=ours), expected, rtol=1e-10)


def test_scorer_params_and_conformance() -> None:
    r = get_scorer("weighted_product", normalisation="max").score(
        CriteriaTable([[1, 2], [2, 1]], ["A", "B"], ["x", "y"], ["benefit", "cost"])
    )
    assert r.params == {"normalisation": "max"}
    assert np.allclose(r.contributions.sum(axis=1), np.log(r.scores))
    for name in ("sum", "max", "minmax", "vector"):
        check_scorer(WeightedProduct(normalisation=name), monotone=name != "minmax")


def test_no_underflow_on_many_criteria() -> None:
    rng = np.random.default_rng(0)
    x = rng.uniform(1, 10, size=(100_000, 3))
    p = weighted_product(x, [1 / 3] * 3)
    assert (p > 0).all()
    assert np.isfinite(p).all()


def test_degenerate_data() -> None:
    with pytest.raises(ScoringError, match="at least 2"):
        weighted_product([[1.0, 2.0]], [0.5, 0.5])
    with pytest.raises(ScoringError, match="cost needs values > 0"):
        weighted_product([[1.0, 0.0], [2.0, 1.0]], [0.5, 0.5], [True, False])
