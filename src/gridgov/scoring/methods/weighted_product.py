"""WPM: the weighted product model (Bridgman 1922; Miller & Starr 1969)."""

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
from gridgov.scoring._normalise import check_normalisation, warn_constant
from gridgov.scoring._result import Computed
from gridgov.scoring._table import CriteriaTable
from gridgov.scoring.methods._base import BuiltinScorer
from gridgov.scoring.methods._columns import Columns, normalise, weighted_rows

__all__ = ["WeightedProduct", "weighted_product"]

_NAME = "weighted_product"


def _product(r: FloatArray, w: FloatArray) -> FloatArray:
    """Return ``prod_j r_ij ** w_j`` row by row, through logarithms (no underflow)."""
    with np.errstate(divide="ignore"):
        logs = np.log(r)
    used = w > 0
    # 0 ** 0 == 1: a zero value on a zero-weight criterion does not count
    total = weighted_rows(logs[:, used], w[used])
    result: FloatArray = np.exp(total)
    return result


def _compute(
    x: FloatArray,
    w: FloatArray,
    b: npt.NDArray[np.bool_],
    normalisation: str,
    criteria: Sequence[str] | None = None,
) -> Computed:
    require_alternatives(x.shape[0], _NAME)
    cols = Columns(x)
    r, constant = normalise(cols, b, normalisation, criteria)
    if cols.constant[w > 0].all():
        warn_identical(_NAME, "every alternative gets the same score and rank 1")
    elif normalisation == "minmax":
        warn_constant(constant & (w > 0), criteria, "minmax normalisation set it to 1.0 for all")
    negative = np.flatnonzero(((r < 0).any(axis=0)) & (w > 0))
    if negative.size:
        names = criteria if criteria is not None else [f"column {j}" for j in range(x.shape[1])]
        raise ScoringError(
            f"{_NAME}: {normalisation} normalisation gives negative values on criterion "
            f"{names[int(negative[0])]!r}; a weighted product needs values >= 0"
        )
    scores = _product(r, w)
    with np.errstate(divide="ignore"):
        contributions = np.log(r) * w
    contributions[:, w == 0] = 0.0
    return Computed(scores, r, contributions, {})


def weighted_product(
    values: npt.ArrayLike,
    weights: npt.ArrayLike,
    is_benefit: npt.ArrayLike | None = None,
    *,
    normalisation: str = "sum",
) -> FloatArray:
    r"""Score alternatives by the weighted product of their normalised values (WPM).

    .. math:: P_i = \prod_j r_{ij}^{\,w_j}

    computed as :math:`\exp \sum_j w_j \ln r_{ij}`, so a hundred thousand rows neither
    underflow nor overflow. With ``"sum"`` or ``"max"`` normalisation the ratio
    :math:`P_a / P_b` is Bridgman's dimensionless comparison
    :math:`\prod_j (x_{aj} / x_{bj})^{w_j}` (costs inverted).

    Parameters
    ----------
    values : array_like, shape (m, n)
        Finite raw values, alternatives in rows.
    weights : array_like, shape (n,)
        Non-negative weights; rescaled to sum to 1 (with a warning when they did not).
    is_benefit : array_like of bool, shape (n,), optional
        ``True`` for benefit criteria. Default: all benefit.
    normalisation : {"sum", "max", "minmax", "vector"}, default "sum"
        As in pymcdm; ``"sum"`` and ``"max"`` keep Bridgman's ratios exactly. A zero
        normalised value (``minmax`` worst) makes the product 0.

    Returns
    -------
    numpy.ndarray
        Products in [0, 1], shape (m,); higher is better.

    Raises
    ------
    gridgov.errors.ScoringError
        Fewer than two alternatives, non-finite input, or data the normalisation cannot handle.

    References
    ----------
    .. [1] Bridgman, P. W. (1922). *Dimensional Analysis*. Yale University Press.
    .. [2] Triantaphyllou, E. (2000). *Multi-Criteria Decision Making Methods: A Comparative
       Study*, section 2.2.2. Kluwer.

    Examples
    --------
    >>> from gridgov.scoring import weighted_product
    >>> p = weighted_product([[25, 20, 15, 30], [10, 30, 20, 30], [30, 10, 30, 10]],
    ...                      [0.20, 0.15, 0.40, 0.25])
    >>> round(float(p[0] / p[1]), 3)  # Triantaphyllou (2000): R(A1/A2) = 1.007
    1.007
    """
    x, w, b = as_inputs(values, weights, is_benefit)
    return _compute(x, w, b, check_normalisation(normalisation)).scores


class WeightedProduct(BuiltinScorer):
    """Weighted product model scorer (``"weighted_product"``); see :func:`weighted_product`.

    Parameters
    ----------
    normalisation : {"sum", "max", "minmax", "vector"}, default "sum"
        Recorded in ``result.params``.

    Notes
    -----
    Contributions are ``w_j * ln r_ij``; they sum to ``ln P_i``.

    Examples
    --------
    >>> from gridgov.scoring import CriteriaTable, WeightedProduct
    >>> t = CriteriaTable([[1, 4], [4, 1], [2, 2]], ["A", "B", "C"], ["x", "y"], "benefit")
    >>> WeightedProduct().score(t).scores.round(4)
    array([0.2857, 0.2857, 0.2857])
    """

    __slots__ = ("_normalisation",)
    name: str = _NAME
    higher_is_better: bool = True
    contribution_meaning = (
        "w * ln r (sums to the log of the product)",
        "w × ln r（之和为乘积的对数）",
    )

    def __init__(self, *, normalisation: str = "sum") -> None:
        self._normalisation = check_normalisation(normalisation)

    @property
    def params(self) -> dict[str, Any]:
        """Parameters of this scorer."""
        return {"normalisation": self._normalisation}

    def _run(self, table: CriteriaTable) -> tuple[Computed, dict[str, Any]]:
        x, w, b = table.values, table.weights, table.is_benefit
        return _compute(x, w, b, self._normalisation, table.criteria), self.params
