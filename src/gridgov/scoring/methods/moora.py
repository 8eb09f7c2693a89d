"""MOORA: multi-objective optimisation by ratio analysis (Brauers & Zavadskas 2006)."""

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

__all__ = ["Moora", "moora"]

_NAME = "moora"


def ratios(x: FloatArray, criteria: Sequence[str] | None) -> FloatArray:
    """Brauers' ratios ``x / ||x||_2`` per column (no direction flip); zero columns raise."""
    x = np.asfortranarray(x)
    norm = np.sqrt(np.einsum("ij,ij->j", x, x))
    zero = np.flatnonzero(norm == 0)
    if zero.size:
        names = names_or_columns(x.shape[1], criteria)
        listed = ", ".join(repr(names[int(j)]) for j in zero)
        raise ScoringError(f"moora: criterion {listed} is all zeros (its Euclidean norm is 0)")
    result: FloatArray = x / norm
    return result


def _compute(
    x: FloatArray,
    w: FloatArray,
    b: npt.NDArray[np.bool_],
    criteria: Sequence[str] | None = None,
) -> Computed:
    require_alternatives(x.shape[0], _NAME)
    r = ratios(x, criteria)
    if Columns(x).constant[w > 0].all():
        warn_identical(_NAME, "every alternative gets the same score and rank 1")
    signed = np.where(b, w, -w)
    contributions = r * signed
    scores = weighted_rows(r, signed)
    return Computed(scores, r, contributions, {})


def moora(
    values: npt.ArrayLike,
    weights: npt.ArrayLike,
    is_benefit: npt.ArrayLike | None = None,
) -> FloatArray:
    r"""Score alternatives by the MOORA ratio system.

    With Brauers' ratios :math:`r_{ij} = x_{ij} / \sqrt{\sum_k x_{kj}^2}` (no flip),

    .. math:: y_i = \sum_{j \in \text{benefit}} w_j r_{ij} - \sum_{j \in \text{cost}} w_j r_{ij}.

    Parameters
    ----------
    values : array_like, shape (m, n)
        Finite raw values; no all-zero column.
    weights : array_like, shape (n,)
        Non-negative weights; rescaled to sum to 1 (with a warning when they did not).
    is_benefit : array_like of bool, shape (n,), optional
        ``True`` for benefit criteria. Default: all benefit.

    Returns
    -------
    numpy.ndarray
        Ratio-system scores ``y``, shape (m,); higher is better.

    Raises
    ------
    gridgov.errors.ScoringError
        Fewer than two alternatives or an all-zero column.

    See Also
    --------
    multimoora : ratio system, reference point and full multiplicative form together.

    References
    ----------
    .. [1] Brauers, W. K. M., Zavadskas, E. K. (2006). The MOORA method and its application
       to privatization in a transition economy. *Control and Cybernetics* 35(2), 445-469.

    Examples
    --------
    >>> from gridgov.scoring import moora
    >>> moora([[3.0, 4.0], [4.0, 3.0]], [0.5, 0.5], [True, False]).round(4)
    array([-0.1,  0.1])
    """
    x, w, b = as_inputs(values, weights, is_benefit)
    return _compute(x, w, b).scores


class Moora(BuiltinScorer):
    """MOORA ratio-system scorer (``"moora"``); see :func:`moora`.

    Notes
    -----
    Contributions are ``+w_j r_ij`` for benefits and ``-w_j r_ij`` for costs; they sum to
    the score.

    Examples
    --------
    >>> from gridgov.scoring import CriteriaTable, Moora
    >>> t = CriteriaTable([[3, 4], [4, 3]], ["A", "B"], ["x", "y"], ["benefit", "cost"])
    >>> Moora().score(t).ranking
    array([2, 1])
    """

    __slots__ = ()
    name: str = _NAME
    higher_is_better: bool = True
    contribution_meaning = (
        "+w*r for benefits, -w*r for costs (sums to the score)",
        "效益型 +w×r，成本型 -w×r（之和为得分）",
    )

    @property
    def params(self) -> dict[str, Any]:
        """Parameters of this scorer (none)."""
        return {}

    def _run(self, table: CriteriaTable) -> tuple[Computed, dict[str, Any]]:
        x, w, b = table.values, table.weights, table.is_benefit
        return _compute(x, w, b, table.criteria), self.params
