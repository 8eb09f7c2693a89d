"""WASPAS: the weighted aggregated sum product assessment (Zavadskas et al. 2012)."""

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
from gridgov.scoring.methods.weighted_product import _product

__all__ = ["Waspas", "waspas"]

_NAME = "waspas"


def _check_lam(lam: float) -> float:
    value = float(lam)
    if not 0.0 <= value <= 1.0:
        raise ScoringError(f"waspas: lam must be in [0, 1], got {lam!r}")
    return value


def _compute(
    x: FloatArray,
    w: FloatArray,
    b: npt.NDArray[np.bool_],
    normalisation: str,
    lam: float,
    *,
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
            f"{names[int(negative[0])]!r}; the weighted product part needs values >= 0"
        )
    contributions = r * w
    wsm = weighted_rows(r, w)
    wpm = _product(r, w)
    scores = lam * wsm + (1.0 - lam) * wpm
    return Computed(scores, r, contributions, {"wsm": wsm, "wpm": wpm})


def waspas(
    values: npt.ArrayLike,
    weights: npt.ArrayLike,
    is_benefit: npt.ArrayLike | None = None,
    *,
    lam: float = 0.5,
    normalisation: str = "max",
) -> FloatArray:
    r"""Score alternatives by WASPAS, a blend of the weighted sum and the weighted product.

    .. math:: Q_i = \lambda \sum_j w_j r_{ij} + (1 - \lambda) \prod_j r_{ij}^{\,w_j}

    Parameters
    ----------
    values : array_like, shape (m, n)
        Finite raw values, alternatives in rows.
    weights : array_like, shape (n,)
        Non-negative weights; rescaled to sum to 1 (with a warning when they did not).
    is_benefit : array_like of bool, shape (n,), optional
        ``True`` for benefit criteria. Default: all benefit.
    lam : float, default 0.5
        Share of the weighted sum, in [0, 1]; 1 is WSM, 0 is WPM.
    normalisation : {"max", "sum", "minmax", "vector"}, default "max"
        Zavadskas et al.'s linear normalisation ``x / max`` and ``min / x`` by default.

    Returns
    -------
    numpy.ndarray
        Joint criterion ``Q``, shape (m,); higher is better.

    Raises
    ------
    gridgov.errors.ScoringError
        Fewer than two alternatives, ``lam`` outside [0, 1], or data the normalisation
        cannot handle.

    References
    ----------
    .. [1] Zavadskas, E. K., Turskis, Z., Antucheviciene, J., Zakarevicius, A. (2012).
       Optimization of weighted aggregated sum product assessment. *Elektronika ir
       Elektrotechnika* 122(6), 3-6.
    .. [2] Chakraborty, S., Zavadskas, E. K., Antucheviciene, J. (2015). Applications of
       WASPAS method as a multi-criteria decision-making tool. *Economic Computation and
       Economic Cybernetics Studies and Research* 49(1), 5-22.

    Examples
    --------
    >>> from gridgov.scoring import waspas
    >>> waspas([[1.0, 4.0], [2.0, 3.0]], [0.5, 0.5]).round(4)
    array([0.7286, 0.8705])
    """
    x, w, b = as_inputs(values, weights, is_benefit)
    return _compute(x, w, b, check_normalisation(normalisation), _check_lam(lam)).scores


class Waspas(BuiltinScorer):
    """WASPAS scorer (``"waspas"``); see :func:`waspas`.

    Parameters
    ----------
    lam : float, default 0.5
        Share of the weighted sum; recorded in ``result.params``.
    normalisation : {"max", "sum", "minmax", "vector"}, default "max"
        Recorded in ``result.params``.

    Notes
    -----
    Contributions are ``w_j * r_ij`` (they sum to the ``wsm`` detail); ``details`` hold
    ``wsm`` and ``wpm`` per alternative.

    Examples
    --------
    >>> from gridgov.scoring import CriteriaTable, Waspas
    >>> t = CriteriaTable([[1, 4], [2, 2]], ["A", "B"], ["x", "y"], "benefit")
    >>> Waspas(lam=1.0).score(t).details["wsm"]
    array([0.75, 0.75])
    """

    __slots__ = ("_lam", "_normalisation")
    name: str = _NAME
    higher_is_better: bool = True
    contribution_meaning = (
        "weighted normalised value w*r (the sum part)",
        "加权标准化值 w×r（加和部分）",
    )

    def __init__(self, *, lam: float = 0.5, normalisation: str = "max") -> None:
        self._lam = _check_lam(lam)
        self._normalisation = check_normalisation(normalisation)

    @property
    def params(self) -> dict[str, Any]:
        """Parameters of this scorer."""
        return {"lam": self._lam, "normalisation": self._normalisation}

    def _run(self, table: CriteriaTable) -> tuple[Computed, dict[str, Any]]:
        x, w, b = table.values, table.weights, table.is_benefit
        computed = _compute(x, w, b, self._normalisation, self._lam, criteria=table.criteria)
        return computed, self.params
