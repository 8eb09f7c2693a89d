"""Direction-aware normalisations and their degenerate inputs."""

from __future__ import annotations

import warnings

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
    rank,
    sum_normalise,
    vector_normalise,
    weighted_sum,
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


# Scale invariance near the floating-point limits (issue 8): each of these normalisations is
# invariant to multiplying a column by a positive constant, so a column x 10^k must give the
# same normalised values (to rounding) whatever k, including where the plain sum of squares
# or the plain range overflows (k = 200: (1e203)^2 = inf) or underflows (k = -200).
integer_values = arrays(
    np.float64, st.tuples(st.integers(2, 8), st.integers(1, 4)), elements=st.integers(1, 1000)
)


@given(integer_values, st.data(), st.integers(-300, 300))
def test_scaling_a_column_by_a_power_of_ten_changes_nothing(
    x: np.ndarray, data: st.DataObject, k: int
) -> None:
    n = x.shape[1]
    b = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    j = data.draw(st.integers(0, n - 1))
    scaled = x.copy()
    scaled[:, j] *= 10.0**k
    for name in ("vector", "sum", "max", "minmax"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DegenerateDataWarning)  # constant columns
            plain = normalise(x, b, name)
            rescaled = normalise(scaled, b, name)
        # values lie in [0, 1] and a cost under vector is 1 - x/||x||: absolute rounding ~ eps
        np.testing.assert_allclose(rescaled, plain, rtol=1e-12, atol=1e-14, err_msg=name)
        w = np.full(n, 1.0 / n)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DegenerateDataWarning)
            before = rank(weighted_sum(x, w, b, normalisation=name))
            after = rank(weighted_sum(scaled, w, b, normalisation=name))
        assert before.tolist() == after.tolist(), name


def test_vector_column_times_1e200_still_counts() -> None:
    # before the fix, sum(x^2) overflowed to inf and the column normalised to all zeros
    x = np.array([[3.0, 1.0], [4.0, 2.0]])
    big = x * [1e200, 1.0]
    tiny = x * [1e-200, 1.0]
    expected = [[0.6, 1 / np.sqrt(5)], [0.8, 2 / np.sqrt(5)]]  # 3-4-5 triangle; 1, 2 over sqrt 5
    np.testing.assert_allclose(vector_normalise(big), expected, rtol=1e-15)
    np.testing.assert_allclose(vector_normalise(tiny), expected, rtol=1e-15)


def test_extreme_columns_normalise_like_ordinary_ones() -> None:
    # the range -1.7e308 .. 1.7e308 overflows hi - lo; 1/5e-324 overflows for a cost under sum
    spread = np.array([[-1.7e308], [1.7e308], [0.0]])
    assert minmax_normalise(spread).ravel().tolist() == [0.0, 1.0, 0.5]
    subnormal_cost = np.array([[5e-324], [1e-323]])  # 1 and 2 units in the last place
    np.testing.assert_allclose(sum_normalise(subnormal_cost, [False]).ravel(), [2 / 3, 1 / 3])
    np.testing.assert_allclose(max_normalise(subnormal_cost, [False]).ravel(), [1.0, 0.5])
