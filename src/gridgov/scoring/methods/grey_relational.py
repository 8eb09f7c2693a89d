"""Grey relational analysis (GRA) with Deng's global minimum and maximum deviations."""

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
    require_alternatives,
    warn_identical,
)
from gridgov.scoring._normalise import _normalise, check_normalisation, warn_constant
from gridgov.scoring._result import Computed
from gridgov.scoring._table import CriteriaTable
from gridgov.scoring.methods._base import BuiltinScorer

__all__ = ["GreyRelational", "grey_relational"]

_NAME = "grey_relational"


def _check_rho(rho: float) -> float:
    if not (isinstance(rho, int | float) and math.isfinite(rho) and 0.0 < rho <= 1.0):
        raise ScoringError(f"grey_relational: rho must be in (0, 1], got {rho!r}")
    return float(rho)


def _compute(
    x: FloatArray,
    w: FloatArray,
    b: npt.NDArray[np.bool_],
    *,
    rho: float,
    normalisation: str,
    criteria: Sequence[str] | None = None,
) -> Computed:
    m, n = x.shape
    require_alternatives(m, _NAME)
    r, constant = _normalise(x, b, normalisation, criteria)
    reference = r.max(axis=0)
    delta = np.abs(reference - r)
    weighted = w > 0
    d_min = float(delta[:, weighted].min())
    d_max = float(delta[:, weighted].max())
    if constant_columns(x)[weighted].all() or d_max == 0.0:
        warn_identical(_NAME, "every grey relational coefficient is set to 1 (all tie)")
        coefficients = np.ones((m, n))
    else:
        if normalisation == "minmax":
            warn_constant(
                constant & weighted, criteria, "minmax normalisation set it to 1.0 for all"
            )
        coefficients = (d_min + rho * d_max) / (delta + rho * d_max)
    contributions = coefficients * w
    grades = coefficients @ w
    details: dict[str, npt.NDArray[Any]] = {
        "coefficients": coefficients,
        "reference": reference,
        "delta_min": np.array(d_min),
        "delta_max": np.array(d_max),
    }
    return Computed(finite_scores(grades, _NAME), r, contributions, details, ("reference",))


def grey_relational(
    values: npt.ArrayLike,
    weights: npt.ArrayLike,
    is_benefit: npt.ArrayLike | None = None,
    *,
    rho: float = 0.5,
    normalisation: str = "minmax",
) -> FloatArray:
    r"""Return weighted grey relational grades to the ideal reference sequence.

    The values are normalised (every column "higher is better"); the reference sequence is the
    best normalised value per criterion, :math:`x_0(j) = \max_i r_{ij}`. With deviations
    :math:`\Delta_{ij} = |x_0(j) - r_{ij}|` and Deng's *global* extremes over every alternative
    and every (positively weighted) criterion, :math:`\Delta_{\min}` and :math:`\Delta_{\max}`:

    .. math::

        \xi_{ij} = \frac{\Delta_{\min} + \rho \Delta_{\max}}{\Delta_{ij} + \rho \Delta_{\max}},
        \qquad \gamma_i = \sum_j w_j \xi_{ij}.

    Parameters
    ----------
    values : array_like, shape (m, n)
        Finite raw values, alternatives in rows.
    weights : array_like, shape (n,)
        Non-negative weights; rescaled to sum to 1 (with a ``WeightsNormalisedWarning`` when
        they did not). Equal weights give Deng's unweighted mean grade.
    is_benefit : array_like of bool, shape (n,), optional
        ``True`` for benefit ("larger the better"), ``False`` for cost ("smaller the better").
        Default: all benefit.
    rho : float, default 0.5
        Distinguishing coefficient in (0, 1]; 0.5 is Deng's customary value.
    normalisation : {"minmax", "vector", "sum", "max"}, default "minmax"
        Grey relational generating; min-max ("larger/smaller the better") is the customary one.

    Returns
    -------
    numpy.ndarray
        Grades in (0, 1], shape (m,); higher is better.

    Raises
    ------
    gridgov.errors.ScoringError
        Fewer than two alternatives, non-finite input, ``rho`` outside (0, 1].

    Warns
    -----
    DegenerateDataWarning
        All alternatives identical (every coefficient 1), or a constant criterion under
        ``minmax``.

    See Also
    --------
    GreyRelational : the scorer class; ``details["coefficients"]`` holds the (m, n) grey
        relational coefficients.

    References
    ----------
    .. [1] Deng, J.-L. (1989). Introduction to grey system theory. *The Journal of Grey System*
       1(1), 1-24.
    .. [2] Kuo, Y., Yang, T., Huang, G.-W. (2008). The use of grey relational analysis in
       solving multiple attribute decision-making problems. *Computers & Industrial
       Engineering* 55(1), 80-93.

    Examples
    --------
    >>> from gridgov.scoring import grey_relational
    >>> grey_relational([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], [0.5, 0.5]).round(4)
    array([0.6667, 0.6667, 1.    ])
    """
    x, w, b = as_inputs(values, weights, is_benefit)
    return _compute(
        x, w, b, rho=_check_rho(rho), normalisation=check_normalisation(normalisation)
    ).scores


class GreyRelational(BuiltinScorer):
    """Grey relational scorer (``"grey_relational"``); see :func:`grey_relational`.

    Parameters
    ----------
    rho : float, default 0.5
        Distinguishing coefficient; recorded in ``result.params``.
    normalisation : {"minmax", "vector", "sum", "max"}, default "minmax"
        Recorded in ``result.params``.

    Notes
    -----
    Contributions are ``w_j * xi_ij`` and sum to the grade.

    Examples
    --------
    >>> from gridgov.scoring import CriteriaTable, GreyRelational
    >>> t = CriteriaTable([[1, 0], [0, 1], [1, 1]], ["A", "B", "C"], ["x", "y"], "benefit")
    >>> GreyRelational().score(t).details["coefficients"].round(4)
    array([[1.    , 0.3333],
           [0.3333, 1.    ],
           [1.    , 1.    ]])
    """

    __slots__ = ("_normalisation", "_rho")
    name: str = _NAME
    higher_is_better: bool = True
    contribution_meaning = (
        "weight x grey relational coefficient (sums to the grade)",
        "权重 × 灰色关联系数（合计即关联度）",
    )

    def __init__(self, *, rho: float = 0.5, normalisation: str = "minmax") -> None:
        self._rho = _check_rho(rho)
        self._normalisation = check_normalisation(normalisation)

    @property
    def params(self) -> dict[str, Any]:
        """Parameters of this scorer."""
        return {"rho": self._rho, "normalisation": self._normalisation}

    def _run(self, table: CriteriaTable) -> tuple[Computed, dict[str, Any]]:
        computed = _compute(
            table.values,
            table.weights,
            table.is_benefit,
            rho=self._rho,
            normalisation=self._normalisation,
            criteria=table.criteria,
        )
        return computed, self.params
