"""TODIM: interactive multi-criteria decision making by prospect theory (Gomes & Lima 1992)."""

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

__all__ = ["Todim", "todim"]

_NAME = "todim"
_BLOCK_ELEMENTS = 1 << 22  # rows x alternatives x criteria per block of the pairwise sums


def _check_theta(theta: float) -> float:
    value = float(theta)
    if not (np.isfinite(value) and value > 0):
        raise ScoringError(f"todim: theta must be a finite number > 0, got {theta!r}")
    return value


def dominance(r: FloatArray, w: FloatArray, theta: float) -> FloatArray:
    r"""Overall dominance :math:`\delta_i = \sum_k \sum_c \phi_c(i, k)`, in row blocks."""
    m, n = r.shape
    w_rel = w / w.max()
    total = w_rel.sum()
    gain_scale = w_rel / total
    with np.errstate(divide="ignore"):
        loss_scale = np.where(w_rel > 0, total / np.where(w_rel > 0, w_rel, 1.0), 0.0)
    delta = np.empty(m)
    block = max(1, _BLOCK_ELEMENTS // max(1, m * n))
    for start in range(0, m, block):
        stop = min(start + block, m)
        d = r[start:stop, None, :] - r[None, :, :]
        gains = np.sqrt(np.maximum(d, 0.0) * gain_scale)
        losses = np.sqrt(np.maximum(-d, 0.0) * loss_scale)
        delta[start:stop] = (gains - losses / theta).sum(axis=(1, 2))
    return delta


def _compute(
    x: FloatArray,
    w: FloatArray,
    b: npt.NDArray[np.bool_],
    theta: float,
    normalisation: str,
    *,
    criteria: Sequence[str] | None = None,
) -> Computed:
    m = x.shape[0]
    require_alternatives(m, _NAME)
    cols = Columns(x)
    r, constant = normalise(cols, b, normalisation, criteria)
    if cols.constant[w > 0].all():
        warn_identical(_NAME, "every alternative gets the global value 1.0 (all tie at rank 1)")
        return Computed(np.ones(m), r, None, {"dominance": np.zeros(m)})
    if normalisation == "minmax":
        warn_constant(constant & (w > 0), criteria, "minmax normalisation set it to 1.0 for all")
    delta = dominance(r, w, theta)
    lo, hi = delta.min(), delta.max()
    # some weighted criterion varies, so the best and worst alternatives differ in delta
    scores = (delta - lo) / (hi - lo)
    return Computed(scores, r, None, {"dominance": delta})


def todim(
    values: npt.ArrayLike,
    weights: npt.ArrayLike,
    is_benefit: npt.ArrayLike | None = None,
    *,
    theta: float = 1.0,
    normalisation: str = "sum",
) -> FloatArray:
    r"""Score alternatives by TODIM, a prospect-theory dominance of each over all others.

    With normalised :math:`r_{ic}`, relative weights :math:`w_{rc} = w_c / \max w` and
    :math:`W = \sum_c w_{rc}`, the dominance of :math:`i` over :math:`k` on criterion :math:`c`
    is :math:`\sqrt{w_{rc}(r_{ic} - r_{kc}) / W}` for a gain and
    :math:`-\frac{1}{\theta}\sqrt{W (r_{kc} - r_{ic}) / w_{rc}}` for a loss; the overall
    dominance :math:`\delta_i = \sum_k \sum_c \phi_c(i, k)` is rescaled to
    :math:`\xi_i = (\delta_i - \min \delta) / (\max \delta - \min \delta)`.

    The pairwise sums take O(m² n) time (in blocks, O(m n) memory).

    Parameters
    ----------
    values : array_like, shape (m, n)
        Finite raw values.
    weights : array_like, shape (n,)
        Non-negative weights; rescaled to sum to 1.
    is_benefit : array_like of bool, shape (n,), optional
        ``True`` for benefit criteria. Default: all benefit.
    theta : float, default 1.0
        Attenuation of losses (> 0); a smaller ``theta`` weighs losses more.
    normalisation : {"sum", "max", "minmax", "vector"}, default "sum"
        Gomes & Rangel's sum normalisation (costs through ``1 / x``) by default.

    Returns
    -------
    numpy.ndarray
        Global values ``xi`` in [0, 1], shape (m,); higher is better.

    Raises
    ------
    gridgov.errors.ScoringError
        Fewer than two alternatives, ``theta <= 0``, or data the normalisation cannot handle.

    References
    ----------
    .. [1] Gomes, L. F. A. M., Lima, M. M. P. P. (1992). TODIM: basics and application to
       multicriteria ranking of projects with environmental impacts. *Foundations of
       Computing and Decision Sciences* 16(4), 113-127.
    .. [2] Gomes, L. F. A. M., Rangel, L. A. D. (2009). An application of the TODIM method
       to the multicriteria rental evaluation of residential properties. *European Journal
       of Operational Research* 193(1), 204-211.

    Examples
    --------
    >>> from gridgov.scoring import todim
    >>> todim([[1.0], [2.0], [3.0]], [1.0], theta=2.0).round(4)
    array([0.    , 0.4714, 1.    ])
    """
    x, w, b = as_inputs(values, weights, is_benefit)
    normalisation = check_normalisation(normalisation)
    return _compute(x, w, b, _check_theta(theta), normalisation).scores


class Todim(BuiltinScorer):
    r"""TODIM scorer (``"todim"``); see :func:`todim`.

    Parameters
    ----------
    theta : float, default 1.0
        Attenuation of losses; recorded in ``result.params``.
    normalisation : {"sum", "max", "minmax", "vector"}, default "sum"
        Recorded in ``result.params``.

    Notes
    -----
    TODIM has no additive per-criterion contribution; ``details`` hold ``dominance``
    (:math:`\delta`) per alternative.

    Examples
    --------
    >>> from gridgov.scoring import CriteriaTable, Todim
    >>> t = CriteriaTable([[1], [2], [3]], ["A", "B", "C"], ["x"], "benefit")
    >>> Todim().score(t).ranking
    array([3, 2, 1])
    """

    __slots__ = ("_normalisation", "_theta")
    name: str = _NAME
    higher_is_better: bool = True
    contribution_meaning = ("(none: dominance is not additive)", "（无：优势度非加性）")

    def __init__(self, *, theta: float = 1.0, normalisation: str = "sum") -> None:
        self._theta = _check_theta(theta)
        self._normalisation = check_normalisation(normalisation)

    @property
    def params(self) -> dict[str, Any]:
        """Parameters of this scorer."""
        return {"normalisation": self._normalisation, "theta": self._theta}

    def _run(self, table: CriteriaTable) -> tuple[Computed, dict[str, Any]]:
        x, w, b = table.values, table.weights, table.is_benefit
        computed = _compute(x, w, b, self._theta, self._normalisation, criteria=table.criteria)
        return computed, self.params
