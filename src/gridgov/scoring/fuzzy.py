"""Fuzzy comprehensive evaluation (模糊综合评价).

A factor weight vector ``A`` (k factors) is composed with a membership matrix ``R`` (k factors x g
grades, ``R[i, j]`` = degree to which factor ``i`` is judged to be grade ``j``) into a grade
membership vector ``B = A ∘ R``:

- ``operator="weighted_average"`` — M(·, ⊕): ``B_j = sum_i a_i r_ij`` (every factor counts);
- ``operator="zadeh"`` — M(∧, ∨): ``B_j = max_i min(a_i, r_ij)`` (the "main factor decides"
  model).

The grade is chosen by the maximum-membership principle (the largest ``B_j``), or, when
``grade_scores`` are given, a score ``sum_j b_j s_j`` is computed from the normalised
``b = B / sum(B)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, TypeAlias

import numpy as np
import numpy.typing as npt

from gridgov.errors import ScoringError
from gridgov.scoring._table import (
    DegenerateDataWarning,
    WeightsNormalisedWarning,
    describe_sum,
    unit_sum,
    warn,
)

__all__ = ["FuzzyEvaluation", "FuzzyOperator", "fuzzy_comprehensive"]

FuzzyOperator: TypeAlias = Literal["weighted_average", "zadeh"]
_OPERATORS: tuple[str, ...] = ("weighted_average", "zadeh")
_TIE_TOL = 1e-12


@dataclass(frozen=True, eq=False)
class FuzzyEvaluation:
    """Result of :func:`fuzzy_comprehensive`.

    Attributes
    ----------
    membership : numpy.ndarray
        ``B``, the composed membership of each grade, shape (g,).
    normalised : numpy.ndarray
        ``B / sum(B)``, shape (g,).
    grade : int
        Index of the grade with the largest membership (the first one among ties).
    tied_grades : tuple of int
        Every grade index sharing the largest membership (length 1 when unambiguous).
    score : float or None
        ``normalised @ grade_scores`` when grade scores were given, else ``None``.
    operator : {"weighted_average", "zadeh"}
        Composition operator used.
    factor_weights : numpy.ndarray
        Factor weights after normalisation to sum 1, shape (k,).
    grades : tuple of str or None
        Grade labels, if given.
    """

    membership: npt.NDArray[np.float64]
    normalised: npt.NDArray[np.float64]
    grade: int
    tied_grades: tuple[int, ...]
    score: float | None
    operator: FuzzyOperator
    factor_weights: npt.NDArray[np.float64]
    grades: tuple[str, ...] | None = None

    @property
    def label(self) -> str | None:
        """Label of :attr:`grade` when grade labels were given."""
        return None if self.grades is None else self.grades[self.grade]


def _vector(values: npt.ArrayLike, what: str) -> npt.NDArray[np.float64]:
    try:
        out = np.array(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ScoringError(f"{what} must be numbers: {exc}") from exc
    if out.ndim != 1 or out.size == 0:
        raise ScoringError(f"{what} must be a non-empty 1-D sequence, got shape {out.shape}")
    if not np.isfinite(out).all():
        raise ScoringError(f"{what} must be finite, got {out.tolist()}")
    return out


def _factor_weights(factor_weights: npt.ArrayLike) -> npt.NDArray[np.float64]:
    a = _vector(factor_weights, "factor_weights")
    if (a < 0).any():
        raise ScoringError(f"factor_weights must be non-negative, got {a.tolist()}")
    if not (a > 0).any():
        raise ScoringError("factor_weights sum to zero")
    normalised, total = unit_sum(a)  # scaled before summing: [1e308] * 3 is not [0] * 3
    if abs(total - 1.0) > 1e-9:
        warn(
            f"factor weights summed to {describe_sum(total)}, not 1; they were divided by their "
            "sum",
            WeightsNormalisedWarning,
        )
    return normalised


def _membership(membership: npt.ArrayLike, k: int) -> npt.NDArray[np.float64]:
    try:
        r = np.array(membership, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ScoringError(f"membership must be numbers: {exc}") from exc
    if r.ndim != 2 or r.shape[0] != k or r.shape[1] == 0:
        raise ScoringError(
            f"membership must have shape ({k}, g) — one row per factor — got {r.shape}"
        )
    valid = np.isfinite(r) & (r >= 0) & (r <= 1)
    if not valid.all():
        i, j = (int(x) for x in np.argwhere(~valid)[0])
        raise ScoringError(f"membership[{i}, {j}] = {r[i, j]} is not in [0, 1]")
    return r


def fuzzy_comprehensive(
    factor_weights: npt.ArrayLike,
    membership: npt.ArrayLike,
    grade_scores: npt.ArrayLike | None = None,
    operator: FuzzyOperator = "weighted_average",
    *,
    grades: Sequence[str] | None = None,
) -> FuzzyEvaluation:
    """Evaluate one object by fuzzy comprehensive evaluation (模糊综合评价).

    Parameters
    ----------
    factor_weights : array_like, shape (k,)
        Non-negative factor weights ``A``; rescaled to sum to 1 with a
        :class:`WeightsNormalisedWarning` when they do not.
    membership : array_like, shape (k, g)
        Membership matrix ``R`` with values in [0, 1]; row ``i`` is the single-factor
        evaluation of factor ``i`` (rows usually, but not necessarily, sum to 1).
    grade_scores : array_like, shape (g,), optional
        A score for each grade (e.g. 95, 85, 70, 50). Default ``None``: no score, the grade
        comes from the maximum-membership principle only.
    operator : {"weighted_average", "zadeh"}, default "weighted_average"
        Composition operator: M(·, ⊕) weighted average, or Zadeh's M(∧, ∨) min-max.
    grades : sequence of str, optional
        Grade labels (length g), e.g. ``["很欢迎", "较欢迎", "不太欢迎", "不欢迎"]``.

    Returns
    -------
    FuzzyEvaluation

    Raises
    ------
    gridgov.errors.ScoringError
        On wrong shapes, memberships outside [0, 1], negative or all-zero weights, an unknown
        operator, or an all-zero composed membership ``B`` (no grade can be chosen).

    Warns
    -----
    WeightsNormalisedWarning
        Factor weights that did not sum to 1.
    DegenerateDataWarning
        Several grades share the largest membership: the maximum-membership principle is
        ambiguous and the first of them is reported.

    References
    ----------
    .. [1] Zadeh, L. A. (1965). Fuzzy sets. *Information and Control* 8(3), 338-353.
    .. [2] 谢季坚, 刘承平. 《模糊数学方法及其应用》(第4版). 华中科技大学出版社, 2013, 第5章
       模糊综合评判.

    Examples
    --------
    The clothing example (服装评判) with the Zadeh operator M(∧, ∨):

    >>> from gridgov.scoring import fuzzy_comprehensive
    >>> R = [[0.2, 0.5, 0.2, 0.1], [0.7, 0.2, 0.1, 0.0],
    ...      [0.0, 0.4, 0.5, 0.1], [0.2, 0.3, 0.5, 0.0]]
    >>> ev = fuzzy_comprehensive([0.1, 0.2, 0.3, 0.4], R, operator="zadeh",
    ...                          grades=["很欢迎", "较欢迎", "不太欢迎", "不欢迎"])
    >>> ev.membership, ev.label
    (array([0.2, 0.3, 0.4, 0.1]), '不太欢迎')

    With the weighted average and grade scores:

    >>> ev = fuzzy_comprehensive([0.5, 0.3, 0.2],
    ...                          [[0.7, 0.2, 0.1, 0.0], [0.2, 0.3, 0.4, 0.1],
    ...                           [0.3, 0.4, 0.2, 0.1]], grade_scores=[95, 80, 65, 50])
    >>> ev.membership.round(4), round(ev.score, 2)
    (array([0.47, 0.27, 0.21, 0.05]), 82.4)
    """
    if operator not in _OPERATORS:
        raise ScoringError(f"unknown operator {operator!r}; available: {', '.join(_OPERATORS)}")
    a = _factor_weights(factor_weights)
    r = _membership(membership, a.size)
    g = r.shape[1]
    labels: tuple[str, ...] | None = None
    if grades is not None:
        labels = tuple(str(x) for x in grades)
        if len(labels) != g:
            raise ScoringError(f"grades has {len(labels)} labels for {g} grades")
    b = a @ r if operator == "weighted_average" else np.minimum(a[:, None], r).max(axis=0)
    b_total = float(b.sum())
    if b_total <= 0:
        raise ScoringError("the composed membership B is zero for every grade; no grade applies")
    normalised = b / b_total
    top = float(b.max())
    tied = tuple(int(j) for j in np.flatnonzero(b >= top - _TIE_TOL))
    if len(tied) > 1:
        names = [labels[j] for j in tied] if labels is not None else list(tied)
        warn(
            f"grades {names} share the largest membership {top:.6g}; the maximum-membership "
            "principle is ambiguous and the first is reported (consider grade_scores)",
            DegenerateDataWarning,
        )
    score: float | None = None
    if grade_scores is not None:
        s = _vector(grade_scores, "grade_scores")
        if s.size != g:
            raise ScoringError(f"grade_scores has {s.size} values for {g} grades")
        score = float(normalised @ s)
    return FuzzyEvaluation(
        membership=b,
        normalised=normalised,
        grade=tied[0],
        tied_grades=tied,
        score=score,
        operator=operator,
        factor_weights=a,
        grades=labels,
    )
