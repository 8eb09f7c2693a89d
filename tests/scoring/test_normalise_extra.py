"""The added normalisations: formulas, agreement with pymcdm, use by the scorers."""

from __future__ import annotations

import numpy as np
import pytest
from pymcdm import normalizations as pn

from gridgov.errors import ScoringError
from gridgov.scoring import (
    NORMALISATIONS,
    CriteriaTable,
    Topsis,
    WeightedProduct,
    get_scorer,
    identity_normalise,
    log_normalise,
    normalise,
    weighted_product,
    zavadskas_turskis_normalise,
    zscore_normalise,
)
from gridgov.scoring.testing import check_scorer

X = np.array([[2.0, 8.0, 1.5], [4.0, 4.0, 3.0], [8.0, 2.0, 6.0], [5.0, 5.0, 2.5]])
B = np.array([True, False, True])


def _columnwise(function: object, x: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.column_stack(
        [function(x[:, j], cost=not b[j]) for j in range(x.shape[1])]  # type: ignore[operator]
    )


def test_log_zavadskas_turskis_2008_agrees_with_pymcdm(peer_tables: list) -> None:
    # Zavadskas & Turskis (2008), Informatica 19(2), 303-314, eqs. (9)-(10): benefit columns
    # sum to 1 and so do cost columns
    r = log_normalise(X, B)
    assert np.allclose(r.sum(axis=0), 1.0)
    assert np.allclose(r[:, 0], np.log(X[:, 0]) / np.log(X[:, 0].prod()))
    for x, _, b in peer_tables:
        assert np.allclose(log_normalise(x, b), _columnwise(pn.logarithmic_normalization, x, b))


def test_zavadskas_turskis_agrees_with_pymcdm(peer_tables: list) -> None:
    assert zavadskas_turskis_normalise(X, B)[2].tolist()[0] == 1.0  # best benefit
    assert zavadskas_turskis_normalise(X, B)[2].tolist()[1] == 1.0  # best cost
    for x, _, b in peer_tables:
        expected = _columnwise(pn.zavadskas_turskis_normalization, x, b)
        assert np.allclose(zavadskas_turskis_normalise(x, b), expected)


def test_zscore_and_identity() -> None:
    z = zscore_normalise(X, B)
    assert np.allclose(z.mean(axis=0), 0.0)
    assert np.allclose(z.std(axis=0), 1.0)
    assert np.allclose(z[:, 1], -(X[:, 1] - X[:, 1].mean()) / X[:, 1].std())
    assert zscore_normalise([[1.0, 2.0], [1.0, 4.0]]).tolist() == [[0.0, -1.0], [0.0, 1.0]]
    assert np.array_equal(identity_normalise(X, B), np.where(B, X, -X))


def test_registered_and_usable_by_name() -> None:
    for name in ("none", "log", "zscore", "zavadskas_turskis"):
        assert np.allclose(NORMALISATIONS[name](X, B), normalise(X, B, name))
        r = get_scorer("topsis", normalisation=name).score(
            CriteriaTable(X, list("ABCD"), ["x", "y", "z"], ["benefit", "cost", "benefit"])
        )
        assert r.params == {"normalisation": name}
        check_scorer(Topsis(normalisation=name), monotone=True)


def test_errors() -> None:
    with pytest.raises(ScoringError, match="the logarithm needs x > 0"):
        log_normalise([[0.0], [2.0]])
    with pytest.raises(ScoringError, match="product <= 1"):
        log_normalise([[0.5], [1.5]])
    with pytest.raises(ScoringError, match="best value"):
        zavadskas_turskis_normalise([[0.0], [-1.0]])
    # a product of negative values is meaningless: WPM refuses them
    with pytest.raises(ScoringError, match="needs values >= 0"):
        weighted_product(X, [0.4, 0.3, 0.3], B, normalisation="zscore")
    with pytest.raises(ScoringError, match="needs values >= 0"):
        get_scorer("waspas", normalisation="none").score(
            CriteriaTable(X, list("ABCD"), ["x", "y", "z"], ["benefit", "cost", "benefit"])
        )
    check_scorer(WeightedProduct(normalisation="log"), monotone=True)
