"""EDAS: evaluation based on distance from average solution (Keshavarz Ghorabaee et al. 2015)."""

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

__all__ = ["Edas", "edas"]

_NAME = "edas"


def _compute(
    x: FloatArray,
    w: FloatArray,
    b: npt.NDArray[np.bool_],
    criteria: Sequence[str] | None = None,
) -> Computed:
    m = x.shape[0]
    require_alternatives(m, _NAME)
    cols = Columns(x)
    average = cols.sum() / m
    zero = np.flatnonzero(average == 0)
    if zero.size:
        names = names_or_columns(x.shape[1], criteria)
        listed = ", ".join(repr(names[int(j)]) for j in zero)
        raise ScoringError(f"edas: criterion {listed} averages 0; EDAS divides by the average")
    if cols.constant[w > 0].all():
        warn_identical(_NAME, "every appraisal score is set to 0.5 (all tie at rank 1)")
        half = np.full(m, 0.5)
        zeros = np.zeros(m)
        details = {"SP": zeros, "SN": zeros, "NSP": zeros, "NSN": np.ones(m), "average": average}
        return Computed(half, None, None, details, ("average",))
    # signed distance from the average, "higher is better" on every criterion
    gain = (cols.f - average) * (np.where(b, 1.0, -1.0) / np.abs(average))
    pda = np.maximum(gain, 0.0)
    nda = np.maximum(-gain, 0.0)
    sp = weighted_rows(pda, w)
    sn = weighted_rows(nda, w)
    # some weighted column varies, so some value lies above and some below its average
    nsp = sp / sp.max()
    nsn = 1.0 - sn / sn.max()
    scores = (nsp + nsn) / 2.0
    details = {"SP": sp, "SN": sn, "NSP": nsp, "NSN": nsn, "average": average}
    return Computed(scores, gain, gain * w, details, ("average",))


def edas(
    values: npt.ArrayLike,
    weights: npt.ArrayLike,
    is_benefit: npt.ArrayLike | None = None,
) -> FloatArray:
    r"""Score alternatives by EDAS, their distances above and below the average solution.

    With :math:`AV_j` the column mean, the positive and negative distances
    :math:`PDA_{ij} = \max(0, \pm(x_{ij} - AV_j)) / |AV_j|` (sign by direction) and their
    weighted sums :math:`SP_i`, :math:`SN_i`,

    .. math:: AS_i = \tfrac12 \left(\frac{SP_i}{\max_k SP_k}
              + 1 - \frac{SN_i}{\max_k SN_k}\right).

    Parameters
    ----------
    values : array_like, shape (m, n)
        Finite raw values; no column may average 0 (dividing by :math:`|AV_j|` extends the
        paper's positive data to negative averages).
    weights : array_like, shape (n,)
        Non-negative weights; rescaled to sum to 1 (with a warning when they did not).
    is_benefit : array_like of bool, shape (n,), optional
        ``True`` for benefit criteria. Default: all benefit.

    Returns
    -------
    numpy.ndarray
        Appraisal scores in [0, 1], shape (m,); higher is better.

    Raises
    ------
    gridgov.errors.ScoringError
        Fewer than two alternatives or a column averaging 0.

    References
    ----------
    .. [1] Keshavarz Ghorabaee, M., Zavadskas, E. K., Olfat, L., Turskis, Z. (2015).
       Multi-criteria inventory classification using a new method of evaluation based on
       distance from average solution (EDAS). *Informatica* 26(3), 435-451.

    Examples
    --------
    >>> from gridgov.scoring import edas
    >>> edas([[1.0, 3.0], [3.0, 1.0], [2.0, 2.0]], [0.7, 0.3]).round(4)
    array([0.2143, 0.7857, 0.5   ])
    """
    x, w, b = as_inputs(values, weights, is_benefit)
    return _compute(x, w, b).scores


class Edas(BuiltinScorer):
    """EDAS scorer (``"edas"``); see :func:`edas`.

    Notes
    -----
    Contributions are ``w_j`` times the signed relative distance from the average
    (positive parts sum to ``SP``, negative parts to ``-SN``); ``details`` hold ``SP``,
    ``SN``, ``NSP``, ``NSN`` per alternative and ``average`` per criterion.

    Examples
    --------
    >>> from gridgov.scoring import CriteriaTable, Edas
    >>> t = CriteriaTable([[1, 3], [3, 1]], ["A", "B"], ["x", "y"], "benefit")
    >>> Edas().score(t).details["SP"]
    array([0.25, 0.25])
    """

    __slots__ = ()
    name: str = _NAME
    higher_is_better: bool = True
    contribution_meaning = (
        "w * signed distance from the average / |average|",
        "w × 与平均解的相对距离（带符号）",
    )

    @property
    def params(self) -> dict[str, Any]:
        """Parameters of this scorer (none)."""
        return {}

    def _run(self, table: CriteriaTable) -> tuple[Computed, dict[str, Any]]:
        x, w, b = table.values, table.weights, table.is_benefit
        return _compute(x, w, b, table.criteria), self.params
