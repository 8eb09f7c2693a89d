"""COPRAS: complex proportional assessment (Zavadskas, Kaklauskas & Šarka 1994)."""

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
from gridgov.scoring.methods._columns import Columns, weighted_rows

__all__ = ["Copras", "copras"]

_NAME = "copras"


def _compute(
    x: FloatArray,
    w: FloatArray,
    b: npt.NDArray[np.bool_],
    criteria: Sequence[str] | None = None,
) -> Computed:
    require_alternatives(x.shape[0], _NAME)
    names = names_or_columns(x.shape[1], criteria)
    cols = Columns(x)
    column_sums = cols.sum()
    bad = np.flatnonzero((cols.lo < 0) | (column_sums == 0))
    if bad.size:
        listed = ", ".join(repr(names[int(j)]) for j in bad)
        raise ScoringError(
            f"copras: criterion {listed} needs non-negative values with a positive sum "
            "(COPRAS divides by the column sum)"
        )
    if cols.constant[w > 0].all():
        warn_identical(_NAME, "every alternative gets the same score and rank 1")
    share = w / column_sums
    d = cols.f * share
    s_plus = weighted_rows(cols.f[:, b], share[b])
    s_minus = weighted_rows(cols.f[:, ~b], share[~b])
    cost_weight = bool((w[~b] > 0).any())
    if cost_weight:
        zero = np.flatnonzero(s_minus == 0)
        if zero.size:
            raise ScoringError(
                f"copras: alternative at row {int(zero[0])} has 0 on every weighted cost "
                "criterion; COPRAS divides by its cost sum S-"
            )
        # Q_i = S+_i + (min S- * sum S-) / (S-_i * sum(min S- / S-)); min S- cancels
        q = s_plus + s_minus.sum() / (s_minus * (1.0 / s_minus).sum())
    else:
        q = s_plus.copy()
    scores = q / q.max()
    details = {"S_plus": s_plus, "S_minus": s_minus, "Q": q}
    return Computed(scores, cols.f / column_sums, d, details)


def copras(
    values: npt.ArrayLike,
    weights: npt.ArrayLike,
    is_benefit: npt.ArrayLike | None = None,
) -> FloatArray:
    r"""Score alternatives by COPRAS: utility degree relative to the best alternative.

    With :math:`d_{ij} = w_j x_{ij} / \sum_i x_{ij}` (no direction flip),
    :math:`S^+_i` and :math:`S^-_i` the sums of :math:`d_{ij}` over benefit and cost criteria,

    .. math:: Q_i = S^+_i + \frac{\sum_k S^-_k}{S^-_i \sum_k 1 / S^-_k},
              \qquad N_i = Q_i / \max_k Q_k.

    Without cost criteria :math:`Q_i = S^+_i`.

    Parameters
    ----------
    values : array_like, shape (m, n)
        Non-negative raw values, each column with a positive sum.
    weights : array_like, shape (n,)
        Non-negative weights; rescaled to sum to 1 (with a warning when they did not).
    is_benefit : array_like of bool, shape (n,), optional
        ``True`` for benefit criteria. Default: all benefit.

    Returns
    -------
    numpy.ndarray
        Utility degrees ``N`` in (0, 1], the best alternative 1; higher is better.

    Raises
    ------
    gridgov.errors.ScoringError
        Fewer than two alternatives, a negative value or zero column sum, or an alternative
        with a zero cost sum.

    References
    ----------
    .. [1] Zavadskas, E. K., Kaklauskas, A., Šarka, V. (1994). The new method of multicriteria
       complex proportional assessment of projects. *Technological and Economic Development
       of Economy* 1(3), 131-139.
    .. [2] Zavadskas, E. K., Kaklauskas, A., Peldschus, F., Turskis, Z. (2007).
       Multi-attribute assessment of road design solutions by using the COPRAS method.
       *The Baltic Journal of Road and Bridge Engineering* 2(4), 195-203.

    Examples
    --------
    >>> from gridgov.scoring import copras
    >>> copras([[4.0, 2.0], [2.0, 1.0], [3.0, 3.0]], [0.5, 0.5], [True, False]).round(4)
    array([0.9342, 1.    , 0.6711])
    """
    x, w, b = as_inputs(values, weights, is_benefit)
    return _compute(x, w, b).scores


class Copras(BuiltinScorer):
    """COPRAS scorer (``"copras"``); see :func:`copras`.

    Notes
    -----
    Contributions are the weighted sum-normalised values ``d_ij`` (cost criteria enter
    through ``S_minus``, benefits through ``S_plus``); ``details`` hold ``S_plus``,
    ``S_minus`` and ``Q`` per alternative.

    Examples
    --------
    >>> from gridgov.scoring import CriteriaTable, Copras
    >>> t = CriteriaTable([[4, 2], [2, 1]], ["A", "B"], ["x", "y"], ["benefit", "cost"])
    >>> Copras().score(t).details["Q"].round(4)
    array([0.5, 0.5])
    """

    __slots__ = ()
    name: str = _NAME
    higher_is_better: bool = True
    contribution_meaning = (
        "w * x / column sum (benefits add to S+, costs to S-)",
        "w × x / 列和（效益型计入 S+，成本型计入 S-）",
    )

    @property
    def params(self) -> dict[str, Any]:
        """Parameters of this scorer (none)."""
        return {}

    def _run(self, table: CriteriaTable) -> tuple[Computed, dict[str, Any]]:
        x, w, b = table.values, table.weights, table.is_benefit
        return _compute(x, w, b, table.criteria), self.params
