"""ELECTRE I: outranking by concordance and discordance, with its kernel (Roy 1968)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from gridgov.errors import ScoringError
from gridgov.scoring._checks import (
    FloatArray,
    as_inputs,
    constant_columns,
    require_alternatives,
    warn_identical,
)
from gridgov.scoring._result import Computed
from gridgov.scoring._table import CriteriaTable
from gridgov.scoring.methods._base import BuiltinScorer
from gridgov.scoring.methods._outranking import kernel

__all__ = ["ElectreI", "electre_i"]

_NAME = "electre_i"


def _check_threshold(name: str, value: float) -> float:
    v = float(value)
    if not 0.0 <= v <= 1.0:
        raise ScoringError(f"electre_i: {name} must be in [0, 1], got {value!r}")
    return v


def concordance_discordance(
    x: FloatArray, w: FloatArray, b: npt.NDArray[np.bool_]
) -> tuple[FloatArray, FloatArray]:
    """Return the (m, m) concordance and discordance matrices of ELECTRE I."""
    g = np.where(b, x, -x)  # every criterion "higher is better"
    span = g.max(axis=0) - g.min(axis=0)
    scale = np.where(span > 0, span, 1.0)
    m = g.shape[0]
    c = np.empty((m, m))
    d = np.empty((m, m))
    used = w > 0
    for i in range(m):
        diff = g[i] - g  # (m, n): a_i against every b
        c[i] = (diff >= 0) @ w
        d[i] = (np.maximum(-diff[:, used], 0.0) / scale[used]).max(axis=1, initial=0.0)
    np.fill_diagonal(c, 1.0)
    np.fill_diagonal(d, 0.0)
    return c, d


def _compute(
    x: FloatArray,
    w: FloatArray,
    b: npt.NDArray[np.bool_],
    c_hat: float,
    d_hat: float,
    *,
    criteria: Sequence[str] | None = None,
) -> Computed:
    m = x.shape[0]
    require_alternatives(m, _NAME)
    if constant_columns(x)[w > 0].all():
        warn_identical(_NAME, "every alternative outranks every other and all tie at rank 1")
    c, d = concordance_discordance(x, w, b)
    outranks = (c >= c_hat - 1e-12) & (d <= d_hat + 1e-12)
    np.fill_diagonal(outranks, False)
    out_degree = outranks.sum(axis=1)
    in_degree = outranks.sum(axis=0)
    scores = (out_degree - in_degree).astype(np.float64)
    details = {
        "concordance": c,
        "discordance": d,
        "outranking": outranks,
        "kernel": kernel(outranks),
    }
    return Computed(scores, None, None, details)


def electre_i(
    values: npt.ArrayLike,
    weights: npt.ArrayLike,
    is_benefit: npt.ArrayLike | None = None,
    *,
    c_hat: float = 0.7,
    d_hat: float = 0.3,
) -> FloatArray:
    r"""Score alternatives by ELECTRE I: how many they outrank minus how many outrank them.

    With every criterion made "higher is better" and weights summing to 1, the concordance
    :math:`C(a, b) = \sum_{j: g_j(a) \ge g_j(b)} w_j` and the discordance
    :math:`D(a, b) = \max_j (g_j(b) - g_j(a))^+ / (\max g_j - \min g_j)`;
    :math:`a` outranks :math:`b` when :math:`C(a, b) \ge \hat c` and
    :math:`D(a, b) \le \hat d`. The kernel (the choice set ELECTRE I was made for; cycles
    merged first) is in the scorer's ``details``. Pairwise: O(m² n) time, O(m²) memory.

    The discordance scales by each criterion's range in the table, so improving one
    alternative can widen a range and change how the others compare with each other: the
    net count is not monotone in the conformance kit's sense.

    Parameters
    ----------
    values : array_like, shape (m, n)
        Finite raw values.
    weights : array_like, shape (n,)
        Non-negative weights; rescaled to sum to 1.
    is_benefit : array_like of bool, shape (n,), optional
        ``True`` for benefit criteria. Default: all benefit.
    c_hat : float, default 0.7
        Concordance threshold in [0, 1].
    d_hat : float, default 0.3
        Discordance threshold in [0, 1].

    Returns
    -------
    numpy.ndarray
        Net outranking counts (out-degree minus in-degree), shape (m,); higher is better.

    Raises
    ------
    gridgov.errors.ScoringError
        Fewer than two alternatives or thresholds outside [0, 1].

    References
    ----------
    .. [1] Roy, B. (1968). Classement et choix en présence de points de vue multiples (la
       méthode ELECTRE). *RIRO* 2(8), 57-75.
    .. [2] Figueira, J., Mousseau, V., Roy, B. (2005). ELECTRE methods. In *Multiple
       Criteria Decision Analysis: State of the Art Surveys*, 133-153. Springer.

    Examples
    --------
    >>> from gridgov.scoring import electre_i
    >>> electre_i([[3.0, 3.0], [2.0, 2.0], [1.0, 3.0]], [0.5, 0.5])
    array([ 2., -1., -1.])
    """
    x, w, b = as_inputs(values, weights, is_benefit)
    c_hat = _check_threshold("c_hat", c_hat)
    return _compute(x, w, b, c_hat, _check_threshold("d_hat", d_hat)).scores


class ElectreI(BuiltinScorer):
    """ELECTRE I scorer (``"electre_i"``); see :func:`electre_i`.

    Parameters
    ----------
    c_hat, d_hat : float, default 0.7 and 0.3
        Concordance and discordance thresholds; recorded in ``result.params``.

    Notes
    -----
    ``details`` hold the (m, m) ``concordance``, ``discordance`` and boolean
    ``outranking`` matrices and the boolean ``kernel`` per alternative.

    Examples
    --------
    >>> from gridgov.scoring import CriteriaTable, ElectreI
    >>> t = CriteriaTable([[3, 3], [2, 2], [1, 3]], ["A", "B", "C"], ["x", "y"], "benefit")
    >>> ElectreI().score(t).details["kernel"]
    array([ True, False, False])
    """

    __slots__ = ("_c_hat", "_d_hat")
    name: str = _NAME
    higher_is_better: bool = True
    contribution_meaning = ("(none: outranking is not additive)", "（无：级别高于关系非加性）")

    def __init__(self, *, c_hat: float = 0.7, d_hat: float = 0.3) -> None:
        self._c_hat = _check_threshold("c_hat", c_hat)
        self._d_hat = _check_threshold("d_hat", d_hat)

    @property
    def params(self) -> dict[str, Any]:
        """Parameters of this scorer."""
        return {"c_hat": self._c_hat, "d_hat": self._d_hat}

    def _run(self, table: CriteriaTable) -> tuple[Computed, dict[str, Any]]:
        x, w, b = table.values, table.weights, table.is_benefit
        computed = _compute(x, w, b, self._c_hat, self._d_hat, criteria=table.criteria)
        return computed, self.params
