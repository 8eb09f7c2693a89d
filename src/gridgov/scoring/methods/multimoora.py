"""MULTIMOORA: ratio system, reference point, full multiplicative form (Brauers & Zavadskas)."""

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
from gridgov.scoring._ranking import rank
from gridgov.scoring._result import Computed
from gridgov.scoring._table import CriteriaTable
from gridgov.scoring.methods._base import BuiltinScorer
from gridgov.scoring.methods._columns import Columns, weighted_rows
from gridgov.scoring.methods.moora import ratios

__all__ = ["Multimoora", "multimoora"]

_NAME = "multimoora"


def _beaten(ranks: npt.NDArray[np.int64]) -> FloatArray:
    """For each alternative, how many alternatives have a strictly worse rank."""
    m = ranks.size
    # competition ranks: #worse = m - (number with rank <= mine)
    sorted_ranks = np.sort(ranks)
    at_most = np.searchsorted(sorted_ranks, ranks, side="right")
    result: FloatArray = (m - at_most).astype(np.float64)
    return result


def _compute(
    x: FloatArray,
    w: FloatArray,
    b: npt.NDArray[np.bool_],
    criteria: Sequence[str] | None = None,
) -> Computed:
    require_alternatives(x.shape[0], _NAME)
    cols = Columns(x)
    non_positive = np.flatnonzero(cols.lo <= 0)
    if non_positive.size:
        names = names_or_columns(x.shape[1], criteria)
        listed = ", ".join(repr(names[int(j)]) for j in non_positive)
        raise ScoringError(
            f"multimoora: criterion {listed} has zero or negative values; the full "
            "multiplicative form needs positive values"
        )
    r = ratios(x, criteria)
    if cols.constant[w > 0].all():
        warn_identical(_NAME, "all three parts tie, so every alternative gets rank 1")
    signed = np.where(b, w, -w)
    rs = weighted_rows(r, signed)
    reference = np.where(b, r.max(axis=0), r.min(axis=0))
    rp = (np.abs(reference - r) * w).max(axis=1)
    # U_i = prod_benefit x / prod_cost x, unweighted as in the paper; in logs
    fmf = weighted_rows(np.log(cols.f), np.where(b, 1.0, -1.0))
    ranks = (rank(rs, True), rank(rp, False), rank(fmf, True))
    scores = _beaten(ranks[0]) + _beaten(ranks[1]) + _beaten(ranks[2])
    details = {
        "ratio_system": rs,
        "reference_point": rp,
        "log_multiplicative": fmf,
        "rank_ratio_system": ranks[0],
        "rank_reference_point": ranks[1],
        "rank_multiplicative": ranks[2],
    }
    return Computed(scores, r, r * signed, details)


def multimoora(
    values: npt.ArrayLike,
    weights: npt.ArrayLike,
    is_benefit: npt.ArrayLike | None = None,
) -> FloatArray:
    r"""Score alternatives by MULTIMOORA, the dominance of three MOORA rankings.

    With Brauers' ratios :math:`r_{ij} = x_{ij} / \lVert x_{\cdot j} \rVert_2`:

    - ratio system :math:`y_i = \sum_{benefit} w_j r_{ij} - \sum_{cost} w_j r_{ij}`
      (higher is better);
    - reference point :math:`z_i = \max_j w_j |r^*_j - r_{ij}|`, :math:`r^*` the best ratio
      per criterion (lower is better);
    - full multiplicative form :math:`U_i = \prod_{benefit} x_{ij} / \prod_{cost} x_{ij}`
      (unweighted as in the paper, in logarithms; higher is better).

    The three rankings are aggregated by dominance: the score is the number of
    (ranking, alternative) pairs in which the alternative is strictly ahead, summed over
    the three rankings (the dominance-directed graph of pyrepo-mcda).

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
        Dominance counts in [0, 3(m - 1)], shape (m,); higher is better.

    Raises
    ------
    gridgov.errors.ScoringError
        Fewer than two alternatives or a zero or negative value.

    References
    ----------
    .. [1] Brauers, W. K. M., Zavadskas, E. K. (2010). Project management by MULTIMOORA as
       an instrument for transition economies. *Technological and Economic Development of
       Economy* 16(1), 5-24.
    .. [2] Brauers, W. K. M., Zavadskas, E. K. (2011). MULTIMOORA optimization used to decide
       on a bank loan to buy property. *Technological and Economic Development of Economy*
       17(1), 174-188.

    Examples
    --------
    >>> from gridgov.scoring import multimoora
    >>> multimoora([[3.0, 4.0], [4.0, 3.0], [1.0, 5.0]], [0.5, 0.5], [True, False])
    array([3., 6., 0.])
    """
    x, w, b = as_inputs(values, weights, is_benefit)
    return _compute(x, w, b).scores


class Multimoora(BuiltinScorer):
    """MULTIMOORA scorer (``"multimoora"``); see :func:`multimoora`.

    Notes
    -----
    Contributions are the ratio system's signed ``±w_j r_ij``; ``details`` hold the three
    parts (``ratio_system``, ``reference_point``, ``log_multiplicative``) and their ranks.

    Examples
    --------
    >>> from gridgov.scoring import CriteriaTable, Multimoora
    >>> t = CriteriaTable([[3, 4], [4, 3]], ["A", "B"], ["x", "y"], ["benefit", "cost"])
    >>> Multimoora().score(t).details["rank_reference_point"]
    array([2, 1])
    """

    __slots__ = ()
    name: str = _NAME
    higher_is_better: bool = True
    contribution_meaning = (
        "ratio system: +w*r for benefits, -w*r for costs",
        "比率系统：效益型 +w×r，成本型 -w×r",
    )

    @property
    def params(self) -> dict[str, Any]:
        """Parameters of this scorer (none)."""
        return {}

    def _run(self, table: CriteriaTable) -> tuple[Computed, dict[str, Any]]:
        x, w, b = table.values, table.weights, table.is_benefit
        return _compute(x, w, b, table.criteria), self.params
