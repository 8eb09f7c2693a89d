"""SPOTIS: stable preference ordering towards ideal solution (Dezert et al. 2020)."""

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
)
from gridgov.scoring._result import Computed
from gridgov.scoring._table import CriteriaTable
from gridgov.scoring.methods._base import BuiltinScorer
from gridgov.scoring.methods._columns import Columns, weighted_rows

__all__ = ["Spotis", "spotis"]

_NAME = "spotis"

Bounds = tuple[tuple[float, float], ...]


def _check_bounds(bounds: npt.ArrayLike | None) -> Bounds | None:
    if bounds is None:
        return None
    try:
        a = np.asarray(bounds, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ScoringError(f"spotis: bounds must be numbers: {exc}") from exc
    if a.ndim != 2 or a.shape[1] != 2 or not np.isfinite(a).all():
        raise ScoringError(
            f"spotis: bounds must be a finite (n, 2) array of [min, max], got shape {a.shape}"
        )
    bad = np.flatnonzero(a[:, 0] >= a[:, 1])
    if bad.size:
        raise ScoringError(
            f"spotis: bounds of criterion {int(bad[0])} are [{a[bad[0], 0]}, {a[bad[0], 1]}]; "
            "the minimum must be below the maximum"
        )
    return tuple((float(lo), float(hi)) for lo, hi in a)


def _check_ideal(ideal: npt.ArrayLike | None) -> tuple[float, ...] | None:
    if ideal is None:
        return None
    a = np.asarray(ideal, dtype=np.float64)
    if a.ndim != 1 or not np.isfinite(a).all():
        raise ScoringError(f"spotis: ideal must be a finite 1-D array, got {a.tolist()}")
    return tuple(float(v) for v in a)


def _compute(
    x: FloatArray,
    w: FloatArray,
    b: npt.NDArray[np.bool_],
    bounds: Bounds | None,
    ideal: tuple[float, ...] | None,
    *,
    criteria: Sequence[str] | None = None,
    full: bool = True,
) -> Computed:
    m, n = x.shape
    require_alternatives(m, _NAME)
    names = names_or_columns(n, criteria)
    if bounds is None:
        cols = Columns(x)
        lo = cols.lo
        hi = cols.hi
        flat = np.flatnonzero(lo == hi)
        if flat.size:
            listed = ", ".join(repr(names[int(j)]) for j in flat)
            raise ScoringError(
                f"spotis: criterion {listed} has the same value for every alternative, so "
                "bounds taken from the data are empty; pass bounds="
            )
    else:
        if len(bounds) != n:
            raise ScoringError(f"spotis: bounds has {len(bounds)} rows for {n} criteria")
        lo = np.array([pair[0] for pair in bounds])
        hi = np.array([pair[1] for pair in bounds])
        if (x < lo).any() or (x > hi).any():
            i, j = (int(k) for k in np.argwhere((x < lo) | (x > hi))[0])
            raise ScoringError(
                f"spotis: value {x[i, j]} at row {i} lies outside the bounds "
                f"[{lo[j]}, {hi[j]}] of criterion {names[j]!r}"
            )
    if ideal is None:
        target = np.where(b, hi, lo)
    else:
        if len(ideal) != n:
            raise ScoringError(f"spotis: ideal has {len(ideal)} values for {n} criteria")
        target = np.asarray(ideal)
    # identical alternatives need no warning: with stated bounds their distances are
    # meaningful, and without bounds a constant criterion has already raised
    details = {"ideal": target, "lower_bound": lo, "upper_bound": hi}
    per_criterion = ("ideal", "lower_bound", "upper_bound")
    gap = np.abs(x - target)
    if not full:  # the function returns scores only: one weighted pass
        scores = weighted_rows(gap, w / (hi - lo))
        return Computed(scores, None, None, details, per_criterion)
    d = gap / (hi - lo)
    contributions = d * w
    scores = weighted_rows(d, w)
    return Computed(scores, d, contributions, details, per_criterion)


def spotis(
    values: npt.ArrayLike,
    weights: npt.ArrayLike,
    is_benefit: npt.ArrayLike | None = None,
    *,
    bounds: npt.ArrayLike | None = None,
    ideal: npt.ArrayLike | None = None,
) -> FloatArray:
    r"""Score alternatives by SPOTIS: weighted distance from an ideal fixed by stated bounds.

    With bounds :math:`[S^{min}_j, S^{max}_j]` and the ideal solution point
    :math:`S^*_j` (the upper bound of a benefit, the lower bound of a cost, or a given
    expected point),

    .. math:: d_i = \sum_j w_j \frac{|x_{ij} - S^*_j|}{S^{max}_j - S^{min}_j}.

    With ``bounds`` given, each score depends on its own row only, so adding or removing
    alternatives never reverses the order of the others (no rank reversal). Without bounds
    the data's minima and maxima are used, which gives that guarantee up.

    Parameters
    ----------
    values : array_like, shape (m, n)
        Finite raw values, inside the bounds.
    weights : array_like, shape (n,)
        Non-negative weights; rescaled to sum to 1 (with a warning when they did not).
    is_benefit : array_like of bool, shape (n,), optional
        ``True`` for benefit criteria. Default: all benefit.
    bounds : array_like, shape (n, 2), optional
        ``[min, max]`` per criterion, fixed by the decision maker.
    ideal : array_like, shape (n,), optional
        An expected solution point instead of the ideal (Dezert et al.'s ESP).

    Returns
    -------
    numpy.ndarray
        Distances in [0, 1], shape (m,); lower is better.

    Raises
    ------
    gridgov.errors.ScoringError
        Fewer than two alternatives, malformed bounds, a value outside them, or (without
        bounds) a constant criterion.

    References
    ----------
    .. [1] Dezert, J., Tchamova, A., Han, D., Tacnet, J.-M. (2020). The SPOTIS rank reversal
       free method for multi-criteria decision-making support. *2020 IEEE 23rd International
       Conference on Information Fusion (FUSION)*, 1-8.

    Examples
    --------
    >>> from gridgov.scoring import spotis
    >>> spotis([[2.0, 8.0], [6.0, 4.0]], [0.5, 0.5], [True, False], bounds=[[0, 10], [0, 10]])
    array([0.8, 0.4])
    """
    x, w, b = as_inputs(values, weights, is_benefit)
    return _compute(x, w, b, _check_bounds(bounds), _check_ideal(ideal), full=False).scores


class Spotis(BuiltinScorer):
    """SPOTIS scorer (``"spotis"``); see :func:`spotis`. Lower scores are better.

    Parameters
    ----------
    bounds : array_like, shape (n, 2), optional
        ``[min, max]`` per criterion; recorded in ``result.params`` as a tuple of pairs
        (``None``: the data's range, without the rank-reversal guarantee).
    ideal : array_like, shape (n,), optional
        Expected solution point; recorded in ``result.params``.

    Notes
    -----
    Contributions are ``w_j d_ij`` (they sum to the score); ``details`` hold ``ideal``,
    ``lower_bound`` and ``upper_bound`` per criterion.

    Examples
    --------
    >>> from gridgov.scoring import CriteriaTable, Spotis
    >>> t = CriteriaTable([[2, 8], [6, 4]], ["A", "B"], ["x", "y"], ["benefit", "cost"])
    >>> Spotis(bounds=[[0, 10], [0, 10]]).score(t).ranking
    array([2, 1])
    """

    __slots__ = ("_bounds", "_ideal")
    name: str = _NAME
    higher_is_better: bool = False
    contribution_meaning = (
        "w * normalised distance from the ideal (sums to the score)",
        "w × 到理想解的标准化距离（之和为得分）",
    )

    def __init__(
        self, *, bounds: npt.ArrayLike | None = None, ideal: npt.ArrayLike | None = None
    ) -> None:
        self._bounds = _check_bounds(bounds)
        self._ideal = _check_ideal(ideal)

    @property
    def params(self) -> dict[str, Any]:
        """Parameters of this scorer."""
        return {"bounds": self._bounds, "ideal": self._ideal}

    def _run(self, table: CriteriaTable) -> tuple[Computed, dict[str, Any]]:
        x, w, b = table.values, table.weights, table.is_benefit
        computed = _compute(x, w, b, self._bounds, self._ideal, criteria=table.criteria)
        return computed, self.params
