"""TOPSIS: closeness to the ideal and distance from the anti-ideal solution."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from gridgov.scoring._checks import (
    FloatArray,
    as_inputs,
    finite_scores,
    require_alternatives,
    warn_identical,
)
from gridgov.scoring._normalise import _normalise, check_normalisation, warn_constant
from gridgov.scoring._result import Computed
from gridgov.scoring.methods._base import NormalisingScorer

__all__ = ["Topsis", "topsis"]

_NAME = "topsis"


def _row_norms(gap: FloatArray) -> FloatArray:
    """Euclidean norm of each row, rescaled like hypot where the squares leave the float range.

    Rows whose sum of squares is not a normal float are recomputed scaled by a power of two:
    squares of tiny weighted gaps (a weight of 1e-200) would otherwise underflow to 0 and make
    the closeness 0/0. Rows in the normal range (nearly always all of them) take the fast path.
    """
    with np.errstate(over="ignore"):
        squares = np.einsum("ij,ij->i", gap, gap)
    norms: FloatArray = np.sqrt(squares)
    outside = ~(squares >= np.finfo(np.float64).tiny) | ~np.isfinite(squares)
    if outside.any():
        rows = gap[outside]
        _, exponent = np.frexp(np.max(np.abs(rows), axis=1))
        scaled = np.ldexp(rows, -exponent[:, None])
        norms[outside] = np.ldexp(np.sqrt(np.einsum("ij,ij->i", scaled, scaled)), exponent)
    return norms


def _compute(
    x: FloatArray,
    w: FloatArray,
    b: npt.NDArray[np.bool_],
    normalisation: str,
    criteria: Sequence[str] | None = None,
) -> Computed:
    require_alternatives(x.shape[0], _NAME)
    r, constant = _normalise(x, b, normalisation, criteria)
    v = r * w
    ideal = v.max(axis=0)
    anti_ideal = v.min(axis=0)
    gap = v - ideal
    d_plus = _row_norms(gap)
    np.subtract(v, anti_ideal, out=gap)
    d_minus = _row_norms(gap)
    total = d_plus + d_minus
    # r is a strictly monotone transform of each column, so a column of v is constant
    # exactly when the raw column is
    if (ideal == anti_ideal)[w > 0].all():
        warn_identical(_NAME, "closeness is 0/0 and is set to 1.0 (all tie at rank 1)")
        scores = np.ones(x.shape[0])
    else:
        if normalisation == "minmax":
            warn_constant(
                constant & (w > 0), criteria, "minmax normalisation set it to 1.0 for all"
            )
        # total > 0 for every row: a row with d+ = d- = 0 would sit at both the ideal and
        # the anti-ideal, which happens only when every weighted column is constant.
        scores = d_minus / total
    details = {"d_plus": d_plus, "d_minus": d_minus, "ideal": ideal, "anti_ideal": anti_ideal}
    return Computed(finite_scores(scores, _NAME), r, v, details, ("ideal", "anti_ideal"))


def topsis(
    values: npt.ArrayLike,
    weights: npt.ArrayLike,
    is_benefit: npt.ArrayLike | None = None,
    *,
    normalisation: str = "vector",
) -> FloatArray:
    r"""Score alternatives by TOPSIS relative closeness to the ideal solution.

    With :math:`v_{ij} = w_j r_{ij}` (:math:`r` normalised, every column "higher is better"),
    ideal :math:`v^+_j = \max_i v_{ij}`, anti-ideal :math:`v^-_j = \min_i v_{ij}`,

    .. math:: d^\pm_i = \lVert v_i - v^\pm \rVert_2, \qquad C_i = d^-_i / (d^+_i + d^-_i).

    Parameters
    ----------
    values : array_like, shape (m, n)
        Finite raw values, alternatives in rows.
    weights : array_like, shape (n,)
        Non-negative weights; rescaled to sum to 1 (with a ``WeightsNormalisedWarning`` when
        they did not).
    is_benefit : array_like of bool, shape (n,), optional
        ``True`` for benefit criteria. Default: all benefit.
    normalisation : {"vector", "minmax", "sum", "max"}, default "vector"
        Hwang & Yoon's original vector normalisation by default. For ``"vector"`` (and
        ``"minmax"``) the cost flip is linear, so the scores equal the textbook "ideal = min for
        costs" computation.

    Returns
    -------
    numpy.ndarray
        Closeness coefficients in [0, 1], shape (m,); higher is better.

    Raises
    ------
    gridgov.errors.ScoringError
        Fewer than two alternatives, non-finite input, or data the normalisation cannot handle.

    Warns
    -----
    DegenerateDataWarning
        All alternatives identical (every score 1.0), or a constant criterion under
        ``minmax``.

    See Also
    --------
    Topsis : the scorer class; ``details`` hold ``d_plus``, ``d_minus``, ``ideal``,
        ``anti_ideal`` (in weighted normalised units).

    References
    ----------
    .. [1] Hwang, C.-L., Yoon, K. (1981). *Multiple Attribute Decision Making: Methods and
       Applications*, pp. 128-134. Springer.
    .. [2] Opricovic, S., Tzeng, G.-H. (2004). Compromise solution by MCDM methods: a
       comparative analysis of VIKOR and TOPSIS. *European Journal of Operational Research*
       156(2), 445-455.

    Examples
    --------
    >>> from gridgov.scoring import topsis
    >>> topsis([[1.0, 1.0], [0.0, 0.0], [1.0, 0.0]], [0.5, 0.5]).round(4)
    array([1.    , 0.    , 0.4142])
    """
    x, w, b = as_inputs(values, weights, is_benefit)
    return _compute(x, w, b, check_normalisation(normalisation)).scores


class Topsis(NormalisingScorer):
    """TOPSIS scorer (``"topsis"``); see :func:`topsis`.

    Parameters
    ----------
    normalisation : {"vector", "minmax", "sum", "max"}, default "vector"
        Recorded in ``result.params``.

    Notes
    -----
    Contributions are the weighted normalised values ``w_j * r_ij``; TOPSIS is not additive,
    so they do not sum to the score. ``details`` hold ``d_plus``, ``d_minus`` (per
    alternative) and ``ideal``, ``anti_ideal`` (per criterion).

    Examples
    --------
    >>> from gridgov.scoring import CriteriaTable, Topsis
    >>> t = CriteriaTable([[1, 1], [0, 0], [1, 0]], ["A", "B", "C"], ["x", "y"], "benefit")
    >>> Topsis().score(t).details["d_plus"].round(4)
    array([0.    , 0.6124, 0.5   ])
    """

    __slots__ = ()
    name: str = _NAME
    higher_is_better: bool = True
    contribution_meaning = (
        "weighted normalised value w*r (TOPSIS is not additive)",
        "加权标准化值 w×r（TOPSIS 非加性）",
    )

    _kernel = staticmethod(_compute)

    def __init__(self, *, normalisation: str = "vector") -> None:
        self._normalisation = check_normalisation(normalisation)
