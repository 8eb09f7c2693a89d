"""The best-worst method (BWM), linear model (re-exported by :mod:`.weights`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from gridgov.errors import ScoringError, missing_extra

if TYPE_CHECKING:  # pragma: no cover - weights.py re-exports this module: import it lazily
    from gridgov.scoring.weights import WeightSet

__all__ = ["BWMResult", "bwm"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class BWMResult:
    r"""Weights of the best-worst method, with their consistency.

    Attributes
    ----------
    weights : WeightSet
        ``method="bwm"``; ``params`` hold the best and worst criteria and the model.
    xi : float
        Optimal :math:`\xi^L` of the linear model: the largest deviation
        :math:`|w_B - a_{Bj} w_j|` or :math:`|w_j - a_{jW} w_W|` left (0 = fully consistent).
    consistency_ratio : float
        Liang, Brunelli & Rezaei's (2020) input-based ratio
        :math:`\max_j |a_{Bj} a_{jW} - a_{BW}| / (a_{BW}^2 - a_{BW})` (0 when
        :math:`a_{BW} = 1`), computable from the judgements alone.
    consistent_pairs : tuple of str
        The criteria whose judgements are consistent (``a_Bj * a_jW == a_BW``).
    """

    weights: WeightSet
    xi: float
    consistency_ratio: float
    consistent_pairs: tuple[str, ...]


def _vector(
    name: str, values: Sequence[float] | Mapping[str, float], names: tuple[str, ...]
) -> FloatArray:
    if isinstance(values, Mapping):
        missing = [c for c in names if c not in values]
        if missing:
            raise ScoringError(f"bwm: {name} has no judgement for {missing}")
        a = np.array([float(values[c]) for c in names])
    else:
        a = np.asarray(values, dtype=np.float64)
    if a.shape != (len(names),) or not np.isfinite(a).all() or (a < 1).any():
        raise ScoringError(
            f"bwm: {name} needs one judgement >= 1 per criterion ({len(names)}), got "
            f"{np.asarray(a).tolist()}"
        )
    result: FloatArray = a
    return result


def bwm(
    best_to_others: Sequence[float] | Mapping[str, float],
    others_to_worst: Sequence[float] | Mapping[str, float],
    criteria: Sequence[str] | None = None,
) -> BWMResult:
    r"""Weights by the best-worst method, solving Rezaei's (2016) linear model.

    The decision maker names the best criterion :math:`B` and the worst :math:`W` and gives
    :math:`a_{Bj}` (how much :math:`B` is preferred to each :math:`j`, 1-9) and
    :math:`a_{jW}` (how much each :math:`j` is preferred to :math:`W`). The weights solve

    .. math:: \min \xi \ \text{s.t.}\ |w_B - a_{Bj} w_j| \le \xi,\
              |w_j - a_{jW} w_W| \le \xi,\ \sum_j w_j = 1,\ w \ge 0,

    a linear programme solved by scipy's HiGHS (``gridgov[graph]``); unlike the nonlinear
    model of Rezaei (2015) its optimum is unique.

    Parameters
    ----------
    best_to_others : sequence or mapping of float
        :math:`a_{Bj}`; the best criterion's own entry is 1 (the one entry equal to 1 picks
        it when several are 1, the first is used).
    others_to_worst : sequence or mapping of float
        :math:`a_{jW}`; the worst criterion's own entry is 1.
    criteria : sequence of str, optional
        Names (default the mapping's keys or ``C1 … Cn``).

    Returns
    -------
    BWMResult

    Raises
    ------
    gridgov.errors.ScoringError
        Judgements below 1, lengths that differ, or no entry equal to 1 in either vector.
    gridgov.errors.MissingExtraError
        Without scipy.

    References
    ----------
    .. [1] Rezaei, J. (2015). Best-worst multi-criteria decision-making method. *Omega* 53,
       49-57.
    .. [2] Rezaei, J. (2016). Best-worst multi-criteria decision-making method: some
       properties and a linear model. *Omega* 64, 126-130.
    .. [3] Liang, F., Brunelli, M., Rezaei, J. (2020). Consistency issues in the best worst
       method: measurements and thresholds. *Omega* 96, 102175.

    Examples
    --------
    >>> from gridgov.scoring.weights import bwm
    >>> r = bwm([8, 2, 1], [1, 5, 8], ["price", "quality", "safety"])
    >>> r.weights.weights.round(4), round(r.xi, 4), round(r.consistency_ratio, 4)
    (array([0.0714, 0.3214, 0.6071]), 0.0357, 0.0357)
    """
    from gridgov.scoring.weights import WeightSet, _default_names

    if criteria is not None:
        names = tuple(str(c) for c in criteria)
    elif isinstance(best_to_others, Mapping):
        names = tuple(str(k) for k in best_to_others)
    else:
        names = _default_names(len(best_to_others))
    n = len(names)
    if n < 2:
        raise ScoringError("bwm needs at least two criteria")
    a_b = _vector("best_to_others", best_to_others, names)
    a_w = _vector("others_to_worst", others_to_worst, names)
    ones_b = np.flatnonzero(a_b == 1)
    ones_w = np.flatnonzero(a_w == 1)
    if not ones_b.size or not ones_w.size:
        raise ScoringError(
            "bwm: the best criterion's entry in best_to_others and the worst criterion's "
            "entry in others_to_worst must be 1"
        )
    best, worst = int(ones_b[0]), int(ones_w[0])
    try:
        from scipy.optimize import linprog
    except ImportError:
        raise missing_extra("scipy", "graph", "best-worst method weights") from None
    rows = []
    for j in range(n):
        for sign in (1.0, -1.0):
            r = np.zeros(n + 1)
            r[best] += sign
            r[j] -= sign * a_b[j]
            r[-1] = -1.0
            rows.append(r)
            r = np.zeros(n + 1)
            r[j] += sign
            r[worst] -= sign * a_w[j]
            r[-1] = -1.0
            rows.append(r)
    cost = np.zeros(n + 1)
    cost[-1] = 1.0
    solution = linprog(
        cost,
        A_ub=np.array(rows),
        b_ub=np.zeros(len(rows)),
        A_eq=np.r_[np.ones(n), 0.0].reshape(1, -1),
        b_eq=[1.0],
        bounds=[(0, None)] * (n + 1),
        method="highs",
    )
    if not solution.success:  # pragma: no cover - the programme is always feasible
        raise ScoringError(f"bwm: the linear programme failed: {solution.message}")
    w = np.maximum(solution.x[:n], 0.0)
    xi = float(solution.x[-1])
    a_bw = a_b[worst]
    gap = np.abs(a_b * a_w - a_bw)
    cr = float(gap.max() / (a_bw * a_bw - a_bw)) if a_bw > 1 else 0.0
    result = WeightSet(
        weights=w,
        criteria=names,
        method="bwm",
        params={"best": names[best], "worst": names[worst], "model": "linear"},
        details={"best_to_others": a_b, "others_to_worst": a_w},
    )
    consistent = tuple(names[j] for j in np.flatnonzero(gap == 0))
    return BWMResult(weights=result, xi=xi, consistency_ratio=cr, consistent_pairs=consistent)
