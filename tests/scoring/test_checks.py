"""The shared checks: a method's function and its scorer class agree on degenerate data.

Issue 8: the functions (``weighted_sum``, ``vikor``, ``grey_relational`` ...) returned NaN with
only numpy's ``RuntimeWarning`` where the classes raised ``ScoringError``. Both now run the same
checks, so on every table below they either both raise ``ScoringError`` or both return the
same finite scores with the same gridgov warnings, and never a ``RuntimeWarning``.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from gridgov.errors import ScoringError
from gridgov.scoring import (
    CriteriaTable,
    DegenerateDataWarning,
    WeightsNormalisedWarning,
    get_scorer,
    grey_relational,
    promethee_ii,
    topsis,
    vikor,
    weighted_sum,
)
from gridgov.scoring._checks import finite_scores

FUNCTIONS: dict[str, Callable[..., np.ndarray]] = {
    "weighted_sum": weighted_sum,
    "topsis": topsis,
    "vikor": vikor,
    "grey_relational": grey_relational,
    "promethee_ii": promethee_ii,
}
NORMALISED = ("weighted_sum", "topsis", "grey_relational")
VARIANTS = [
    (name, {"normalisation": norm} if name in NORMALISED else {})
    for name in FUNCTIONS
    for norm in (("minmax", "vector", "sum", "max") if name in NORMALISED else ("",))
]

DEGENERATE: dict[str, tuple[list[list[float]], list[float]]] = {
    "constant column": ([[1, 2], [1, 3], [1, 4]], [0.5, 0.5]),
    "all-zero column": ([[0, 2], [0, 3], [0, 4]], [0.5, 0.5]),
    "single alternative": ([[1, 2]], [0.5, 0.5]),
    "nan": ([[np.nan, 2], [1, 3]], [0.5, 0.5]),
    "inf": ([[np.inf, 2], [1, 3]], [0.5, 0.5]),
    "zero weights": ([[1, 2], [2, 3]], [0.0, 0.0]),
    "identical alternatives": ([[1, 2], [1, 2]], [0.5, 0.5]),
    "weights 1e308": ([[1, 2], [2, 3], [3, 1]], [1e308, 1e308]),
    "subnormal weights": ([[1, 2], [2, 3], [3, 1]], [5e-324, 5e-324]),
    "range beyond float": ([[-1.7e308, 2], [1.7e308, 3], [0, 1]], [0.5, 0.5]),
    "column of 1e300": ([[1e300, 2], [2e300, 3], [3e300, 1]], [0.5, 0.5]),
    "subnormal column": ([[1e-320, 2], [2e-320, 3], [3e-320, 1]], [0.5, 0.5]),
}


def _outcome(run: Callable[[], np.ndarray]) -> tuple[str, Any, set[type[Warning]]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result: tuple[str, Any] = ("scores", run())
        except ScoringError:
            result = ("ScoringError", None)
    return (*result, {w.category for w in caught})


@pytest.mark.parametrize("case", sorted(DEGENERATE))
@pytest.mark.parametrize(("method", "params"), VARIANTS)
def test_function_and_class_agree(case: str, method: str, params: dict[str, str]) -> None:
    values, weights = DEGENERATE[case]
    m, n = len(values), len(values[0])

    def by_class() -> np.ndarray:
        table = CriteriaTable(
            values, [f"A{i}" for i in range(m)], [f"C{j}" for j in range(n)], "benefit", weights
        )
        return np.asarray(get_scorer(method, **params).score(table).scores)

    kind, scores, categories = _outcome(lambda: FUNCTIONS[method](values, weights, **params))
    class_kind, class_scores, class_categories = _outcome(by_class)
    assert kind == class_kind
    assert categories == class_categories
    assert categories <= {DegenerateDataWarning, WeightsNormalisedWarning}  # no RuntimeWarning
    if kind == "scores":
        assert np.isfinite(scores).all()
        np.testing.assert_array_equal(scores, class_scores)


@pytest.mark.parametrize(("method", "params"), VARIANTS)
def test_huge_and_tiny_weights_mean_what_equal_weights_mean(
    method: str, params: dict[str, str]
) -> None:
    # before the fix, [1e308] * 3 summed to inf: every weight became 0 and everything tied
    values = [[1.0, 9.0, 5.0], [2.0, 3.0, 4.0], [7.0, 1.0, 6.5], [4.0, 4.0, 4.2]]
    expected = FUNCTIONS[method](values, [1 / 3, 1 / 3, 1 / 3], **params)
    for weights in ([1e308] * 3, [5e-324] * 3):
        with pytest.warns(WeightsNormalisedWarning):
            scores = FUNCTIONS[method](values, weights, **params)
        np.testing.assert_allclose(scores, expected, rtol=1e-12)


def test_weights_beyond_float_say_so() -> None:
    with pytest.warns(WeightsNormalisedWarning, match=r"summed to more than 1\.79769e\+308, not 1"):
        weighted_sum([[1, 2], [2, 1]], [1e308, 1e308])


def test_finite_scores_names_the_row() -> None:
    with pytest.raises(ScoringError, match="row 1 is nan"):
        finite_scores(np.array([0.5, np.nan]), "demo")
