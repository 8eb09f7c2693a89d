"""Input checks shared by the scoring methods' pure functions (internal)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from gridgov.errors import ScoringError
from gridgov.scoring._table import (
    DegenerateDataWarning,
    WeightsNormalisedWarning,
    describe_sum,
    unit_sum,
    warn,
)

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def as_inputs(
    values: npt.ArrayLike, weights: npt.ArrayLike, is_benefit: npt.ArrayLike | None
) -> tuple[FloatArray, FloatArray, BoolArray]:
    """Validate the arrays a method function receives; weights are rescaled to sum to 1.

    Raises ``ScoringError`` on wrong shapes or non-finite values, and warns
    ``WeightsNormalisedWarning`` when the weights do not sum to 1.
    """
    try:
        x = np.asarray(values, dtype=np.float64)
        w = np.asarray(weights, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ScoringError(f"values and weights must be numbers: {exc}") from exc
    if x.ndim != 2:
        raise ScoringError(f"values must be 2-D (alternatives x criteria), got shape {x.shape}")
    m, n = x.shape
    if m == 0 or n == 0:
        raise ScoringError(f"values must have at least one row and one column, got {x.shape}")
    if not np.isfinite(x).all():
        i, j = (int(k) for k in np.argwhere(~np.isfinite(x))[0])
        raise ScoringError(f"value at row {i}, column {j} is {x[i, j]} (not finite)")
    if w.shape != (n,):
        raise ScoringError(f"weights must have shape ({n},), got {w.shape}")
    if not np.isfinite(w).all() or (w < 0).any():
        raise ScoringError(f"weights must be finite and non-negative, got {w.tolist()}")
    if not (w > 0).any():
        raise ScoringError("weights sum to zero: at least one criterion needs a positive weight")
    w, total = unit_sum(w)
    if abs(total - 1.0) > 1e-9:
        warn(
            f"weights summed to {describe_sum(total)}, not 1; they were divided by their sum",
            WeightsNormalisedWarning,
        )
    b = np.ones(n, dtype=bool) if is_benefit is None else np.asarray(is_benefit, dtype=bool)
    if b.shape != (n,):
        raise ScoringError(f"is_benefit must have shape ({n},), got {b.shape}")
    return x, w, b


def require_alternatives(m: int, method: str, minimum: int = 2) -> None:
    """Raise ``ScoringError`` when fewer than ``minimum`` alternatives are given."""
    if m < minimum:
        raise ScoringError(f"{method} compares alternatives and needs at least {minimum}; got {m}")


def constant_columns(x: FloatArray) -> BoolArray:
    """Return the mask of columns whose values are all equal."""
    result: BoolArray = x.max(axis=0) == x.min(axis=0)
    return result


def warn_identical(method: str, outcome: str) -> None:
    """Warn that every alternative has the same values on every weighted criterion."""
    warn(
        f"{method}: all alternatives are identical on every weighted criterion, so the method "
        f"cannot tell them apart; {outcome}",
        DegenerateDataWarning,
    )


def names_or_columns(n: int, criteria: Sequence[str] | None) -> Sequence[str]:
    """Criterion names for messages: the given names or ``"column j"``."""
    return criteria if criteria is not None else [f"column {j}" for j in range(n)]


def finite_scores(scores: FloatArray, method: str) -> FloatArray:
    """Return ``scores``, or raise ``ScoringError`` if one is not finite.

    Every built-in method calls this on the scores it computed, so its function and its scorer
    class refuse the same inputs with the same error instead of returning NaN.
    """
    bad = np.flatnonzero(~np.isfinite(scores))
    if bad.size:
        i = int(bad[0])
        raise ScoringError(
            f"{method}: the score of row {i} is {scores[i]} (not finite): the values or weights "
            "exceed the floating-point range; rescale them (e.g. change the units)"
        )
    return scores
