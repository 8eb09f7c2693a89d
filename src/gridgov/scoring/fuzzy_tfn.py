r"""Fuzzy TOPSIS with triangular fuzzy numbers (Chen 2000), and the fuzzy criteria table.

A :class:`FuzzyCriteriaTable` holds, for each alternative and criterion, a triangular fuzzy
number :math:`\tilde x = (l, m, u)` with :math:`l \le m \le u` (an (m, n, 3) array), benefit
or cost directions, and fuzzy (or crisp) weights. :func:`fuzzy_topsis` ranks the alternatives
by Chen's closeness coefficient.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from gridgov.errors import ScoringError
from gridgov.scoring._ranking import rank

__all__ = ["FuzzyCriteriaTable", "FuzzyTopsisResult", "fuzzy_topsis"]

FloatArray = npt.NDArray[np.float64]


def _frozen(a: FloatArray) -> FloatArray:
    a = np.array(a, dtype=np.float64, copy=True)
    a.flags.writeable = False
    return a


def _check_tfn(a: FloatArray, what: str) -> None:
    if not np.isfinite(a).all():
        raise ScoringError(f"{what}: every triangular fuzzy number must be finite")
    order = (a[..., 0] <= a[..., 1]) & (a[..., 1] <= a[..., 2])
    if not order.all():
        where = tuple(int(k) for k in np.argwhere(~order)[0])
        raise ScoringError(
            f"{what}: the fuzzy number at index {where} is {a[where].tolist()}; it must "
            "satisfy l <= m <= u"
        )


@dataclass(frozen=True, eq=False)
class FuzzyCriteriaTable:
    """Alternatives x criteria of triangular fuzzy numbers, with directions and weights.

    Parameters
    ----------
    values : array_like, shape (m, n, 3)
        ``values[i, j] = (l, m, u)``, the rating of alternative ``i`` on criterion ``j``.
    alternatives, criteria : sequence of str
        Unique names.
    directions : str or sequence of str
        ``"benefit"`` or ``"cost"``, one for all or one per criterion.
    weights : array_like, shape (n, 3) or (n,), optional
        Fuzzy weights (crisp weights ``w`` are read as ``(w, w, w)``); default equal crisp
        weights ``1/n``. Weights are used as given (Chen's fuzzy weights are not rescaled).

    Raises
    ------
    gridgov.errors.ScoringError
        Wrong shapes, duplicate names, non-finite or unordered fuzzy numbers, negative
        values or weights, or an unknown direction.

    Examples
    --------
    >>> from gridgov.scoring import FuzzyCriteriaTable
    >>> t = FuzzyCriteriaTable([[[1, 2, 3]], [[2, 3, 4]]], ["A", "B"], ["quality"], "benefit")
    >>> t.values.shape, t.weights.tolist()
    ((2, 1, 3), [[1.0, 1.0, 1.0]])
    """

    values: FloatArray
    alternatives: tuple[str, ...]
    criteria: tuple[str, ...]
    directions: tuple[str, ...]
    weights: FloatArray

    def __init__(
        self,
        values: npt.ArrayLike,
        alternatives: Sequence[str],
        criteria: Sequence[str],
        directions: str | Sequence[str],
        weights: npt.ArrayLike | None = None,
    ) -> None:
        try:
            x = np.asarray(values, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise ScoringError(f"fuzzy values must be numbers: {exc}") from exc
        alts = tuple(str(a) for a in alternatives)
        crit = tuple(str(c) for c in criteria)
        if x.ndim != 3 or x.shape != (len(alts), len(crit), 3):
            raise ScoringError(
                f"fuzzy values must have shape (alternatives, criteria, 3) = "
                f"({len(alts)}, {len(crit)}, 3), got {x.shape}"
            )
        for kind, names in (("alternative", alts), ("criterion", crit)):
            if len(set(names)) != len(names):
                raise ScoringError(f"duplicate {kind} names in {names}")
        _check_tfn(x, "fuzzy values")
        if (x < 0).any():
            raise ScoringError("fuzzy values must be non-negative (Chen's normalisation)")
        dirs = (directions,) * len(crit) if isinstance(directions, str) else tuple(directions)
        if len(dirs) != len(crit) or any(d not in ("benefit", "cost") for d in dirs):
            raise ScoringError(
                f"directions must be 'benefit' or 'cost', one per criterion; got {dirs}"
            )
        n = len(crit)
        if weights is None:
            w = np.full((n, 3), 1.0 / n)
        else:
            w = np.asarray(weights, dtype=np.float64)
            if w.ndim == 1:
                w = np.repeat(w[:, None], 3, axis=1)
            if w.shape != (n, 3):
                raise ScoringError(f"weights must have shape ({n},) or ({n}, 3), got {w.shape}")
            _check_tfn(w, "fuzzy weights")
            if (w < 0).any() or not (w[:, 2] > 0).any():
                raise ScoringError("fuzzy weights must be non-negative and not all zero")
        setter = object.__setattr__
        setter(self, "values", _frozen(x))
        setter(self, "alternatives", alts)
        setter(self, "criteria", crit)
        setter(self, "directions", dirs)
        setter(self, "weights", _frozen(w))

    @property
    def is_benefit(self) -> npt.NDArray[np.bool_]:
        """``True`` for benefit criteria."""
        return np.array([d == "benefit" for d in self.directions])

    @classmethod
    def mean_of(cls, tables: Sequence[FuzzyCriteriaTable]) -> FuzzyCriteriaTable:
        """Average several decision makers' tables (Chen 2000, eq. 11): the mean TFN.

        Parameters
        ----------
        tables : sequence of FuzzyCriteriaTable
            Same alternatives, criteria and directions.

        Returns
        -------
        FuzzyCriteriaTable
            Values and weights averaged component by component.

        Raises
        ------
        gridgov.errors.ScoringError
            No table, or tables that do not match.
        """
        if not tables:
            raise ScoringError("mean_of needs at least one table")
        first = tables[0]
        for t in tables[1:]:
            if (t.alternatives, t.criteria, t.directions) != (
                first.alternatives,
                first.criteria,
                first.directions,
            ):
                raise ScoringError("tables must have the same alternatives, criteria, directions")
        return cls(
            np.mean([t.values for t in tables], axis=0),
            first.alternatives,
            first.criteria,
            first.directions,
            np.mean([t.weights for t in tables], axis=0),
        )


@dataclass(frozen=True, eq=False)
class FuzzyTopsisResult:
    """Result of :func:`fuzzy_topsis`.

    Attributes
    ----------
    closeness : numpy.ndarray, shape (m,)
        Closeness coefficients :math:`CC_i = d^-_i / (d^*_i + d^-_i)`, higher is better.
    ranking : numpy.ndarray, shape (m,)
        Competition ranks of ``closeness`` (1 = best).
    d_plus, d_minus : numpy.ndarray, shape (m,)
        Distances from the fuzzy positive and negative ideal solutions.
    weighted : numpy.ndarray, shape (m, n, 3)
        The weighted normalised fuzzy matrix.
    alternatives : tuple of str
    params : dict
        ``{"ideal": "chen"}``.
    """

    closeness: FloatArray
    ranking: npt.NDArray[np.int64]
    d_plus: FloatArray
    d_minus: FloatArray
    weighted: FloatArray
    alternatives: tuple[str, ...]
    params: dict[str, Any]

    def as_dict(self) -> dict[str, float]:
        """``{alternative: closeness}``."""
        return {a: float(c) for a, c in zip(self.alternatives, self.closeness, strict=True)}


def _vertex(a: FloatArray, b: FloatArray) -> FloatArray:
    """Vertex distance of triangular fuzzy numbers, sqrt(mean of squared differences)."""
    result: FloatArray = np.sqrt(((a - b) ** 2).mean(axis=-1))
    return result


def fuzzy_topsis(table: FuzzyCriteriaTable) -> FuzzyTopsisResult:
    r"""Rank alternatives by fuzzy TOPSIS with triangular fuzzy numbers (Chen 2000).

    Normalisation (linear scale): a benefit :math:`(l, m, u)` becomes
    :math:`(l/u^*_j, m/u^*_j, u/u^*_j)` with :math:`u^*_j = \max_i u_{ij}`; a cost becomes
    :math:`(l^-_j/u, l^-_j/m, l^-_j/l)` with :math:`l^-_j = \min_i l_{ij}`. The weighted
    values :math:`\tilde v_{ij} = \tilde r_{ij} \otimes \tilde w_j` lie in [0, 1], so the
    ideals are :math:`\tilde v^* = (1, 1, 1)` and :math:`\tilde v^- = (0, 0, 0)`; with the
    vertex distance :math:`d(\tilde a, \tilde b) = \sqrt{\tfrac13 \sum_k (a_k - b_k)^2}`,
    :math:`d^*_i = \sum_j d(\tilde v_{ij}, \tilde v^*)`, :math:`d^-_i = \sum_j
    d(\tilde v_{ij}, \tilde v^-)` and :math:`CC_i = d^-_i / (d^*_i + d^-_i)`.

    Parameters
    ----------
    table : FuzzyCriteriaTable
        At least two alternatives.

    Returns
    -------
    FuzzyTopsisResult

    Raises
    ------
    gridgov.errors.ScoringError
        Fewer than two alternatives, a benefit column whose largest ``u`` is 0, or a cost
        column with a zero ``l`` (Chen's normalisation divides by them).

    References
    ----------
    .. [1] Chen, C.-T. (2000). Extensions of the TOPSIS for group decision-making under
       fuzzy environment. *Fuzzy Sets and Systems* 114(1), 1-9.

    Examples
    --------
    >>> from gridgov.scoring import FuzzyCriteriaTable, fuzzy_topsis
    >>> t = FuzzyCriteriaTable([[[5, 7, 9], [1, 3, 5]], [[3, 5, 7], [5, 7, 9]]], ["A", "B"],
    ...                        ["quality", "price"], ["benefit", "cost"],
    ...                        [[0.7, 0.9, 1.0], [0.3, 0.5, 0.7]])
    >>> r = fuzzy_topsis(t)
    >>> r.closeness.round(4), r.ranking
    (array([0.5039, 0.3054]), array([1, 2]))
    """
    x = table.values
    m = x.shape[0]
    if m < 2:
        raise ScoringError(f"fuzzy TOPSIS compares alternatives and needs at least 2; got {m}")
    b = table.is_benefit
    u_star = x[:, :, 2].max(axis=0)
    l_minus = x[:, :, 0].min(axis=0)
    bad_benefit = np.flatnonzero(b & (u_star == 0))
    bad_cost = np.flatnonzero(~b & (x[:, :, 0] == 0).any(axis=0))
    if bad_benefit.size or bad_cost.size:
        listed = ", ".join(repr(table.criteria[int(j)]) for j in (*bad_benefit, *bad_cost))
        raise ScoringError(
            f"fuzzy TOPSIS: criterion {listed} cannot be normalised (a benefit's largest u "
            "is 0, or a cost has l = 0)"
        )
    r = np.empty_like(x)
    r[:, b] = x[:, b] / u_star[b][None, :, None]
    with np.errstate(divide="ignore"):
        r[:, ~b] = l_minus[~b][None, :, None] / x[:, ~b][:, :, ::-1]
    v = r * table.weights[None, :, :]
    d_plus = _vertex(v, np.ones(3)).sum(axis=1)
    d_minus = _vertex(v, np.zeros(3)).sum(axis=1)
    cc = d_minus / (d_plus + d_minus)
    return FuzzyTopsisResult(
        closeness=_frozen(cc),
        ranking=rank(cc, True),
        d_plus=_frozen(d_plus),
        d_minus=_frozen(d_minus),
        weighted=_frozen(v),
        alternatives=table.alternatives,
        params={"ideal": "chen", "distance": "vertex"},
    )
