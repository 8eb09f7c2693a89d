"""Weighted sum (simple additive weighting, SAW)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from gridgov.scoring._checks import (
    FloatArray,
    as_inputs,
    constant_columns,
    finite_scores,
    require_alternatives,
    warn_identical,
)
from gridgov.scoring._normalise import _normalise, check_normalisation, warn_constant
from gridgov.scoring._result import Computed
from gridgov.scoring.methods._base import NormalisingScorer

__all__ = ["WeightedSum", "weighted_sum"]

_NAME = "weighted_sum"


def _compute(
    x: FloatArray,
    w: FloatArray,
    b: npt.NDArray[np.bool_],
    normalisation: str,
    criteria: Sequence[str] | None = None,
) -> Computed:
    require_alternatives(x.shape[0], _NAME)
    r, constant = _normalise(x, b, normalisation, criteria)
    weighted = w > 0
    if constant_columns(x)[weighted].all():
        warn_identical(_NAME, "every alternative gets the same score and rank 1")
    elif normalisation == "minmax":
        warn_constant(constant & weighted, criteria, "minmax normalisation set it to 1.0 for all")
    contributions = r * w
    scores = r @ w
    return Computed(finite_scores(scores, _NAME), r, contributions, {})


def weighted_sum(
    values: npt.ArrayLike,
    weights: npt.ArrayLike,
    is_benefit: npt.ArrayLike | None = None,
    *,
    normalisation: str = "minmax",
) -> FloatArray:
    r"""Score alternatives by the weighted sum of their normalised values.

    .. math:: s_i = \sum_j w_j r_{ij}

    where :math:`r` is the direction-aware normalisation of the values (every column "higher is
    better", see :func:`~gridgov.scoring.normalise`).

    Parameters
    ----------
    values : array_like, shape (m, n)
        Finite raw values, alternatives in rows.
    weights : array_like, shape (n,)
        Non-negative weights; rescaled to sum to 1 (with a ``WeightsNormalisedWarning`` when
        they did not).
    is_benefit : array_like of bool, shape (n,), optional
        ``True`` for benefit criteria. Default: all benefit.
    normalisation : {"minmax", "vector", "sum", "max"}, default "minmax"
        Min-max is the default because it needs no sign assumptions, maps every criterion onto
        the same [0, 1] range and handles costs by a linear flip, so the score is in [0, 1].

    Returns
    -------
    numpy.ndarray
        Scores, shape (m,); higher is better.

    Raises
    ------
    gridgov.errors.ScoringError
        Fewer than two alternatives, non-finite input, or data the normalisation cannot handle.

    Warns
    -----
    DegenerateDataWarning
        A constant criterion under ``minmax`` (normalised to 1.0), or identical alternatives
        (all tie).

    See Also
    --------
    WeightedSum : the scorer class, with explanation and details.

    References
    ----------
    .. [1] Fishburn, P. C. (1967). Additive utilities with incomplete product sets: application
       to priorities and assignments. *Operations Research* 15(3), 537-542.
    .. [2] Hwang, C.-L., Yoon, K. (1981). *Multiple Attribute Decision Making: Methods and
       Applications*, section on simple additive weighting. Springer.

    Examples
    --------
    >>> from gridgov.scoring import weighted_sum
    >>> weighted_sum([[2.0, 30.0], [4.0, 10.0], [3.0, 20.0]], [0.5, 0.5], [True, False])
    array([0. , 1. , 0.5])
    """
    x, w, b = as_inputs(values, weights, is_benefit)
    return _compute(x, w, b, check_normalisation(normalisation)).scores


class WeightedSum(NormalisingScorer):
    """Weighted-sum scorer (``"weighted_sum"``); see :func:`weighted_sum`.

    Parameters
    ----------
    normalisation : {"minmax", "vector", "sum", "max"}, default "minmax"
        Recorded in ``result.params``.

    Notes
    -----
    Contributions are ``w_j * r_ij`` and sum to the score.

    Examples
    --------
    >>> from gridgov.scoring import CriteriaTable, WeightedSum
    >>> t = CriteriaTable([[2, 30], [4, 10], [3, 20]], ["A", "B", "C"], ["x", "y"],
    ...                   ["benefit", "cost"])
    >>> r = WeightedSum().score(t)
    >>> r.ranking, r.params
    (array([3, 1, 2]), {'normalisation': 'minmax'})
    """

    __slots__ = ()
    name: str = _NAME
    higher_is_better: bool = True
    contribution_meaning = (
        "weight x normalised value (sums to the score)",
        "权重 × 标准化值（合计即得分）",
    )

    _kernel = staticmethod(_compute)

    def __init__(self, *, normalisation: str = "minmax") -> None:
        self._normalisation = check_normalisation(normalisation)
