"""Direction-aware normalisations and their degenerate inputs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from gridgov.errors import ScoringError
from gridgov.scoring import (
    NORMALISATIONS,
    DegenerateDataWarning,
    max_normalise,
    minmax_normalise,
    normalise,
    sum_normalise,
    vector_normalise,
)

X = np.array([[1.0, 4.0], [2.0, 2.0], [3.0, 1.0]])
B = [True, False]


def test_minmax() -> None:
    # benefit: (x - min) / (max - min); cost: (max - x) / (max - min)
    assert minmax_normalise(X, B).tolist() == [[0.0, 0.0], [0.5, 2 / 3], [1.0, 1.0]]


def test_vector() -> None:
    n0, n1 = np.sqrt(14.0), np.sqrt(21.0)
    expected = np.column_stack([X[:, 0] / n0, 1 - X[:, 1] / n1])
    assert np.allclose(vector_normalise(X, B), expected)


def test_sum() -> None:
    inv = 1 / X[:, 1]
    expected = np.column_stack([X[:, 0] / 6.0, inv / inv.sum()])
    r = sum_normalise(X, B)
    assert np.allclose(r, expected)
    assert np.allclose(r.sum(axis=0), 1.0)


def test_max() -> None:
    expected = np.column_stack([X[:, 0] / 3.0, 1.0 / X[:, 1]])
    assert np.allclose(max_normalise(X, B), expected)


def test_registry_of_names() -> None:
    assert sorted(NORMALISATIONS) == [
        "log",
        "max",
        "minmax",
        "none",
        "sum",
        "vector",
        "zavadskas_turskis",
        "zscore",
    ]
    for name, function in NORMALISATIONS.items():
        assert np.allclose(function(X, B), normalise(X, B, name))
    with pytest.raises(TypeError):
        NORMALISATIONS["x"] = minmax_normalise  # type: ignore[index]


def test_default_is_all_benefit() -> None:
    assert np.allclose(minmax_normalise(X), normalise(X, [True, True]))


def test_unknown_method() -> None:
    with pytest.raises(
        ScoringError,
        match="available: log, max, minmax, none, sum, vector, zavadskas_turskis, zscore",
    ):
        normalise(X, B, "softmax")


def test_constant_column_warns_under_minmax() -> None:
    x = np.array([[1.0, 5.0], [2.0, 5.0]])
    with pytest.warns(DegenerateDataWarning, match="'b' has the same value"):
        r = minmax_normalise(x, criteria=["a", "b"])
    assert r[:, 1].tolist() == [1.0, 1.0]
    # ratio normalisations handle a constant column without a warning
    assert np.allclose(max_normalise(x)[:, 1], 1.0)


def test_vector_all_zero_column() -> None:
    with pytest.raises(ScoringError, match="'c' is all zeros"):
        vector_normalise([[0.0, 1.0], [0.0, 2.0]], criteria=["c", "d"])


@pytest.mark.parametrize("method", ["sum", "max"])
def test_ratio_normalisations_need_positive_values(method: str) -> None:
    with pytest.raises(ScoringError, match="negative values"):
        normalise([[-1.0], [2.0]], [True], method)
    with pytest.raises(ScoringError, match="all zeros"):
        normalise([[0.0], [0.0]], [True], method)
    with pytest.raises(ScoringError, match="zero or negative"):
        normalise([[0.0], [2.0]], [False], method)
    with pytest.raises(ScoringError, match="zero or negative"):
        normalise([[-3.0], [2.0]], [False], method)
    # a zero benefit value is fine
    assert normalise([[0.0], [2.0]], [True], method)[0, 0] == 0.0


def test_bad_inputs() -> None:
    with pytest.raises(ScoringError, match="2-D"):
        normalise([1.0, 2.0])
    with pytest.raises(ScoringError, match="not finite"):
        normalise([[1.0], [np.nan]])
    with pytest.raises(ScoringError, match="is_benefit"):
        normalise(X, [True])


values = arrays(
    np.float64, st.tuples(st.integers(2, 8), st.integers(1, 4)), elements=st.floats(0.5, 1000.0)
)


@given(values, st.data())
def test_properties(x: np.ndarray, data: st.DataObject) -> None:
    b = np.array(data.draw(st.lists(st.booleans(), min_size=x.shape[1], max_size=x.shape[1])))
    for name in ("vector", "sum", "max"):
        r = normalise(x, b, name)
        assert r.shape == x.shape
        assert np.isfinite(r).all()
        assert (r >= -1e-12).all()
        assert (r <= 1 + 1e-12).all()
        # direction-aware: a larger benefit value never gets a smaller normalised value,
        # a larger cost value never gets a larger one
        for j in range(x.shape[1]):
            order = np.argsort(x[:, j], kind="stable")
            steps = np.diff(r[order, j])
            assert (steps >= -1e-12).all() if b[j] else (steps <= 1e-12).all()
