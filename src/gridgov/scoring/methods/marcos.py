"""MARCOS: measurement of alternatives and ranking by compromise solution (Stević et al. 2020)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from gridgov.errors import ScoringError
from gridgov.scoring._checks import (
    FloatArray,
    as_inputs,
    names_or_columns,
    require_alternatives,
    warn_identical,
)
from gridgov.scoring._result import Computed
from gridgov.scoring._table import CriteriaTable
from gridgov.scoring.methods._base import BuiltinScorer
from gridgov.scoring.methods._columns import Columns, normalise, weighted_rows

__all__ = ["Marcos", "marcos"]

_NAME = "marcos"


def _compute(
    x: FloatArray,
    w: FloatArray,
    b: npt.NDArray[np.bool_],
    criteria: Sequence[str] | None = None,
) -> Computed:
    require_alternatives(x.shape[0], _NAME)
    cols = Columns(x)
    bad = np.flatnonzero(cols.lo <= 0)
    if bad.size:
        names = names_or_columns(x.shape[1], criteria)
        listed = ", ".join(repr(names[int(j)]) for j in bad)
        raise ScoringError(
            f"marcos: criterion {listed} has zero or negative values; MARCOS divides by "
            "the ideal and by cost values"
        )
    if cols.constant[w > 0].all():
        warn_identical(_NAME, "every alternative gets the same score and rank 1")
    hi = cols.hi
    lo = cols.lo
    ideal = np.where(b, hi, lo)
    anti = np.where(b, lo, hi)
    r, _ = normalise(cols, b, "max", criteria)
    r_anti = np.where(b, anti / ideal, ideal / anti)
    v = r * w
    s = weighted_rows(r, w)
    s_ideal = float(w.sum())  # the ideal normalises to 1 on every criterion
    s_anti = float(r_anti @ w)
    k_minus = s / s_anti
    k_plus = s / s_ideal
    f_plus = k_minus / (k_plus + k_minus)
    f_minus = k_plus / (k_plus + k_minus)
    scores = (k_plus + k_minus) / (1.0 + (1.0 - f_plus) / f_plus + (1.0 - f_minus) / f_minus)
    details = {
        "K_minus": k_minus,
        "K_plus": k_plus,
        "f_K_minus": f_minus,
        "f_K_plus": f_plus,
        "ideal": ideal,
        "anti_ideal": anti,
    }
    return Computed(scores, r, v, details, ("ideal", "anti_ideal"))


def marcos(
    values: npt.ArrayLike,
    weights: npt.ArrayLike,
    is_benefit: npt.ArrayLike | None = None,
) -> FloatArray:
    r"""Score alternatives by MARCOS: utility relative to the ideal and anti-ideal solutions.

    With the ideal :math:`AI` (best value per criterion) and anti-ideal :math:`AAI` (worst)
    added to the table, :math:`r_{ij} = x_{ij} / x_{AI,j}` (benefit) or
    :math:`x_{AI,j} / x_{ij}` (cost), :math:`S_i = \sum_j w_j r_{ij}`,
    :math:`K^-_i = S_i / S_{AAI}`, :math:`K^+_i = S_i / S_{AI}`,
    :math:`f(K^-) = K^+ / (K^+ + K^-)`, :math:`f(K^+) = K^- / (K^+ + K^-)`:

    .. math:: f(K_i) = \frac{K^+_i + K^-_i}
              {1 + \frac{1 - f(K^+_i)}{f(K^+_i)} + \frac{1 - f(K^-_i)}{f(K^-_i)}}.

    Parameters
    ----------
    values : array_like, shape (m, n)
        Positive raw values.
    weights : array_like, shape (n,)
        Non-negative weights; rescaled to sum to 1 (with a warning when they did not).
    is_benefit : array_like of bool, shape (n,), optional
        ``True`` for benefit criteria. Default: all benefit.

    Returns
    -------
    numpy.ndarray
        Utility functions ``f(K)``, shape (m,); higher is better.

    Raises
    ------
    gridgov.errors.ScoringError
        Fewer than two alternatives or a zero or negative value.

    References
    ----------
    .. [1] Stević, Ž., Pamučar, D., Puška, A., Chatterjee, P. (2020). Sustainable supplier
       selection in healthcare industries using a new MCDM method: Measurement of
       Alternatives and Ranking according to COmpromise Solution (MARCOS). *Computers &
       Industrial Engineering* 140, 106231.

    Examples
    --------
    >>> from gridgov.scoring import marcos
    >>> marcos([[1.0, 3.0], [3.0, 1.0], [2.0, 2.5]], [0.6, 0.4]).round(4)
    array([0.5538, 0.6769, 0.6769])
    """
    x, w, b = as_inputs(values, weights, is_benefit)
    return _compute(x, w, b).scores


class Marcos(BuiltinScorer):
    """MARCOS scorer (``"marcos"``); see :func:`marcos`.

    Notes
    -----
    Contributions are ``w_j r_ij`` (they sum to ``S``); ``details`` hold ``K_minus``,
    ``K_plus``, ``f_K_minus``, ``f_K_plus`` per alternative and ``ideal``, ``anti_ideal``
    per criterion.

    Examples
    --------
    >>> from gridgov.scoring import CriteriaTable, Marcos
    >>> t = CriteriaTable([[1, 3], [3, 1]], ["A", "B"], ["x", "y"], "benefit")
    >>> Marcos().score(t).details["ideal"]
    array([3., 3.])
    """

    __slots__ = ()
    name: str = _NAME
    higher_is_better: bool = True
    contribution_meaning = (
        "weighted normalised value w*r (sums to S)",
        "加权标准化值 w×r（之和为 S）",
    )

    @property
    def params(self) -> dict[str, Any]:
        """Parameters of this scorer (none)."""
        return {}

    def _run(self, table: CriteriaTable) -> tuple[Computed, dict[str, Any]]:
        x, w, b = table.values, table.weights, table.is_benefit
        return _compute(x, w, b, table.criteria), self.params
