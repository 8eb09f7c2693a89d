"""CoCoSo: combined compromise solution (Yazdani, Zaraté, Zavadskas & Turskis 2019)."""

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
from gridgov.scoring._normalise import warn_constant
from gridgov.scoring._result import Computed
from gridgov.scoring._table import CriteriaTable
from gridgov.scoring.methods._base import BuiltinScorer
from gridgov.scoring.methods._columns import Columns, normalise, weighted_rows

__all__ = ["Cocoso", "cocoso"]

_NAME = "cocoso"


def _check_lam(lam: float) -> float:
    value = float(lam)
    if not 0.0 <= value <= 1.0:
        raise ScoringError(f"cocoso: lam must be in [0, 1], got {lam!r}")
    return value


def _compute(
    x: FloatArray,
    w: FloatArray,
    b: npt.NDArray[np.bool_],
    lam: float,
    criteria: Sequence[str] | None = None,
) -> Computed:
    m = x.shape[0]
    require_alternatives(m, _NAME)
    cols = Columns(x)
    r, constant = normalise(cols, b, "minmax", criteria)
    if cols.constant[w > 0].all():
        warn_identical(_NAME, "every alternative gets the same score and rank 1")
    else:
        warn_constant(constant & (w > 0), criteria, "minmax normalisation set it to 1.0 for all")
    contributions = r * w
    s = weighted_rows(r, w)
    used = w > 0
    powered = r**w if used.all() else r[:, used] ** w[used]
    p = np.einsum("ij->i", powered) + float((~used).sum())
    worst = np.flatnonzero((s == 0) | (p == 0))
    if worst.size:
        raise ScoringError(
            f"cocoso: alternative at row {int(worst[0])} is the worst on every weighted "
            "criterion, so its S (or P) is 0 and CoCoSo's k_b divides by it"
        )
    k_a = (s + p) / (s + p).sum()
    k_b = s / s.min() + p / p.min()
    k_c = (lam * s + (1.0 - lam) * p) / (lam * s.max() + (1.0 - lam) * p.max())
    scores = np.cbrt(k_a * k_b * k_c) + (k_a + k_b + k_c) / 3.0
    details = {"S": s, "P": p, "k_a": k_a, "k_b": k_b, "k_c": k_c}
    return Computed(scores, r, contributions, details)


def cocoso(
    values: npt.ArrayLike,
    weights: npt.ArrayLike,
    is_benefit: npt.ArrayLike | None = None,
    *,
    lam: float = 0.5,
) -> FloatArray:
    r"""Score alternatives by CoCoSo, combining three appraisal strategies.

    With min-max normalised :math:`r_{ij}`, :math:`S_i = \sum_j w_j r_{ij}` and
    :math:`P_i = \sum_j r_{ij}^{\,w_j}`:

    .. math::
        k_a = \frac{S_i + P_i}{\sum_k (S_k + P_k)}, \quad
        k_b = \frac{S_i}{\min S} + \frac{P_i}{\min P}, \quad
        k_c = \frac{\lambda S_i + (1-\lambda) P_i}{\lambda \max S + (1-\lambda) \max P},

    .. math:: k_i = (k_a k_b k_c)^{1/3} + (k_a + k_b + k_c) / 3.

    Parameters
    ----------
    values : array_like, shape (m, n)
        Finite raw values.
    weights : array_like, shape (n,)
        Non-negative weights; rescaled to sum to 1 (with a warning when they did not).
    is_benefit : array_like of bool, shape (n,), optional
        ``True`` for benefit criteria. Default: all benefit.
    lam : float, default 0.5
        The balance :math:`\lambda` of ``k_c``, in [0, 1].

    Returns
    -------
    numpy.ndarray
        Scores ``k``, shape (m,); higher is better.

    Raises
    ------
    gridgov.errors.ScoringError
        Fewer than two alternatives, ``lam`` outside [0, 1], or an alternative worst on every
        weighted criterion (its ``S`` is 0 and ``k_b`` is undefined).

    References
    ----------
    .. [1] Yazdani, M., Zaraté, P., Zavadskas, E. K., Turskis, Z. (2019). A combined
       compromise solution (CoCoSo) method for multi-criteria decision-making problems.
       *Management Decision* 57(9), 2501-2519.

    Examples
    --------
    >>> from gridgov.scoring import cocoso
    >>> cocoso([[1.0, 3.0], [3.0, 1.0], [2.0, 2.5]], [0.6, 0.4]).round(4)
    array([1.6815, 2.0176, 2.5736])
    """
    x, w, b = as_inputs(values, weights, is_benefit)
    return _compute(x, w, b, _check_lam(lam)).scores


class Cocoso(BuiltinScorer):
    """CoCoSo scorer (``"cocoso"``); see :func:`cocoso`.

    Parameters
    ----------
    lam : float, default 0.5
        Recorded in ``result.params``.

    Notes
    -----
    Contributions are ``w_j r_ij`` (they sum to ``S``); ``details`` hold ``S``, ``P``,
    ``k_a``, ``k_b``, ``k_c`` per alternative.

    Examples
    --------
    >>> from gridgov.scoring import Cocoso, CriteriaTable
    >>> t = CriteriaTable([[1, 3], [3, 1], [2, 2.5]], ["A", "B", "C"], ["x", "y"], "benefit")
    >>> Cocoso(lam=0.5).score(t).ranking
    array([2, 2, 1])
    """

    __slots__ = ("_lam",)
    name: str = _NAME
    higher_is_better: bool = True
    contribution_meaning = (
        "weighted normalised value w*r (sums to S)",
        "加权标准化值 w×r（之和为 S）",
    )

    def __init__(self, *, lam: float = 0.5) -> None:
        self._lam = _check_lam(lam)

    @property
    def params(self) -> dict[str, Any]:
        """Parameters of this scorer."""
        return {"lam": self._lam}

    def _run(self, table: CriteriaTable) -> tuple[Computed, dict[str, Any]]:
        x, w, b = table.values, table.weights, table.is_benefit
        return _compute(x, w, b, self._lam, table.criteria), self.params
