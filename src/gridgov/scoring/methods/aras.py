"""ARAS: additive ratio assessment (Zavadskas & Turskis 2010)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from gridgov.errors import ScoringError
from gridgov.scoring._checks import (
    FloatArray,
    as_inputs,
    require_alternatives,
    warn_identical,
)
from gridgov.scoring._result import Computed
from gridgov.scoring._table import CriteriaTable
from gridgov.scoring.methods._base import BuiltinScorer
from gridgov.scoring.methods._columns import Columns, normalise, weighted_rows

__all__ = ["Aras", "aras"]

_NAME = "aras"


def _check_optimal(optimal: npt.ArrayLike | None) -> tuple[float, ...] | None:
    if optimal is None:
        return None
    try:
        o = np.asarray(optimal, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ScoringError(f"aras: optimal must be numbers: {exc}") from exc
    if o.ndim != 1 or not np.isfinite(o).all():
        raise ScoringError(f"aras: optimal must be a finite 1-D array, got {o.tolist()}")
    return tuple(float(v) for v in o)


def _compute(
    x: FloatArray,
    w: FloatArray,
    b: npt.NDArray[np.bool_],
    optimal: tuple[float, ...] | None,
    criteria: Sequence[str] | None = None,
) -> Computed:
    require_alternatives(x.shape[0], _NAME)
    cols = Columns(x)
    if optimal is None:
        x0 = np.where(b, cols.hi, cols.lo)
    else:
        if len(optimal) != x.shape[1]:
            raise ScoringError(f"aras: optimal has {len(optimal)} values for {x.shape[1]} criteria")
        x0 = np.asarray(optimal)
    if cols.constant[w > 0].all() and optimal is None:
        warn_identical(_NAME, "every utility degree is 1 (all tie at rank 1)")
    extended = np.empty((x.shape[0] + 1, x.shape[1]), order="F")  # Columns keeps it
    extended[0] = x0
    extended[1:] = cols.f
    r, _ = normalise(Columns(extended), b, "sum", criteria)
    v = r * w
    s = weighted_rows(r, w)
    scores = s[1:] / s[0]
    details = {"S": s[1:], "S0": np.array(s[0]), "optimal": x0}
    return Computed(scores, r[1:], v[1:], details, ("optimal",))


def aras(
    values: npt.ArrayLike,
    weights: npt.ArrayLike,
    is_benefit: npt.ArrayLike | None = None,
    *,
    optimal: npt.ArrayLike | None = None,
) -> FloatArray:
    r"""Score alternatives by ARAS: their optimality relative to the optimal alternative.

    The optimal row :math:`x_{0j}` (best value per criterion, or given) is prepended; the
    extended matrix is sum-normalised (costs through :math:`1/x`), weighted and summed to
    :math:`S_i`; the utility degree is :math:`K_i = S_i / S_0`.

    Parameters
    ----------
    values : array_like, shape (m, n)
        Raw values: benefits non-negative, costs positive (sum normalisation).
    weights : array_like, shape (n,)
        Non-negative weights; rescaled to sum to 1 (with a warning when they did not).
    is_benefit : array_like of bool, shape (n,), optional
        ``True`` for benefit criteria. Default: all benefit.
    optimal : array_like, shape (n,), optional
        The decision maker's optimal values; default the best value of each criterion.

    Returns
    -------
    numpy.ndarray
        Utility degrees ``K``, shape (m,); higher is better (1 = as good as the optimum).

    Raises
    ------
    gridgov.errors.ScoringError
        Fewer than two alternatives, a wrongly shaped ``optimal``, or values the sum
        normalisation cannot handle.

    References
    ----------
    .. [1] Zavadskas, E. K., Turskis, Z. (2010). A new additive ratio assessment (ARAS)
       method in multicriteria decision-making. *Technological and Economic Development of
       Economy* 16(2), 159-172.

    Examples
    --------
    >>> from gridgov.scoring import aras
    >>> aras([[1.0, 2.0], [2.0, 1.0]], [0.5, 0.5], [True, False]).round(4)
    array([0.5, 1. ])
    """
    x, w, b = as_inputs(values, weights, is_benefit)
    return _compute(x, w, b, _check_optimal(optimal)).scores


class Aras(BuiltinScorer):
    """ARAS scorer (``"aras"``); see :func:`aras`.

    Parameters
    ----------
    optimal : array_like, shape (n,), optional
        Optimal values; recorded in ``result.params`` as a tuple (``None``: the best
        values of the table).

    Notes
    -----
    Contributions are the weighted sum-normalised values (they sum to ``S``); ``details``
    hold ``S`` per alternative, ``S0`` and ``optimal`` per criterion.

    Examples
    --------
    >>> from gridgov.scoring import Aras, CriteriaTable
    >>> t = CriteriaTable([[1, 2], [2, 1]], ["A", "B"], ["x", "y"], ["benefit", "cost"])
    >>> Aras().score(t).details["optimal"]
    array([2., 1.])
    """

    __slots__ = ("_optimal",)
    name: str = _NAME
    higher_is_better: bool = True
    contribution_meaning = (
        "weighted sum-normalised value (sums to S)",
        "加权和标准化值（之和为 S）",
    )

    def __init__(self, *, optimal: npt.ArrayLike | None = None) -> None:
        self._optimal = _check_optimal(optimal)

    @property
    def params(self) -> dict[str, Any]:
        """Parameters of this scorer."""
        return {"optimal": self._optimal}

    def _run(self, table: CriteriaTable) -> tuple[Computed, dict[str, Any]]:
        x, w, b = table.values, table.weights, table.is_benefit
        return _compute(x, w, b, self._optimal, table.criteria), self.params
