"""More objective weights from the decision matrix (re-exported by :mod:`.weights`).

MEREC, variance, Gini, CILOS, IDOCRIW and LOPCOW. Each takes a
:class:`~gridgov.scoring.CriteriaTable` or a plain (m, n) array (with ``is_benefit`` and
``criteria``) and returns a :class:`~gridgov.scoring.weights.WeightSet` whose ``method``,
``params`` and ``details`` record how the weights were made.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from gridgov.errors import ScoringError

if TYPE_CHECKING:  # pragma: no cover - weights.py re-exports this module: import it lazily
    from gridgov.scoring.weights import TableInput, WeightSet

__all__ = ["cilos", "gini", "idocriw", "lopcow", "merec", "variance"]

FloatArray = npt.NDArray[np.float64]


def _positive(x: FloatArray, names: tuple[str, ...], method: str) -> None:
    bad = np.flatnonzero((x <= 0).any(axis=0))
    if bad.size:
        listed = ", ".join(repr(names[int(j)]) for j in bad)
        raise ScoringError(f"{method} weights need positive values; criterion {listed} has not")


def _varying(x: FloatArray, names: tuple[str, ...], method: str) -> npt.NDArray[np.bool_]:
    constant: npt.NDArray[np.bool_] = np.ptp(x, axis=0) == 0
    if constant.all():
        raise ScoringError(f"{method} weights are undefined: every criterion is constant")
    varying: npt.NDArray[np.bool_] = ~constant
    return varying


def _constant_notes(constant: npt.NDArray[np.bool_], names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(
        f"criterion {names[j]!r} is constant across the alternatives: weight 0"
        for j in np.flatnonzero(constant)
    )


def merec(
    table: TableInput,
    *,
    is_benefit: npt.ArrayLike | None = None,
    criteria: Sequence[str] | None = None,
) -> WeightSet:
    r"""MEREC weights: how much removing each criterion changes the alternatives' performance.

    With :math:`n_{ij} = \min_k x_{kj} / x_{ij}` (benefit) or :math:`x_{ij} / \max_k x_{kj}`
    (cost), :math:`S_i = \ln(1 + \frac1n \sum_j |\ln n_{ij}|)`, :math:`S'_{ij}` the same
    without criterion :math:`j`, and :math:`E_j = \sum_i |S'_{ij} - S_i|`:
    :math:`w_j = E_j / \sum_k E_k`.

    Parameters
    ----------
    table : CriteriaTable or array_like, shape (m, n)
        Positive values.
    is_benefit : array_like of bool, optional
        For a plain array; default all benefit.
    criteria : sequence of str, optional
        Names for a plain array.

    Returns
    -------
    WeightSet
        ``method="merec"``; ``details`` hold ``S`` (per alternative) and ``removal_effect``
        (``E``).

    Raises
    ------
    gridgov.errors.ScoringError
        A zero or negative value, or no removal effect at all (every criterion constant).

    References
    ----------
    .. [1] Keshavarz-Ghorabaee, M., Amiri, M., Zavadskas, E. K., Turskis, Z.,
       Antucheviciene, J. (2021). Determination of objective weights using a new method
       based on the removal effects of criteria (MEREC). *Symmetry* 13(4), 525.

    Examples
    --------
    >>> from gridgov.scoring.weights import merec
    >>> merec([[1.0, 2.0], [2.0, 2.5]]).weights.round(4)
    array([0.7732, 0.2268])
    """
    from gridgov.scoring.weights import WeightSet, _as_matrix

    x, b, names = _as_matrix(table, is_benefit, criteria)
    _positive(x, names, "MEREC")
    n = x.shape[1]
    r = np.where(b, x.min(axis=0) / x, x / x.max(axis=0))
    logs = np.abs(np.log(r))
    total = logs.sum(axis=1)
    s = np.log1p(total / n)
    s_removed = np.log1p((total[:, None] - logs) / n)
    effect = np.abs(s_removed - s[:, None]).sum(axis=0)
    if effect.sum() <= 0:
        raise ScoringError("MEREC weights are undefined: removing any criterion changes nothing")
    return WeightSet(
        weights=effect / effect.sum(),
        criteria=names,
        method="merec",
        details={"S": s, "removal_effect": effect},
        notes=_constant_notes(np.ptp(x, axis=0) == 0, names),
    )


def variance(
    table: TableInput,
    *,
    is_benefit: npt.ArrayLike | None = None,
    criteria: Sequence[str] | None = None,
) -> WeightSet:
    r"""Variance weights: :math:`w_j \propto` the sample variance of the min-max scaled column.

    Columns are scaled to [0, 1] first (directions do not matter for a variance), so the
    weights compare the spread of criteria on different scales; constant columns get 0.

    Parameters
    ----------
    table : CriteriaTable or array_like, shape (m, n)
        The decision matrix, at least two alternatives.
    is_benefit : array_like of bool, optional
        Accepted for a uniform signature; ignored.
    criteria : sequence of str, optional
        Names for a plain array.

    Returns
    -------
    WeightSet
        ``method="variance"``; ``details["variance"]``.

    Raises
    ------
    gridgov.errors.ScoringError
        Fewer than two alternatives or every criterion constant.

    References
    ----------
    .. [1] Odu, G. O. (2019). Weighting methods for multi-criteria decision making
       technique. *Journal of Applied Sciences and Environmental Management* 23(8),
       1449-1457.

    Examples
    --------
    >>> from gridgov.scoring.weights import variance
    >>> variance([[100, 4, 500], [110, 5, 550], [120, 6, 600], [121, 8, 400]]).weights.round(4)
    array([0.3761, 0.312 , 0.312 ])
    """
    from gridgov.scoring.weights import WeightSet, _as_matrix

    x, _, names = _as_matrix(table, is_benefit, criteria)
    if x.shape[0] < 2:
        raise ScoringError("variance weights need at least 2 alternatives")
    varying = _varying(x, names, "variance")
    lo = x.min(axis=0)
    span = np.where(varying, np.ptp(x, axis=0), 1.0)
    var = ((x - lo) / span).var(axis=0, ddof=1)
    var[~varying] = 0.0
    return WeightSet(
        weights=var / var.sum(),
        criteria=names,
        method="variance",
        params={"scaling": "minmax", "ddof": 1},
        details={"variance": var},
        notes=_constant_notes(~varying, names),
    )


def gini(
    table: TableInput,
    *,
    is_benefit: npt.ArrayLike | None = None,
    criteria: Sequence[str] | None = None,
) -> WeightSet:
    r"""Gini weights: :math:`w_j \propto` the Gini coefficient of each column.

    .. math:: G_j = \frac{\sum_i \sum_k |x_{ij} - x_{kj}|}{2 m^2 \bar x_j}

    computed from the sorted column in O(m log m).

    Parameters
    ----------
    table : CriteriaTable or array_like, shape (m, n)
        Non-negative values, each column with a positive mean.
    is_benefit : array_like of bool, optional
        Accepted for a uniform signature; ignored.
    criteria : sequence of str, optional
        Names for a plain array.

    Returns
    -------
    WeightSet
        ``method="gini"``; ``details["gini"]``.

    Raises
    ------
    gridgov.errors.ScoringError
        A negative value, a zero mean, or every criterion constant.

    References
    ----------
    .. [1] Gini, C. (1912). *Variabilità e mutabilità*. Bologna: Tipografia di Paolo
       Cuppini.
    .. [2] Li, G., Chen, C. (2016). A Gini-coefficient-based weighting method (as used in
       pymcdm's ``gini_weights``), after Gini (1912).

    Examples
    --------
    >>> from gridgov.scoring.weights import gini
    >>> gini([[5, 6, 7], [5.5, 6.1, 8], [4, 5, 9]]).weights.round(4)
    array([0.412 , 0.2562, 0.3319])
    """
    from gridgov.scoring.weights import WeightSet, _as_matrix

    x, _, names = _as_matrix(table, is_benefit, criteria)
    negative = np.flatnonzero((x < 0).any(axis=0) | (x.sum(axis=0) == 0))
    if negative.size:
        listed = ", ".join(repr(names[int(j)]) for j in negative)
        raise ScoringError(f"Gini weights need non-negative values with a positive mean: {listed}")
    varying = _varying(x, names, "Gini")
    m = x.shape[0]
    s = np.sort(x, axis=0)
    position = 2.0 * np.arange(1, m + 1) - m - 1.0
    pair_sum = 2.0 * (position @ s)  # sum over i, k of |x_i - x_k|
    g = pair_sum / (2.0 * m**2 * x.mean(axis=0))
    g[~varying] = 0.0
    return WeightSet(
        weights=g / g.sum(),
        criteria=names,
        method="gini",
        details={"gini": g},
        notes=_constant_notes(~varying, names),
    )


def _cilos_q(x: FloatArray, b: npt.NDArray[np.bool_], names: tuple[str, ...]) -> FloatArray:
    _positive(x, names, "CILOS")
    y = np.where(b, x, x.min(axis=0) / x)
    y = y / y.sum(axis=0)
    best = np.argmax(y, axis=0)
    a = y[best]  # row j: the alternative best on criterion j
    diag = np.diag(a).copy()
    p = (diag - a) / diag[:, None].T  # p[k, j] = (a_jj - a_kj) / a_jj
    f = p.copy()
    np.fill_diagonal(f, -p.sum(axis=0))
    # F q = 0 with sum(q) = 1: the right singular vector of the smallest singular value
    _, sv, vt = np.linalg.svd(f)
    q = vt[-1]
    tol = 1e-9 * max(float(sv[0]), 1.0)
    if sv.size > 1 and sv[-2] <= tol:
        raise ScoringError(
            "CILOS weights are not unique: the impact-loss matrix has more than one "
            "independent solution (e.g. one alternative is best on every criterion)"
        )
    if sv[-1] > tol or np.ptp(np.sign(q[np.abs(q) > 1e-12])) > 0:
        raise ScoringError("CILOS weights are undefined: the loss matrix has no positive kernel")
    q = np.abs(q)
    result: FloatArray = q / q.sum()
    return result


def cilos(
    table: TableInput,
    *,
    is_benefit: npt.ArrayLike | None = None,
    criteria: Sequence[str] | None = None,
) -> WeightSet:
    r"""CILOS weights: the criterion impact loss.

    Costs become :math:`\min x / x`, columns are sum-normalised; row :math:`j` of the
    square matrix :math:`A` is the alternative best on criterion :math:`j`; the relative
    losses :math:`p_{kj} = (a_{jj} - a_{kj}) / a_{jj}` form :math:`F` (diagonal replaced by
    minus the column sums), and the weights solve :math:`F q = 0`, :math:`\sum q = 1`.

    Parameters
    ----------
    table : CriteriaTable or array_like, shape (m, n)
        Positive values.
    is_benefit : array_like of bool, optional
        For a plain array; default all benefit.
    criteria : sequence of str, optional
        Names for a plain array.

    Returns
    -------
    WeightSet
        ``method="cilos"``.

    Raises
    ------
    gridgov.errors.ScoringError
        A zero or negative value, or a loss matrix without a positive solution.

    References
    ----------
    .. [1] Zavadskas, E. K., Podvezko, V. (2016). Integrated determination of objective
       criteria weights in MCDM. *International Journal of Information Technology & Decision
       Making* 15(2), 267-283.

    Examples
    --------
    >>> from gridgov.scoring.weights import cilos
    >>> x = [[3, 100, 10, 7], [2.5, 80, 8, 5], [1.8, 50, 20, 11], [2.2, 70, 12, 9]]
    >>> cilos(x, is_benefit=[False, True, False, True]).weights.round(4)
    array([0.3343, 0.2199, 0.1957, 0.2501])
    """
    from gridgov.scoring.weights import WeightSet, _as_matrix

    x, b, names = _as_matrix(table, is_benefit, criteria)
    return WeightSet(weights=_cilos_q(x, b, names), criteria=names, method="cilos")


def idocriw(
    table: TableInput,
    *,
    is_benefit: npt.ArrayLike | None = None,
    criteria: Sequence[str] | None = None,
) -> WeightSet:
    r"""IDOCRIW weights: entropy weights corrected by CILOS impact-loss weights.

    :math:`w_j = q_j W_j / \sum_k q_k W_k` with :math:`W` the entropy weights of the
    sum-normalised raw columns and :math:`q` the CILOS weights.

    Parameters
    ----------
    table : CriteriaTable or array_like, shape (m, n)
        Positive values.
    is_benefit : array_like of bool, optional
        For a plain array; default all benefit.
    criteria : sequence of str, optional
        Names for a plain array.

    Returns
    -------
    WeightSet
        ``method="idocriw"``; ``details`` hold ``entropy_weights`` and ``cilos_weights``.

    Raises
    ------
    gridgov.errors.ScoringError
        As :func:`cilos`, or every criterion constant (entropy weights undefined).

    References
    ----------
    .. [1] Zavadskas, E. K., Podvezko, V. (2016). Integrated determination of objective
       criteria weights in MCDM. *International Journal of Information Technology & Decision
       Making* 15(2), 267-283.

    Examples
    --------
    >>> from gridgov.scoring.weights import idocriw
    >>> x = [[3, 100, 10, 7], [2.5, 80, 8, 5], [1.8, 50, 20, 11], [2.2, 70, 12, 9]]
    >>> idocriw(x, is_benefit=[False, True, False, True]).weights.round(4)
    array([0.1658, 0.1885, 0.3545, 0.2911])
    """
    from gridgov.scoring.weights import WeightSet, _as_matrix, entropy

    x, b, names = _as_matrix(table, is_benefit, criteria)
    q = _cilos_q(x, b, names)
    w_entropy = entropy(x, criteria=names).weights  # of the sum-normalised raw columns
    combined = q * w_entropy
    return WeightSet(
        weights=combined / combined.sum(),
        criteria=names,
        method="idocriw",
        details={"entropy_weights": w_entropy, "cilos_weights": q},
    )


def lopcow(
    table: TableInput,
    *,
    is_benefit: npt.ArrayLike | None = None,
    criteria: Sequence[str] | None = None,
) -> WeightSet:
    r"""LOPCOW weights: the logarithmic percentage change of each criterion's spread.

    With direction-aware min-max normalised :math:`r_{ij}` and the sample standard
    deviation :math:`\sigma_j`,
    :math:`PV_j = \left|100 \ln\left(\sqrt{\tfrac1m \sum_i r_{ij}^2} / \sigma_j\right)\right|`,
    :math:`w_j = PV_j / \sum_k PV_k`.

    Parameters
    ----------
    table : CriteriaTable or array_like, shape (m, n)
        The decision matrix, at least two alternatives, no constant criterion.
    is_benefit : array_like of bool, optional
        For a plain array; default all benefit.
    criteria : sequence of str, optional
        Names for a plain array.

    Returns
    -------
    WeightSet
        ``method="lopcow"``; ``details["percentage_value"]`` holds ``PV``.

    Raises
    ------
    gridgov.errors.ScoringError
        Fewer than two alternatives or a constant criterion (its ``sigma`` is 0).

    References
    ----------
    .. [1] Ecer, F., Pamucar, D. (2022). A novel LOPCOW-DOBI multi-criteria sustainability
       performance assessment methodology: an application in developing country banking
       sector. *Omega* 112, 102690.

    Examples
    --------
    >>> from gridgov.scoring.weights import lopcow
    >>> lopcow([[1.0, 2.0], [2.0, 2.5], [4.0, 2.6]]).weights.round(4)
    array([0.3451, 0.6549])
    """
    from gridgov.scoring.weights import WeightSet, _as_matrix

    x, b, names = _as_matrix(table, is_benefit, criteria)
    if x.shape[0] < 2:
        raise ScoringError("LOPCOW weights need at least 2 alternatives")
    constant = np.flatnonzero(np.ptp(x, axis=0) == 0)
    if constant.size:
        listed = ", ".join(repr(names[int(j)]) for j in constant)
        raise ScoringError(f"LOPCOW weights: criterion {listed} is constant (its spread is 0)")
    lo = x.min(axis=0)
    hi = x.max(axis=0)
    r = np.where(b, x - lo, hi - x) / (hi - lo)
    root_mean_square = np.sqrt((r**2).mean(axis=0))
    sigma = r.std(axis=0, ddof=1)
    pv = np.abs(100.0 * np.log(root_mean_square / sigma))
    if pv.sum() <= 0:
        raise ScoringError("LOPCOW weights are undefined: every percentage value is 0")
    return WeightSet(
        weights=pv / pv.sum(),
        criteria=names,
        method="lopcow",
        details={"percentage_value": pv},
    )
