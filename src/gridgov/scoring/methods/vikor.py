"""VIKOR: compromise ranking by group utility S, individual regret R and their blend Q."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from gridgov.errors import ScoringError
from gridgov.scoring._checks import (
    FloatArray,
    as_inputs,
    constant_columns,
    finite_scores,
    names_or_columns,
    require_alternatives,
    warn_identical,
)
from gridgov.scoring._result import Computed
from gridgov.scoring._table import CriteriaTable, DegenerateDataWarning, pow2_scale, warn
from gridgov.scoring.methods._base import BuiltinScorer

__all__ = ["Vikor", "vikor"]

_NAME = "vikor"
_TOL = 1e-12


def _check_v(v: float) -> float:
    if not (isinstance(v, int | float) and math.isfinite(v) and 0.0 <= v <= 1.0):
        raise ScoringError(f"vikor: v must be a number in [0, 1], got {v!r}")
    return float(v)


def _scaled(values: FloatArray, label: str, problems: list[str]) -> FloatArray:
    lo, hi = float(values.min()), float(values.max())
    if hi - lo <= _TOL * max(1.0, abs(hi)):
        problems.append(f"every alternative has the same {label}, so its term of Q is set to 0")
        return np.zeros_like(values)
    result: FloatArray = (values - lo) / (hi - lo)
    return result


def _compromise(
    q: FloatArray, s: FloatArray, r: FloatArray
) -> tuple[npt.NDArray[np.bool_], bool, bool]:
    m = q.size
    order = np.argsort(q, kind="stable")
    first = int(order[0])
    dq = 1.0 / (m - 1)
    tol = 1e-9
    advantage = bool(q[order[1]] - q[first] >= dq - tol)
    stability = bool(s[first] <= s.min() + tol or r[first] <= r.min() + tol)
    members = np.zeros(m, dtype=bool)
    if not advantage:
        members[q - q[first] < dq - tol] = True
    elif not stability:
        members[order[:2]] = True
    else:
        members[first] = True
    return members, advantage, stability


def _compute(
    x: FloatArray,
    w: FloatArray,
    b: npt.NDArray[np.bool_],
    v: float,
    criteria: Sequence[str] | None = None,
) -> Computed:
    m, n = x.shape
    require_alternatives(m, _NAME)
    constant = constant_columns(x)
    x = pow2_scale(x, axis=0)  # exact; keeps best - worst finite near the float limits
    best = np.where(b, x.max(axis=0), x.min(axis=0))
    worst = np.where(b, x.min(axis=0), x.max(axis=0))
    span = best - worst
    weighted = w > 0
    if constant[weighted].all():
        warn_identical(_NAME, "S = R = Q = 0 for all, and all are in the compromise set")
        zeros = np.zeros(m)
        details: dict[str, npt.NDArray[Any]] = {
            "S": zeros,
            "R": zeros,
            "Q": zeros,
            "compromise_set": np.ones(m, dtype=bool),
            "acceptable_advantage": np.array(False),
            "acceptable_stability": np.array(True),
        }
        return Computed(zeros, np.ones((m, n)), np.zeros((m, n)), details)
    problems: list[str] = []
    if (constant & weighted).any():
        names = names_or_columns(n, criteria)
        listed = ", ".join(repr(names[int(j)]) for j in np.flatnonzero(constant & weighted))
        problems.append(f"criterion {listed} does not vary, so its regret is set to 0")
    regret = (best - x) / np.where(constant, 1.0, span)
    regret[:, constant] = 0.0
    terms = w * regret
    s = terms.sum(axis=1)
    r = terms.max(axis=1)
    q = v * _scaled(s, "S", problems) + (1.0 - v) * _scaled(r, "R", problems)
    if problems:
        warn(f"{_NAME}: " + "; ".join(problems), DegenerateDataWarning)
    members, advantage, stability = _compromise(q, s, r)
    details = {
        "S": s,
        "R": r,
        "Q": q,
        "compromise_set": members,
        "acceptable_advantage": np.array(advantage),
        "acceptable_stability": np.array(stability),
    }
    return Computed(finite_scores(q, _NAME), 1.0 - regret, terms, details)


def vikor(
    values: npt.ArrayLike,
    weights: npt.ArrayLike,
    is_benefit: npt.ArrayLike | None = None,
    *,
    v: float = 0.5,
) -> FloatArray:
    r"""Return the VIKOR compromise index :math:`Q` (lower is better).

    With best :math:`f^*_j` and worst :math:`f^-_j` values per criterion (max/min for benefits,
    min/max for costs):

    .. math::

        S_i = \sum_j w_j \frac{f^*_j - f_{ij}}{f^*_j - f^-_j}, \quad
        R_i = \max_j w_j \frac{f^*_j - f_{ij}}{f^*_j - f^-_j},

        Q_i = v \frac{S_i - S^*}{S^- - S^*} + (1 - v) \frac{R_i - R^*}{R^- - R^*}

    with :math:`S^* = \min S`, :math:`S^- = \max S` (likewise for R). The compromise set (in
    :class:`Vikor` results) follows Opricovic & Tzeng (2004): the best alternative by Q, a',
    is the compromise alone if it has an *acceptable advantage*
    (:math:`Q(a'') - Q(a') \ge DQ = 1/(m-1)`, a'' second by Q) and *acceptable stability* (a'
    is also best by S or by R); with only stability failing the set is {a', a''}; without the
    advantage it is every alternative whose Q is within DQ of Q(a').

    Parameters
    ----------
    values : array_like, shape (m, n)
        Finite raw values, alternatives in rows.
    weights : array_like, shape (n,)
        Non-negative weights; rescaled to sum to 1 (with a ``WeightsNormalisedWarning`` when
        they did not).
    is_benefit : array_like of bool, shape (n,), optional
        ``True`` for benefit criteria. Default: all benefit.
    v : float, default 0.5
        Weight of the "majority of criteria" strategy (group utility S) against the individual
        regret R; 0.5 is the consensus value of Opricovic & Tzeng.

    Returns
    -------
    numpy.ndarray
        Q in [0, 1], shape (m,); **lower is better**.

    Raises
    ------
    gridgov.errors.ScoringError
        Fewer than two alternatives, non-finite input, or ``v`` outside [0, 1].

    Warns
    -----
    DegenerateDataWarning
        A constant criterion (its regret is 0 for all), all S or all R equal (that term of Q is
        0), or all alternatives identical (Q = 0 for all).

    See Also
    --------
    Vikor : the scorer class; ``details`` hold ``S``, ``R``, ``Q``, ``compromise_set`` (bool
        mask), ``acceptable_advantage``, ``acceptable_stability``.

    References
    ----------
    .. [1] Opricovic, S., Tzeng, G.-H. (2004). Compromise solution by MCDM methods: a
       comparative analysis of VIKOR and TOPSIS. *European Journal of Operational Research*
       156(2), 445-455.
    .. [2] Opricovic, S., Tzeng, G.-H. (2007). Extended VIKOR method in comparison with
       outranking methods. *European Journal of Operational Research* 178(2), 514-529.

    Examples
    --------
    Opricovic & Tzeng (2004), section 5 (risk is a cost, altitude a benefit):

    >>> from gridgov.scoring import vikor
    >>> vikor([[1, 3000], [2, 3750], [5, 4500]], [0.5, 0.5], [False, True])
    array([1., 0., 1.])
    """
    x, w, b = as_inputs(values, weights, is_benefit)
    return _compute(x, w, b, _check_v(v)).scores


class Vikor(BuiltinScorer):
    """VIKOR scorer (``"vikor"``, lower Q is better); see :func:`vikor`.

    Parameters
    ----------
    v : float, default 0.5
        Weight of the group-utility strategy; recorded in ``result.params``.

    Notes
    -----
    ``normalised`` is the linear normalisation ``(f - f^-) / (f^* - f^-)`` (1 = best);
    contributions are the weighted regrets ``w_j (f^*_j - f_ij) / (f^*_j - f^-_j)``, which sum
    to ``S`` and whose maximum is ``R`` (lower is better).

    Examples
    --------
    >>> from gridgov.scoring import CriteriaTable, Vikor
    >>> t = CriteriaTable([[1, 3000], [2, 3750], [5, 4500]], ["A1", "A2", "A3"],
    ...                   ["risk", "altitude"], ["cost", "benefit"])
    >>> r = Vikor().score(t)
    >>> r.details["S"], r.details["compromise_set"]
    (array([0.5  , 0.375, 0.5  ]), array([False,  True, False]))
    """

    __slots__ = ("_v",)
    name: str = _NAME
    higher_is_better: bool = False
    contribution_meaning = (
        "weighted regret w*(f*-f)/(f*-f-) (sums to S; lower is better)",
        "加权遗憾 w×(f*−f)/(f*−f−)（合计即 S，越低越好）",
    )

    def __init__(self, *, v: float = 0.5) -> None:
        self._v = _check_v(v)

    @property
    def params(self) -> dict[str, Any]:
        """Parameters of this scorer."""
        return {"v": self._v}

    def _run(self, table: CriteriaTable) -> tuple[Computed, dict[str, Any]]:
        x, w, b = table.values, table.weights, table.is_benefit
        return _compute(x, w, b, self._v, table.criteria), self.params
