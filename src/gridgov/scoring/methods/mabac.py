"""MABAC: multi-attributive border approximation area comparison (Pamučar & Ćirović 2015)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from gridgov.scoring._checks import (
    FloatArray,
    as_inputs,
    require_alternatives,
    warn_identical,
)
from gridgov.scoring._normalise import warn_constant
from gridgov.scoring._result import Computed
from gridgov.scoring._table import CriteriaTable
from gridgov.scoring.methods._base import BuiltinScorer
from gridgov.scoring.methods._columns import Columns, normalise, weighted_rows

__all__ = ["Mabac", "mabac"]

_NAME = "mabac"


def _compute(
    x: FloatArray,
    w: FloatArray,
    b: npt.NDArray[np.bool_],
    criteria: Sequence[str] | None = None,
) -> Computed:
    require_alternatives(x.shape[0], _NAME)
    cols = Columns(x)
    r, constant = normalise(cols, b, "minmax", criteria)
    if cols.constant[w > 0].all():
        warn_identical(_NAME, "every alternative gets the same score and rank 1")
    else:
        warn_constant(constant & (w > 0), criteria, "minmax normalisation set it to 1.0 for all")
    v = w * (r + 1.0)
    # geometric mean per column through logarithms: a product of 10^5 values in [w, 2w]
    # underflows; v = 0 only where w = 0, and those columns add 0 to every Q
    used = w > 0
    g = np.zeros_like(w)
    g[used] = np.exp(np.log(v[:, used]).mean(axis=0))
    q = v - g
    scores = weighted_rows(r, w) + float(w.sum() - g.sum())  # = sum_j q_ij, one pass
    return Computed(scores, r, q, {"border": g}, ("border",))


def mabac(
    values: npt.ArrayLike,
    weights: npt.ArrayLike,
    is_benefit: npt.ArrayLike | None = None,
) -> FloatArray:
    r"""Score alternatives by MABAC: distances from the border approximation area.

    With min-max normalised :math:`r_{ij}`, :math:`v_{ij} = w_j (r_{ij} + 1)`, the border
    :math:`g_j = (\prod_i v_{ij})^{1/m}` (computed through logarithms) and
    :math:`q_{ij} = v_{ij} - g_j`, the score is :math:`S_i = \sum_j q_{ij}`.

    Parameters
    ----------
    values : array_like, shape (m, n)
        Finite raw values.
    weights : array_like, shape (n,)
        Non-negative weights; rescaled to sum to 1 (with a warning when they did not).
    is_benefit : array_like of bool, shape (n,), optional
        ``True`` for benefit criteria. Default: all benefit.

    Returns
    -------
    numpy.ndarray
        Sums of distances from the border area, shape (m,); higher is better (positive: in
        the upper approximation area).

    Raises
    ------
    gridgov.errors.ScoringError
        Fewer than two alternatives or non-finite input.

    Warns
    -----
    DegenerateDataWarning
        A constant criterion (min-max sets it to 1.0) or identical alternatives.

    References
    ----------
    .. [1] Pamučar, D., Ćirović, G. (2015). The selection of transport and handling
       resources in logistics centers using Multi-Attributive Border Approximation area
       Comparison (MABAC). *Expert Systems with Applications* 42(6), 3016-3028.

    Examples
    --------
    >>> from gridgov.scoring import mabac
    >>> mabac([[1.0, 3.0], [3.0, 1.0], [2.0, 2.0]], [0.6, 0.4]).round(4)
    array([-0.0422,  0.1578,  0.0578])
    """
    x, w, b = as_inputs(values, weights, is_benefit)
    return _compute(x, w, b).scores


class Mabac(BuiltinScorer):
    """MABAC scorer (``"mabac"``); see :func:`mabac`.

    Notes
    -----
    Contributions are the distances ``q_ij`` from the border area; they sum to the score.
    ``details`` hold ``border`` (``g_j``) per criterion.

    Examples
    --------
    >>> from gridgov.scoring import CriteriaTable, Mabac
    >>> t = CriteriaTable([[1, 3], [3, 1]], ["A", "B"], ["x", "y"], "benefit")
    >>> Mabac().score(t).details["border"].round(4)
    array([0.7071, 0.7071])
    """

    __slots__ = ()
    name: str = _NAME
    higher_is_better: bool = True
    contribution_meaning = (
        "distance q from the border approximation area (sums to the score)",
        "与边界近似区域的距离 q（之和为得分）",
    )

    @property
    def params(self) -> dict[str, Any]:
        """Parameters of this scorer (none)."""
        return {}

    def _run(self, table: CriteriaTable) -> tuple[Computed, dict[str, Any]]:
        x, w, b = table.values, table.weights, table.is_benefit
        return _compute(x, w, b, table.criteria), self.params
