"""CODAS: combinative distance-based assessment (Keshavarz Ghorabaee et al. 2016)."""

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
from gridgov.scoring.methods._columns import Columns, normalise

__all__ = ["Codas", "codas"]

_NAME = "codas"


def _check_tau(tau: float) -> float:
    value = float(tau)
    if not (np.isfinite(value) and value >= 0):
        raise ScoringError(f"codas: tau must be a finite number >= 0, got {tau!r}")
    return value


def _assessment(e: FloatArray, t: FloatArray, tau: float) -> FloatArray:
    r"""Row sums :math:`H_i = \sum_k (E_i - E_k) + \psi(E_i - E_k)(T_i - T_k)` in O(m log m).

    :math:`\psi(d) = 1` when :math:`|d| \ge \tau`: in E-sorted order the alternatives far
    enough from :math:`E_i` form a prefix and a suffix, summed by cumulative sums.
    """
    m = e.size
    if tau == 0:  # psi is 1 everywhere
        h0: FloatArray = m * (e + t) - e.sum() - t.sum()
        return h0
    order = np.argsort(e, kind="stable")
    es = e[order]
    ts = t[order]
    cum = np.concatenate(([0.0], np.cumsum(ts)))
    low = np.searchsorted(es, es - tau, side="right")  # E_k <= E_i - tau: indices < low
    high = np.searchsorted(es, es + tau, side="left")  # E_k >= E_i + tau: indices >= high
    count = low + (m - high)
    total = cum[low] + (cum[m] - cum[high])
    h_sorted = m * es - es.sum() + count * ts - total
    h = np.empty(m)
    h[order] = h_sorted
    return h


def _compute(
    x: FloatArray,
    w: FloatArray,
    b: npt.NDArray[np.bool_],
    normalisation: str,
    tau: float,
    *,
    criteria: Sequence[str] | None = None,
) -> Computed:
    require_alternatives(x.shape[0], _NAME)
    cols = Columns(x)
    r, constant = normalise(cols, b, normalisation, criteria)
    if cols.constant[w > 0].all():
        warn_identical(_NAME, "every assessment score is 0 (all tie at rank 1)")
    elif normalisation == "minmax":
        warn_constant(constant & (w > 0), criteria, "minmax normalisation set it to 1.0 for all")
    v = r * w
    nis = v.min(axis=0)
    gap = v - nis
    e = np.sqrt(np.einsum("ij,ij->i", gap, gap))
    t = np.einsum("ij->i", gap)
    scores = _assessment(e, t, tau)
    details = {"E": e, "T": t, "negative_ideal": nis}
    return Computed(scores, r, v, details, ("negative_ideal",))


def codas(
    values: npt.ArrayLike,
    weights: npt.ArrayLike,
    is_benefit: npt.ArrayLike | None = None,
    *,
    tau: float = 0.02,
    normalisation: str = "max",
) -> FloatArray:
    r"""Score alternatives by CODAS: distances from the negative-ideal solution.

    With :math:`v_{ij} = w_j r_{ij}`, the negative ideal :math:`v^-_j = \min_i v_{ij}`, the
    Euclidean and taxicab distances :math:`E_i`, :math:`T_i` from it, and
    :math:`\psi(d) = 1` if :math:`|d| \ge \tau` else 0,

    .. math:: H_i = \sum_k \bigl[(E_i - E_k) + \psi(E_i - E_k)\,(T_i - T_k)\bigr].

    Computed by sorting, in O(m log m) time and O(m) memory (no m x m matrix).

    Parameters
    ----------
    values : array_like, shape (m, n)
        Finite raw values.
    weights : array_like, shape (n,)
        Non-negative weights; rescaled to sum to 1 (with a warning when they did not).
    is_benefit : array_like of bool, shape (n,), optional
        ``True`` for benefit criteria. Default: all benefit.
    tau : float, default 0.02
        Threshold of :math:`\psi`; the paper suggests 0.01-0.05.
    normalisation : {"max", "sum", "minmax", "vector"}, default "max"
        The paper's linear normalisation (``x / max``, ``min / x``) by default.

    Returns
    -------
    numpy.ndarray
        Assessment scores ``H`` (they sum to 0), shape (m,); higher is better.

    Raises
    ------
    gridgov.errors.ScoringError
        Fewer than two alternatives, a negative ``tau``, or data the normalisation cannot
        handle.

    References
    ----------
    .. [1] Keshavarz Ghorabaee, M., Zavadskas, E. K., Turskis, Z., Antucheviciene, J. (2016).
       A new combinative distance-based assessment (CODAS) method for multi-criteria
       decision-making. *Economic Computation and Economic Cybernetics Studies and Research*
       50(3), 25-44.

    Examples
    --------
    >>> from gridgov.scoring import codas
    >>> codas([[1.0, 4.0], [2.0, 2.0], [4.0, 1.0]], [0.5, 0.5]).round(4)
    array([ 0.3232, -0.6464,  0.3232])
    """
    x, w, b = as_inputs(values, weights, is_benefit)
    return _compute(x, w, b, check_normalisation(normalisation), _check_tau(tau)).scores


class Codas(BuiltinScorer):
    """CODAS scorer (``"codas"``); see :func:`codas`.

    Parameters
    ----------
    tau : float, default 0.02
        Threshold of the taxicab term; recorded in ``result.params``.
    normalisation : {"max", "sum", "minmax", "vector"}, default "max"
        Recorded in ``result.params``.

    Notes
    -----
    Contributions are the weighted normalised values ``w_j * r_ij``; ``details`` hold ``E``,
    ``T`` per alternative and ``negative_ideal`` per criterion.

    Examples
    --------
    >>> from gridgov.scoring import CriteriaTable, Codas
    >>> t = CriteriaTable([[1, 4], [4, 1]], ["A", "B"], ["x", "y"], "benefit")
    >>> Codas().score(t).scores
    array([0., 0.])
    """

    __slots__ = ("_normalisation", "_tau")
    name: str = _NAME
    higher_is_better: bool = True
    contribution_meaning = ("weighted normalised value w*r", "加权标准化值 w×r")

    def __init__(self, *, tau: float = 0.02, normalisation: str = "max") -> None:
        self._tau = _check_tau(tau)
        self._normalisation = check_normalisation(normalisation)

    @property
    def params(self) -> dict[str, Any]:
        """Parameters of this scorer."""
        return {"normalisation": self._normalisation, "tau": self._tau}

    def _run(self, table: CriteriaTable) -> tuple[Computed, dict[str, Any]]:
        x, w, b = table.values, table.weights, table.is_benefit
        computed = _compute(x, w, b, self._normalisation, self._tau, criteria=table.criteria)
        return computed, self.params
