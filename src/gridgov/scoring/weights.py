"""Criterion weights: objective (entropy, CRITIC, standard deviation), subjective (AHP), combined.

Every function returns a :class:`WeightSet` (AHP returns its subclass :class:`AHPResult`): a
frozen record holding ``weights`` (read-only ``float64``, non-negative, summing to 1), the
``criteria`` names, the ``method`` that produced them, its ``params``, any ``components`` it was
built from (for :func:`combine`), ``notes`` about degenerate input and named intermediate
``details``. Functions that read a decision matrix accept a
:class:`~gridgov.scoring.CriteriaTable` or a plain 2-D array (with ``is_benefit`` and
``criteria`` given separately, defaulting to all-benefit and ``C1 … Cn``).

========================  ==========================================================  ==========
function                  what it measures                                             directions
========================  ==========================================================  ==========
:func:`entropy`           Shannon entropy of each column's share distribution          not used
:func:`critic`            contrast (std) x conflict (1 - correlation), Diakoulaki      used
:func:`std_dev`           standard deviation of each raw column                        not used
:func:`equal`             ``1/n``                                                      not used
:func:`ahp`               principal eigenvector (or GM / column mean) of judgements    n/a
:func:`combine`           subjective x objective (multiplicative or linear)            n/a
========================  ==========================================================  ==========

Examples
--------
>>> from gridgov.scoring import weights
>>> ws = weights.entropy([[30, 30, 38], [19, 54, 86], [19, 15, 85], [68, 70, 60]])
>>> ws.criteria, ws.method, round(float(ws.weights.sum()), 12)
(('C1', 'C2', 'C3'), 'entropy', 1.0)
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Any, Literal, TypeAlias

import numpy as np
import numpy.typing as npt

from gridgov.errors import ScoringError
from gridgov.scoring._table import (
    CriteriaTable,
    DegenerateDataWarning,
    InconsistentJudgementsWarning,
    pow2_scale,
    unit_sum,
    warn,
)

__all__ = [
    "RANDOM_INDEX_TABLES",
    "AHPMethod",
    "AHPResult",
    "CombineMethod",
    "InconsistentJudgementsWarning",
    "PairwiseLike",
    "WeightSet",
    "ahp",
    "combine",
    "critic",
    "entropy",
    "equal",
    "random_index",
    "std_dev",
]

FloatArray: TypeAlias = npt.NDArray[np.float64]
AHPMethod: TypeAlias = Literal["eigenvector", "geometric_mean", "column_mean"]
CombineMethod: TypeAlias = Literal["multiplicative", "linear"]
#: A pairwise comparison matrix: rows of numbers or strings ("1/3"), a mapping
#: ``{(row, column): judgement}``, or one string such as ``"1 3; 1/3 1"``.
PairwiseLike: TypeAlias = (
    npt.ArrayLike | Sequence[Sequence[object]] | Mapping[tuple[str, str], object] | str
)
TableInput: TypeAlias = CriteriaTable | npt.ArrayLike

_AHP_METHODS: tuple[str, ...] = ("eigenvector", "geometric_mean", "column_mean")
_COMBINE_METHODS: tuple[str, ...] = ("multiplicative", "linear")
#: Weights must sum to 1 within this tolerance before they are re-normalised silently.
_SUM_TOL = 1e-9

# --------------------------------------------------------------------------- random indices

#: Published random-index (RI) tables, ``{name: {n: RI}}``. ``"alonso_lamata"`` is a formula
#: and is not listed here (see :func:`random_index`).
RANDOM_INDEX_TABLES: Mapping[str, Mapping[int, float]] = MappingProxyType(
    {
        # Saaty (1980); the table printed in Saaty (1990), EJOR 48:9-26 (n = 1..10).
        "saaty": MappingProxyType(
            {
                1: 0.0,
                2: 0.0,
                3: 0.58,
                4: 0.90,
                5: 1.12,
                6: 1.24,
                7: 1.32,
                8: 1.41,
                9: 1.45,
                10: 1.49,
            }
        ),
        # Saaty (2005), Theory and Applications of the Analytic Network Process, p. 31 (n <= 15).
        "saaty2005": MappingProxyType(
            {
                1: 0.0,
                2: 0.0,
                3: 0.52,
                4: 0.89,
                5: 1.11,
                6: 1.25,
                7: 1.35,
                8: 1.40,
                9: 1.45,
                10: 1.49,
                11: 1.52,
                12: 1.54,
                13: 1.56,
                14: 1.58,
                15: 1.59,
            }
        ),
        # Donegan & Dodd (1991), Math. Comput. Modelling 15(10):135-137; sizes between the
        # published ones are interpolated linearly (n <= 100).
        "donegan_dodd": MappingProxyType(
            {
                1: 0.0,
                2: 0.0,
                3: 0.4914,
                4: 0.8286,
                5: 1.0591,
                6: 1.1797,
                7: 1.2519,
                8: 1.3171,
                9: 1.3733,
                10: 1.4055,
                11: 1.4213,
                12: 1.4497,
                13: 1.4643,
                14: 1.4822,
                15: 1.4969,
                16: 1.5078,
                17: 1.5153,
                18: 1.5262,
                19: 1.5313,
                20: 1.5371,
                25: 1.5619,
                30: 1.5772,
                40: 1.5976,
                50: 1.6102,
                60: 1.6178,
                70: 1.6237,
                80: 1.6277,
                90: 1.6213,
                100: 1.6339,
            }
        ),
    }
)
_RI_NAMES: tuple[str, ...] = (*RANDOM_INDEX_TABLES, "alonso_lamata")


def random_index(n: int, table: str | Mapping[int, float] = "saaty") -> float:
    """Return the random index RI(n) used to turn a consistency index into a ratio.

    Parameters
    ----------
    n : int
        Size of the pairwise comparison matrix (number of elements compared).
    table : {"saaty", "saaty2005", "donegan_dodd", "alonso_lamata"} or mapping, default "saaty"
        ``"saaty"``: Saaty's 1980 table as printed in Saaty (1990), n <= 10.
        ``"saaty2005"``: Saaty (2005, p. 31), n <= 15. ``"donegan_dodd"``: Donegan & Dodd
        (1991), n <= 100, linear interpolation between the published sizes.
        ``"alonso_lamata"``: the linear fit of the mean random ``lambda_max`` reported by
        Alonso & Lamata (2006), ``2.7699 n - 4.3513``, so ``RI = (1.7699 n - 4.3513)/(n - 1)``;
        any ``n >= 3``. A mapping ``{n: RI}`` supplies a table of your own.

    Returns
    -------
    float
        ``0.0`` for ``n <= 2`` (every reciprocal matrix of that size is consistent).

    Raises
    ------
    gridgov.errors.ScoringError
        If the table is unknown or does not cover ``n``; the message names the tables that do.

    References
    ----------
    .. [1] Saaty, T.L. (1990). How to make a decision: the analytic hierarchy process.
       European Journal of Operational Research 48(1), 9-26.
    .. [2] Saaty, T.L. (2005). Theory and Applications of the Analytic Network Process.
       RWS Publications, Pittsburgh, p. 31.
    .. [3] Donegan, H.A. & Dodd, F.J. (1991). A note on Saaty's random indexes. Mathematical
       and Computer Modelling 15(10), 135-137.
    .. [4] Alonso, J.A. & Lamata, M.T. (2006). Consistency in the analytic hierarchy process:
       a new approach. Int. J. Uncertainty, Fuzziness and Knowledge-Based Systems 14(4),
       445-459.

    Examples
    --------
    >>> random_index(8)
    1.41
    >>> random_index(12, "saaty2005")
    1.54
    >>> round(random_index(22, "donegan_dodd"), 4)  # interpolated between n = 20 and 25
    1.5470
    """
    if n < 1:
        raise ScoringError(f"a pairwise comparison matrix needs at least one element, got n={n}")
    if n <= 2:
        return 0.0
    if isinstance(table, Mapping):
        if n not in table:
            raise ScoringError(f"the random-index mapping given has no entry for n={n}")
        return float(table[n])
    if table == "alonso_lamata":
        return (1.7699 * n - 4.3513) / (n - 1)
    if table not in RANDOM_INDEX_TABLES:
        raise ScoringError(
            f"unknown random-index table {table!r}; available: {', '.join(_RI_NAMES)}"
        )
    values = RANDOM_INDEX_TABLES[table]
    if n in values:
        return float(values[n])
    sizes = sorted(values)
    if n > sizes[-1]:
        covering = [name for name, t in RANDOM_INDEX_TABLES.items() if max(t) >= n] + [
            "alonso_lamata"
        ]
        raise ScoringError(
            f"random-index table {table!r} stops at n={sizes[-1]}, the matrix has n={n}; "
            f"tables covering n={n}: {', '.join(covering)}"
        )
    below = max(s for s in sizes if s < n)
    above = min(s for s in sizes if s > n)
    slope = (values[above] - values[below]) / (above - below)
    return float(values[below] + slope * (n - below))


# --------------------------------------------------------------------------- result types


def _readonly(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
    array.flags.writeable = False
    return array


def _default_names(n: int) -> tuple[str, ...]:
    return tuple(f"C{j + 1}" for j in range(n))


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class WeightSet:
    """Criterion weights with their provenance.

    Attributes
    ----------
    weights : numpy.ndarray
        Read-only ``float64`` array, non-negative, summing to 1 (re-normalised on creation if
        the sum is off by more than 1e-9).
    criteria : tuple of str
        One name per weight.
    method : str
        What produced the weights: ``"entropy"``, ``"critic"``, ``"std_dev"``, ``"equal"``,
        ``"ahp"``, ``"combined"``, ``"given"``, ``"group_ahp"``.
    params : mapping
        The method's parameters (e.g. ``{"rule": "linear", "alpha": 0.5}``).
    components : tuple of WeightSet
        The weight sets this one was built from (``combine`` keeps subjective, objective).
    notes : tuple of str
        Plain-English notes on degenerate input (a constant criterion given weight 0, …).
    details : mapping of str to numpy.ndarray
        Named intermediate arrays (``entropy``/``diversification`` for entropy, ``std``,
        ``correlation`` and ``information`` for CRITIC, …), read-only.

    Examples
    --------
    >>> ws = WeightSet.from_array([2, 1, 1], criteria=["a", "b", "c"])
    >>> ws.weights.tolist(), ws.method
    ([0.5, 0.25, 0.25], 'given')
    >>> ws.as_dict()
    {'a': 0.5, 'b': 0.25, 'c': 0.25}
    """

    weights: FloatArray
    criteria: tuple[str, ...]
    method: str
    params: Mapping[str, object] = field(default_factory=dict)
    components: tuple[WeightSet, ...] = ()
    notes: tuple[str, ...] = ()
    details: Mapping[str, FloatArray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        w = np.array(self.weights, dtype=np.float64).reshape(-1)
        criteria = tuple(str(c) for c in self.criteria)
        if w.shape[0] != len(criteria):
            raise ScoringError(f"{w.shape[0]} weight(s) for {len(criteria)} criteria")
        if len(set(criteria)) != len(criteria):
            raise ScoringError(f"duplicate criterion names in {criteria}")
        if not np.all(np.isfinite(w)) or np.any(w < 0):
            raise ScoringError(f"weights must be finite and non-negative, got {w.tolist()}")
        if not np.any(w > 0.0):
            raise ScoringError("weights sum to zero")
        normalised, total = unit_sum(w)  # scales before summing: [1e308] * 3 is not [0] * 3
        if not math.isclose(total, 1.0, rel_tol=0.0, abs_tol=_SUM_TOL):
            w = normalised
        setter = object.__setattr__
        setter(self, "weights", _readonly(w))
        setter(self, "criteria", criteria)
        setter(self, "params", MappingProxyType(dict(self.params)))
        setter(self, "components", tuple(self.components))
        setter(self, "notes", tuple(self.notes))
        details = {
            k: _readonly(np.array(v, dtype=np.float64)) for k, v in dict(self.details).items()
        }
        setter(self, "details", MappingProxyType(details))

    @classmethod
    def from_array(
        cls,
        weights: npt.ArrayLike | Mapping[str, float],
        criteria: Sequence[str] | None = None,
        *,
        method: str = "given",
    ) -> WeightSet:
        """Wrap given weights (array or ``{criterion: weight}``), dividing by their sum.

        Parameters
        ----------
        weights : array_like or mapping of str to float
            Non-negative weights, not all zero.
        criteria : sequence of str, optional
            Names; default the mapping's keys or ``C1 … Cn``.
        method : str, default "given"
            Recorded as the provenance.

        Returns
        -------
        WeightSet

        Examples
        --------
        >>> WeightSet.from_array({"x": 3, "y": 1}).weights.tolist()
        [0.75, 0.25]
        """
        if isinstance(weights, Mapping):
            names = tuple(str(k) for k in weights) if criteria is None else tuple(criteria)
            try:
                values = [float(weights[c]) for c in names]
            except KeyError as exc:
                raise ScoringError(f"weights mapping has no entry for criterion {exc}") from exc
            w = np.array(values, dtype=np.float64)
        else:
            try:
                w = np.array(weights, dtype=np.float64).reshape(-1)
            except (TypeError, ValueError) as exc:
                raise ScoringError(f"weights must be numbers: {exc}") from exc
            names = _default_names(w.shape[0]) if criteria is None else tuple(criteria)
        return cls(weights=w, criteria=names, method=method)

    def as_dict(self) -> dict[str, float]:
        """Return ``{criterion: weight}`` in criterion order."""
        return {c: float(w) for c, w in zip(self.criteria, self.weights, strict=True)}

    def __len__(self) -> int:
        return len(self.criteria)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class AHPResult(WeightSet):
    """Weights derived from a pairwise comparison matrix, with its consistency.

    Attributes
    ----------
    matrix : numpy.ndarray
        The complete positive reciprocal matrix used (read-only).
    lambda_max : float
        Principal (Perron) eigenvalue of ``matrix``, whatever ``method`` derived the weights.
    ci : float
        Consistency index ``(lambda_max - n)/(n - 1)``; 0 for ``n <= 2``.
    ri : float
        Random index of the chosen table for this ``n`` (0 for ``n <= 2``).
    cr : float
        Consistency ratio ``ci/ri``; 0 for ``n <= 2``.
    threshold : float
        The acceptance threshold used.
    consistent : bool
        ``cr < threshold``.

    The inherited fields are as in :class:`WeightSet` with ``method="ahp"`` and ``params``
    holding ``method``, ``random_index`` and ``threshold``.
    """

    matrix: FloatArray
    lambda_max: float
    ci: float
    ri: float
    cr: float
    threshold: float
    consistent: bool

    def __post_init__(self) -> None:
        WeightSet.__post_init__(self)
        object.__setattr__(self, "matrix", _readonly(np.array(self.matrix, dtype=np.float64)))


# --------------------------------------------------------------------------- input handling


def _as_matrix(
    table: TableInput,
    is_benefit: npt.ArrayLike | None,
    criteria: Sequence[str] | None,
) -> tuple[FloatArray, npt.NDArray[np.bool_], tuple[str, ...]]:
    """Return values, benefit mask and names from a table or a plain 2-D array."""
    if isinstance(table, CriteriaTable):
        if is_benefit is not None or criteria is not None:
            raise ScoringError(
                "is_benefit and criteria come from the CriteriaTable; pass them only with a "
                "plain array"
            )
        return (
            np.asarray(table.values, dtype=np.float64),
            np.asarray(table.is_benefit, dtype=bool),
            tuple(table.criteria),
        )
    try:
        x = np.array(table, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ScoringError(f"the decision matrix must hold numbers: {exc}") from exc
    if x.ndim != 2:
        raise ScoringError(
            f"the decision matrix must be 2-D (alternatives x criteria), got shape {x.shape}"
        )
    m, n = x.shape
    if m == 0 or n == 0:
        raise ScoringError(f"the decision matrix is empty (shape {x.shape})")
    names = _default_names(n) if criteria is None else tuple(str(c) for c in criteria)
    if len(names) != n:
        raise ScoringError(f"{len(names)} criterion name(s) for {n} column(s)")
    if len(set(names)) != n:
        raise ScoringError(f"duplicate criterion names in {names}")
    benefit = np.ones(n, dtype=bool) if is_benefit is None else np.asarray(is_benefit, dtype=bool)
    if benefit.shape != (n,):
        raise ScoringError(f"is_benefit must have shape ({n},), got {benefit.shape}")
    bad = np.argwhere(~np.isfinite(x))
    if bad.size:
        i, j = (int(k) for k in bad[0])
        raise ScoringError(f"value {x[i, j]} in row {i}, criterion {names[j]!r} is not finite")
    return x, benefit, names


def _constant_columns(x: FloatArray) -> npt.NDArray[np.bool_]:
    # max == min rather than ptp == 0: ptp overflows for a column spanning -1e308 .. 1e308
    return np.asarray(x.max(axis=0) == x.min(axis=0), dtype=bool)


# --------------------------------------------------------------------------- objective weights


def entropy(
    table: TableInput,
    *,
    is_benefit: npt.ArrayLike | None = None,
    criteria: Sequence[str] | None = None,
) -> WeightSet:
    r"""Entropy weights: criteria whose values are spread unevenly get more weight.

    With ``p_ij = x_ij / sum_i x_ij`` (sum normalisation of each *raw* column),
    ``e_j = -(1/ln m) sum_i p_ij ln p_ij`` with the convention ``0 ln 0 = 0``,
    ``d_j = 1 - e_j`` and ``w_j = d_j / sum_k d_k``.

    Directions are **not** used: the normalisation is applied to the raw values before any
    direction handling, because entropy measures how unevenly a column is spread, which is the
    same information whether more or less is better (this is also what reproduces the
    published examples cited below).

    Parameters
    ----------
    table : CriteriaTable or array_like, shape (m, n)
        Non-negative values; at least two alternatives.
    is_benefit : array_like of bool, optional
        Accepted for a uniform signature with a plain array; ignored by this method.
    criteria : sequence of str, optional
        Names for a plain array (default ``C1 … Cn``).

    Returns
    -------
    WeightSet
        ``method="entropy"``; ``details["entropy"]`` holds ``e_j`` and
        ``details["diversification"]`` holds ``d_j``.

    Raises
    ------
    gridgov.errors.ScoringError
        A negative value (the message names the criterion), fewer than two alternatives, or
        every criterion constant.

    Warns
    -----
    DegenerateDataWarning
        For an all-zero column, whose shares are undefined; it is treated as constant.

    Notes
    -----
    A constant column has ``e_j = 1`` exactly and gets weight 0; this is stated in ``notes``.

    References
    ----------
    .. [1] Shannon, C.E. (1948). A mathematical theory of communication. Bell System
       Technical Journal 27, 379-423.
    .. [2] Zeleny, M. (1982). Multiple Criteria Decision Making. McGraw-Hill, New York.
    .. [3] Xu, X. (2004). A note on the subjective and objective integrated approach to
       determine attribute weights. European Journal of Operational Research 156(2), 530-532.

    Examples
    --------
    The example of Xu (2004); the last, almost constant, criterion gets almost no weight:

    >>> ws = entropy([[30, 30, 38, 29], [19, 54, 86, 29], [19, 15, 85, 28.9], [68, 70, 60, 29]])
    >>> [round(float(w), 4) for w in ws.weights]
    [0.463, 0.3992, 0.1378, 0.0]
    """
    x, _, names = _as_matrix(table, is_benefit, criteria)
    m = x.shape[0]
    if m < 2:
        raise ScoringError("entropy weights need at least two alternatives (ln m = 0 for m = 1)")
    negative = np.flatnonzero((x < 0).any(axis=0))
    if negative.size:
        listed = ", ".join(repr(names[j]) for j in negative)
        raise ScoringError(
            f"entropy weights need non-negative values; criterion {listed} has negative values "
            "(shift or re-scale the column first)"
        )
    constant = _constant_columns(x)
    if constant.all():
        raise ScoringError(
            "entropy weights are undefined: every criterion is constant across the alternatives"
        )
    with np.errstate(over="ignore"):
        totals = x.sum(axis=0)
    zero = totals == 0.0  # a sum of non-negative floats is 0 only if every term is
    if not ((totals >= np.finfo(np.float64).tiny) | zero).all() or not np.isfinite(totals).all():
        # shares are scale-invariant: rescale each column by a power of two (exact) so that
        # its sum cannot overflow (columns of 1e308) and tiny columns keep their precision
        x = pow2_scale(x, axis=0)
        totals = x.sum(axis=0)
    for j in np.flatnonzero(zero):
        warnings.warn(
            f"criterion {names[j]!r} is zero for every alternative; its shares are undefined "
            "and it is treated as constant (weight 0)",
            DegenerateDataWarning,
            stacklevel=2,
        )
    p = x / np.where(zero, 1.0, totals)
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(p > 0.0, p * np.log(np.where(p > 0.0, p, 1.0)), 0.0)
    e = np.where(constant, 1.0, -plogp.sum(axis=0) / math.log(m))
    d = np.clip(1.0 - e, 0.0, None)
    notes = [
        f"criterion {names[j]!r} is constant across the alternatives: entropy 1, weight 0"
        for j in np.flatnonzero(constant)
    ]
    if not np.any(d > 0.0):  # varying columns so close to uniform that e rounds to 1
        raise ScoringError(
            "entropy weights are undefined: no criterion varies enough for its entropy to "
            "differ from 1 in floating point"
        )
    return WeightSet(
        weights=d / d.sum(),
        criteria=names,
        method="entropy",
        params={"normalisation": "sum", "directions": "ignored", "log_base": "e"},
        notes=tuple(notes),
        details={"entropy": e, "diversification": d},
    )


def critic(
    table: TableInput,
    *,
    is_benefit: npt.ArrayLike | None = None,
    criteria: Sequence[str] | None = None,
    ignore_directions: bool = False,
) -> WeightSet:
    r"""CRITIC weights (CRiteria Importance Through Intercriteria Correlation).

    Each column is first min–max normalised **direction-aware** (Diakoulaki et al. 1995):
    ``r_ij = (x_ij - worst_j)/(best_j - worst_j)``, so 1 is the best value of a benefit *and* of
    a cost criterion. Then ``C_j = s_j * sum_k (1 - rho_jk)`` with ``s_j`` the (population)
    standard deviation of ``r_.j`` and ``rho`` the Pearson correlation matrix, and
    ``w_j = C_j / sum_k C_k``.

    Parameters
    ----------
    table : CriteriaTable or array_like, shape (m, n)
        The decision matrix.
    is_benefit : array_like of bool, optional
        Directions for a plain array (default all benefit).
    criteria : sequence of str, optional
        Names for a plain array.
    ignore_directions : bool, default False
        Normalise every column as a benefit criterion (``(x - min)/(max - min)``), as some
        published applications do. Only correlations with cost criteria change sign.

    Returns
    -------
    WeightSet
        ``method="critic"``; ``details`` holds ``std``, ``correlation`` (n x n, 0 for
        constant criteria) and ``information`` (``C_j``).

    Raises
    ------
    gridgov.errors.ScoringError
        When every ``C_j`` is zero: every criterion is constant or perfectly correlated with
        all others.

    Warns
    -----
    DegenerateDataWarning
        For a constant criterion, whose min–max normalisation is undefined (0/0). It gets
        weight 0 and is left out of the other criteria's conflict sums.

    References
    ----------
    .. [1] Diakoulaki, D., Mavrotas, G. & Papayannakis, L. (1995). Determining objective
       weights in multiple criteria problems: the CRITIC method. Computers & Operations
       Research 22(7), 763-770.
    .. [2] Tuş, A. & Aytaç Adalı, E. (2019). The new combination with CRITIC and WASPAS
       methods for the time and attendance software selection problem. OPSEARCH 56(2),
       528-538.

    Examples
    --------
    >>> x = [[5000, 3, 3, 4, 3, 2], [680, 5, 3, 2, 2, 1], [2000, 3, 2, 3, 4, 3],
    ...      [600, 4, 3, 1, 2, 2], [800, 2, 4, 3, 3, 4]]
    >>> [round(float(w), 3) for w in critic(x, ignore_directions=True).weights]
    [0.157, 0.249, 0.168, 0.121, 0.154, 0.151]
    """
    x, benefit, names = _as_matrix(table, is_benefit, criteria)
    n = x.shape[1]
    if ignore_directions:
        benefit = np.ones(n, dtype=bool)
    constant = _constant_columns(x)
    x = pow2_scale(x, axis=0)  # exact; keeps hi - lo finite near the float limits
    lo = x.min(axis=0)
    hi = x.max(axis=0)
    span = np.where(constant, 1.0, hi - lo)
    r = np.where(benefit, (x - lo) / span, (hi - x) / span)
    r[:, constant] = 0.0
    notes: list[str] = []
    for j in np.flatnonzero(constant):
        message = (
            f"criterion {names[j]!r} is constant: its min-max normalisation is undefined; "
            "it gets weight 0 and is left out of the conflict sums"
        )
        warnings.warn(message, DegenerateDataWarning, stacklevel=2)
        notes.append(message)
    std = r.std(axis=0)
    rho = np.zeros((n, n))
    varying = np.flatnonzero(~constant)
    if varying.size:
        rho_v = np.atleast_2d(np.corrcoef(r[:, varying], rowvar=False))
        rho[np.ix_(varying, varying)] = rho_v
    conflict = np.zeros((n, n))
    conflict[np.ix_(varying, varying)] = 1.0 - rho[np.ix_(varying, varying)]
    information = std * conflict.sum(axis=0)
    information = np.clip(information, 0.0, None)
    if not np.any(information > 0.0):
        raise ScoringError(
            "CRITIC weights are undefined: every criterion is constant or perfectly correlated "
            "with all the others"
        )
    return WeightSet(
        weights=information / information.sum(),
        criteria=names,
        method="critic",
        params={
            "normalisation": "minmax",
            "directions": "ignored" if ignore_directions else "respected",
            "std": "population",
        },
        notes=tuple(notes),
        details={"std": std, "correlation": rho, "information": information},
    )


def std_dev(
    table: TableInput,
    *,
    is_benefit: npt.ArrayLike | None = None,
    criteria: Sequence[str] | None = None,
) -> WeightSet:
    """Standard-deviation weights: ``w_j = s_j / sum_k s_k`` on the raw columns.

    The population standard deviation of each raw column is used, so columns must be on
    commensurate scales (normalise them first otherwise). Directions do not matter.

    Parameters
    ----------
    table : CriteriaTable or array_like, shape (m, n)
        The decision matrix.
    is_benefit : array_like of bool, optional
        Accepted for a uniform signature; ignored.
    criteria : sequence of str, optional
        Names for a plain array.

    Returns
    -------
    WeightSet
        ``method="std_dev"``; ``details["std"]`` holds ``s_j``.

    Raises
    ------
    gridgov.errors.ScoringError
        If every column is constant.

    References
    ----------
    .. [1] Sałabun, W., Wątróbski, J. & Shekhovtsov, A. (2020). Are MCDA methods
       benchmarkable? A comparative study of TOPSIS, VIKOR, COPRAS, and PROMETHEE II methods.
       Symmetry 12(9), 1549.

    Examples
    --------
    >>> x = [[0.619, 0.449, 0.447], [0.862, 0.466, 0.006], [0.458, 0.698, 0.771],
    ...      [0.777, 0.631, 0.491], [0.567, 0.992, 0.968]]
    >>> [round(float(w), 3) for w in std_dev(x).weights]
    [0.217, 0.294, 0.488]
    """
    x, _, names = _as_matrix(table, is_benefit, criteria)
    constant = _constant_columns(x)
    if constant.all():
        raise ScoringError("standard-deviation weights are undefined: every criterion is constant")
    # Work in rescaled units: the variance of tiny values underflows (5.8e-174 squared is 0,
    # and so is std([5e-324, 0])). Each column is divided by its own magnitude c_j, and the
    # weights use c_j / C with C the largest magnitude among the non-constant columns, so a
    # non-constant column's share can vanish only if it is negligible next to another's.
    varying = ~constant
    magnitude = np.max(np.abs(x[:, varying]), axis=0)  # > 0: a varying column is not all 0
    top = magnitude.max()
    shares = np.zeros(x.shape[1])
    shares[varying] = (x[:, varying] / magnitude).std(axis=0) * (magnitude / top)
    notes = tuple(
        f"criterion {names[j]!r} is constant across the alternatives: weight 0"
        for j in np.flatnonzero(constant)
    )
    s = shares * top  # the standard deviations, for details
    return WeightSet(
        weights=shares / shares.sum(),
        criteria=names,
        method="std_dev",
        params={"std": "population"},
        notes=notes,
        details={"std": s},
    )


def equal(n_or_table: int | Sequence[str] | TableInput) -> WeightSet:
    """Equal weights ``1/n``.

    Parameters
    ----------
    n_or_table : int, sequence of str, CriteriaTable or array_like
        A number of criteria (named ``C1 … Cn``), criterion names, a table (its criteria) or a
        2-D array (its columns).

    Returns
    -------
    WeightSet
        ``method="equal"``.

    Examples
    --------
    >>> equal(4).weights.tolist()
    [0.25, 0.25, 0.25, 0.25]
    >>> equal(["safety", "cost"]).as_dict()
    {'safety': 0.5, 'cost': 0.5}
    """
    if isinstance(n_or_table, bool | str):
        raise ScoringError(
            f"equal() needs a number of criteria, names or a table, not {n_or_table!r}"
        )
    if isinstance(n_or_table, int | np.integer):
        n = int(n_or_table)
        if n < 1:
            raise ScoringError(f"equal() needs at least one criterion, got {n}")
        names = _default_names(n)
    elif isinstance(n_or_table, CriteriaTable):
        names = tuple(n_or_table.criteria)
    elif isinstance(n_or_table, Sequence) and all(isinstance(c, str) for c in n_or_table):
        names = tuple(str(c) for c in n_or_table)
        if not names:
            raise ScoringError("equal() needs at least one criterion name")
    else:
        names = _as_matrix(n_or_table, None, None)[2]
    k = len(names)
    return WeightSet(weights=np.full(k, 1.0 / k), criteria=names, method="equal")


# --------------------------------------------------------------------------- AHP

_CELL_SPLIT = re.compile(r"[\s,]+")


def _parse_judgement(value: object, where: str) -> float:
    """One judgement as a float; NaN means 'not given'."""
    if value is None:
        return math.nan
    if isinstance(value, bool):
        raise ScoringError(f"judgement {value!r} at {where} is a bool, not a number")
    if isinstance(value, str):
        text = value.replace(" ", "")
        if not text:
            return math.nan
        try:
            return float(Fraction(text))
        except (ValueError, ZeroDivisionError) as exc:
            raise ScoringError(
                f"cannot read judgement {value!r} at {where}: write a number or a fraction "
                "such as '3' or '1/3'"
            ) from exc
    if isinstance(value, int | float | Fraction | np.integer | np.floating):
        return float(value)
    raise ScoringError(f"judgement {value!r} at {where} is not a number")


def _cells_from_mapping(
    pairwise: Mapping[tuple[str, str], object], criteria: Sequence[str] | None
) -> tuple[list[list[object]], tuple[str, ...]]:
    order: list[str] = [] if criteria is None else [str(c) for c in criteria]
    for key in pairwise:
        if not (isinstance(key, tuple) and len(key) == 2):
            raise ScoringError(
                f"pairwise mapping keys must be (row, column) pairs of names, got {key!r}"
            )
        for name in map(str, key):
            if name in order:
                continue
            if criteria is not None:
                raise ScoringError(
                    f"pairwise judgement names {name!r}, which is not among the criteria "
                    f"{tuple(criteria)}"
                )
            order.append(name)
    position = {name: k for k, name in enumerate(order)}
    n = len(order)
    rows: list[list[object]] = [[1.0 if i == j else None for j in range(n)] for i in range(n)]
    for (a, b), value in pairwise.items():
        rows[position[str(a)]][position[str(b)]] = value
    return rows, tuple(order)


def _rows(pairwise: object) -> list[list[object]]:
    if isinstance(pairwise, str):
        rows_text = [r for r in re.split(r"[;\n]", pairwise) if r.strip()]
        return [[c for c in _CELL_SPLIT.split(r.strip()) if c] for r in rows_text]
    if isinstance(pairwise, np.ndarray):
        if pairwise.ndim != 2:
            raise ScoringError(
                f"a pairwise comparison matrix must be 2-D, got shape {pairwise.shape}"
            )
        return [list(r) for r in pairwise.tolist()]
    given = list(pairwise) if isinstance(pairwise, Sequence) else None
    if given is None or not all(
        isinstance(r, Sequence | np.ndarray) and not isinstance(r, str) for r in given
    ):
        raise ScoringError(
            "a pairwise comparison matrix must be rows of judgements, a mapping "
            "{(row, column): judgement} or a string such as '1 3; 1/3 1'"
        )
    return [list(r) for r in given]


def _pairwise_cells(
    pairwise: PairwiseLike, criteria: Sequence[str] | None
) -> tuple[list[list[object]], tuple[str, ...]]:
    """Normalise the accepted input forms to rows of raw cells plus element names."""
    if isinstance(pairwise, Mapping):
        return _cells_from_mapping(pairwise, criteria)
    rows = _rows(pairwise)
    n = len(rows)
    if any(len(r) != n for r in rows):
        raise ScoringError(
            f"a pairwise comparison matrix must be square; row lengths {[len(r) for r in rows]}"
        )
    names = _default_names(n) if criteria is None else tuple(str(c) for c in criteria)
    if len(names) != n:
        raise ScoringError(f"{len(names)} name(s) for a {n} x {n} pairwise matrix")
    return rows, names


def _pairwise_matrix(
    pairwise: PairwiseLike, criteria: Sequence[str] | None, rtol: float
) -> tuple[FloatArray, tuple[str, ...], list[str]]:
    rows, names = _pairwise_cells(pairwise, criteria)
    n = len(names)
    if n == 0:
        raise ScoringError("a pairwise comparison matrix needs at least one element")
    if len(set(names)) != n:
        raise ScoringError(f"duplicate element names in {names}")
    a = np.array(
        [
            [_parse_judgement(rows[i][j], f"cell ({names[i]}, {names[j]})") for j in range(n)]
            for i in range(n)
        ],
        dtype=np.float64,
    ).reshape(n, n)
    _check_diagonal(a, names, rtol)
    bad_value = np.argwhere(~np.isnan(a) & ~(np.isfinite(a) & (a > 0)))
    if bad_value.size:
        i, j = (int(k) for k in bad_value[0])
        raise ScoringError(
            f"judgement at cell ({names[i]}, {names[j]}) is {a[i, j]:g}; judgements must be "
            "positive and finite"
        )
    _complete_reciprocal(a, names, rtol)
    notes: list[str] = []
    outside = np.argwhere((a > 9.0 * (1 + 1e-12)) | (a < (1.0 / 9.0) * (1 - 1e-12)))
    if outside.size:
        i, j = (int(k) for k in outside[0])
        notes.append(
            f"judgement ({names[i]}, {names[j]}) = {a[i, j]:g} lies outside Saaty's 1/9..9 scale"
        )
    return a, names, notes


def _check_diagonal(a: FloatArray, names: tuple[str, ...], rtol: float) -> None:
    """Fill a missing diagonal with 1 and reject one that is not 1."""
    for i, name in enumerate(names):
        if math.isnan(a[i, i]):
            a[i, i] = 1.0
        elif not math.isclose(a[i, i], 1.0, rel_tol=rtol):
            raise ScoringError(
                f"diagonal cell ({name}, {name}) is {a[i, i]:g}; an element compared with "
                "itself must be 1"
            )


def _complete_reciprocal(a: FloatArray, names: tuple[str, ...], rtol: float) -> None:
    """Fill each missing cell from its mirror; reject pairs that are not reciprocal."""
    violations: list[str] = []
    n = len(names)
    for i in range(n):
        for j in range(i + 1, n):
            aij, aji = a[i, j], a[j, i]
            if math.isnan(aij) and math.isnan(aji):
                raise ScoringError(
                    f"judgement missing for the pair ({names[i]}, {names[j]}): give cell "
                    f"({names[i]}, {names[j]}) or ({names[j]}, {names[i]})"
                )
            if math.isnan(aij):
                a[i, j] = 1.0 / aji
            elif math.isnan(aji):
                a[j, i] = 1.0 / aij
            elif not math.isclose(aij * aji, 1.0, rel_tol=rtol):
                violations.append(
                    f"cell ({names[i]}, {names[j]}) = {aij:g} but cell ({names[j]}, {names[i]}) "
                    f"= {aji:g} (expected {1.0 / aij:.4g})"
                )
    if violations:
        raise ScoringError(
            f"pairwise matrix is not reciprocal (relative tolerance {rtol:g}): "
            + "; ".join(violations)
        )


def _principal(a: FloatArray) -> tuple[float, FloatArray]:
    """Perron eigenvalue and normalised eigenvector of a positive matrix."""
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    vector = np.abs(vectors[:, k].real)
    return float(values[k].real), vector / vector.sum()


def ahp(
    pairwise: PairwiseLike,
    method: AHPMethod = "eigenvector",
    random_index: str | Mapping[int, float] = "saaty",
    *,
    threshold: float = 0.1,
    criteria: Sequence[str] | None = None,
    rtol: float = 0.05,
) -> AHPResult:
    """Weights and consistency from a pairwise comparison matrix (Saaty's AHP).

    Parameters
    ----------
    pairwise : array_like, mapping or str
        ``pairwise[i][j]`` says how many times more important element ``i`` is than ``j``.
        Cells may be numbers or strings such as ``"3"``, ``"1/3"`` or ``"0.5"`` (read exactly
        with :class:`fractions.Fraction`). A cell left ``None``, ``NaN`` or ``""`` is filled with
        the reciprocal of its mirror. Also accepted: a mapping ``{(row, column): judgement}``
        (one of each pair suffices; element order from ``criteria`` or first appearance) or
        one string with rows separated by ``;`` or new lines (``"1 3; 1/3 1"``).
    method : {"eigenvector", "geometric_mean", "column_mean"}, default "eigenvector"
        ``"eigenvector"``: the normalised principal right eigenvector (Saaty).
        ``"geometric_mean"``: normalised row geometric means (Crawford & Williams 1985).
        ``"column_mean"``: mean of the rows of the column-normalised matrix (Saaty's
        approximation).
    random_index : str or mapping, default "saaty"
        The random-index table for the consistency ratio; see
        :func:`gridgov.scoring.weights.random_index`.
    threshold : float, default 0.1
        ``consistent`` is ``cr < threshold``. (Saaty 1990 accepts "0.10 or less"; the
        difference only matters for a ratio of exactly 0.1.)
    criteria : sequence of str, optional
        Element names (default ``C1 … Cn``, or the mapping's names).
    rtol : float, default 0.05
        Relative tolerance of the reciprocity check ``a_ij * a_ji = 1``; 0.05 accepts
        judgements written with two decimals (``0.33`` for ``1/3``, ``0.13`` for ``1/8``).
        Values are used as given (not symmetrised).

    Returns
    -------
    AHPResult
        ``weights``, ``criteria``, ``lambda_max``, ``ci``, ``ri``, ``cr``, ``consistent`` and the
        completed ``matrix``. ``lambda_max`` is always the principal eigenvalue of the matrix
        (CI and CR are properties of the judgements, not of the derivation method).

    Raises
    ------
    gridgov.errors.ScoringError
        A cell that does not parse, is not positive, a diagonal cell that is not 1, a missing
        pair, or a reciprocity violation (the message names the cells); an unknown method or
        random-index table.

    Warns
    -----
    InconsistentJudgementsWarning
        When ``cr >= threshold``; the message reports CR, CI, RI and n. The result is still
        returned (with ``consistent=False``).

    Notes
    -----
    For ``n = 1`` and ``n = 2`` every reciprocal matrix is consistent: ``ci = cr = 0``.

    References
    ----------
    .. [1] Saaty, T.L. (1980). The Analytic Hierarchy Process. McGraw-Hill, New York.
    .. [2] Saaty, T.L. (1990). How to make a decision: the analytic hierarchy process.
       European Journal of Operational Research 48(1), 9-26.
    .. [3] Crawford, G. & Williams, C. (1985). A note on the analysis of subjective judgment
       matrices. Journal of Mathematical Psychology 29(4), 387-405.

    Examples
    --------
    The criteria of Saaty's (1990) house-buying example:

    >>> house = '''
    ...   1   5   3   7   6   6 1/3 1/4
    ... 1/5   1 1/3   5   3   3 1/5 1/7
    ... 1/3   3   1   6   3   4   6 1/5
    ... 1/7 1/5 1/6   1 1/3 1/4 1/7 1/8
    ... 1/6 1/3 1/3   3   1 1/2 1/5 1/6
    ... 1/6 1/3 1/4   4   2   1 1/5 1/6
    ...   3   5 1/6   7   5   5   1 1/2
    ...   4   7   5   8   6   6   2   1'''
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     r = ahp(house)
    >>> print(caught[0].message)  # doctest: +NORMALIZE_WHITESPACE
    AHP judgements are inconsistent: consistency ratio CR = 0.169 is at or above the
    threshold 0.1 (CI = 0.238, RI = 1.41, n = 8); the weights are returned, but Saaty
    advises revising the judgements
    >>> [round(float(w), 3) for w in r.weights]
    [0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333]
    >>> round(r.lambda_max, 3), round(r.cr, 3), r.consistent
    (9.669, 0.169, False)
    >>> ahp([[1, "1/3"], [3, 1]]).weights.tolist()
    [0.25, 0.75]
    """
    result = _analyse(
        pairwise, method, random_index, threshold=threshold, criteria=criteria, rtol=rtol
    )
    if not result.consistent:
        warn(
            f"AHP judgements are inconsistent: consistency ratio CR = {result.cr:.3f} is at or "
            f"above the threshold {threshold:g} (CI = {result.ci:.3f}, RI = {result.ri:g}, "
            f"n = {result.matrix.shape[0]}); the weights are returned, but Saaty advises "
            "revising the judgements",
            InconsistentJudgementsWarning,
        )
    return result


def _analyse(
    pairwise: PairwiseLike,
    method: AHPMethod,
    random_index: str | Mapping[int, float],
    *,
    threshold: float,
    criteria: Sequence[str] | None,
    rtol: float = 0.05,
) -> AHPResult:
    """:func:`ahp` without the inconsistency warning (for callers that report it otherwise)."""
    if method not in _AHP_METHODS:
        raise ScoringError(f"unknown AHP method {method!r}; available: {', '.join(_AHP_METHODS)}")
    if not (threshold > 0):
        raise ScoringError(f"threshold must be positive, got {threshold}")
    a, names, notes = _pairwise_matrix(pairwise, criteria, rtol)
    n = a.shape[0]
    lam, eigvec = _principal(a)
    if method == "eigenvector":
        w = eigvec
    elif method == "geometric_mean":
        g = np.exp(np.log(a).mean(axis=1))
        w = g / g.sum()
    else:
        w = (a / a.sum(axis=0)).mean(axis=1)
    if n <= 2:
        lam, ci, ri, cr = float(n), 0.0, 0.0, 0.0
    else:
        ri = _random_index(n, random_index)
        ci = max((lam - n) / (n - 1), 0.0)
        cr = ci / ri
    ri_name = random_index if isinstance(random_index, str) else "custom"
    return AHPResult(
        weights=w,
        criteria=names,
        method="ahp",
        params={"method": method, "random_index": ri_name, "threshold": threshold},
        notes=tuple(notes),
        matrix=a,
        lambda_max=lam,
        ci=ci,
        ri=ri,
        cr=cr,
        threshold=threshold,
        consistent=bool(cr < threshold),
    )


# ``ahp`` has a parameter named ``random_index``; keep a module-level alias to the function.
_random_index = random_index


# --------------------------------------------------------------------------- combination


def _as_weight_set(value: WeightSet | npt.ArrayLike | Mapping[str, float], role: str) -> WeightSet:
    if isinstance(value, WeightSet):
        return value
    try:
        return WeightSet.from_array(value, method="given")
    except ScoringError as exc:
        raise ScoringError(f"{role} weights: {exc}") from exc


def combine(
    subjective: WeightSet | npt.ArrayLike | Mapping[str, float],
    objective: WeightSet | npt.ArrayLike | Mapping[str, float],
    method: CombineMethod = "multiplicative",
    alpha: float = 0.5,
) -> WeightSet:
    """Combine subjective and objective weights, keeping both as components.

    ``"multiplicative"``: ``w_j = s_j o_j / sum_k s_k o_k``. ``"linear"``:
    ``w_j = alpha s_j + (1 - alpha) o_j``.

    Parameters
    ----------
    subjective, objective : WeightSet, array_like or mapping
        The two weight vectors. When both are weight sets (or mappings) with names, they are
        aligned by criterion name; the result follows ``subjective``'s order.
    method : {"multiplicative", "linear"}, default "multiplicative"
        The combination rule.
    alpha : float, default 0.5
        Share of the subjective weights in the linear rule, in ``[0, 1]``. Not used (and not
        recorded) by the multiplicative rule.

    Returns
    -------
    WeightSet
        ``method="combined"``, ``params={"rule": ..., ["alpha": ...]}`` and
        ``components=(subjective, objective)``.

    Raises
    ------
    gridgov.errors.ScoringError
        If the criteria differ, ``alpha`` is outside ``[0, 1]``, the rule is unknown or the
        multiplicative product is zero everywhere.

    References
    ----------
    .. [1] Ma, J., Fan, Z.-P. & Huang, L.-H. (1999). A subjective and objective integrated
       approach to determine attribute weights. European Journal of Operational Research
       112(2), 397-404.
    .. [2] Xu, X. (2004). A note on the subjective and objective integrated approach to
       determine attribute weights. European Journal of Operational Research 156(2), 530-532.

    Examples
    --------
    >>> c = combine([0.5, 0.3, 0.2], [0.2, 0.3, 0.5])
    >>> [round(float(w), 4) for w in c.weights]
    [0.3448, 0.3103, 0.3448]
    >>> combine([0.5, 0.3, 0.2], [0.2, 0.3, 0.5], "linear", alpha=0.8).weights.tolist()
    [0.44, 0.3, 0.26]
    >>> [part.method for part in c.components]
    ['given', 'given']
    """
    if method not in _COMBINE_METHODS:
        raise ScoringError(
            f"unknown combination rule {method!r}; available: {', '.join(_COMBINE_METHODS)}"
        )
    s = _as_weight_set(subjective, "subjective")
    o = _as_weight_set(objective, "objective")
    if s.criteria != o.criteria:
        if set(s.criteria) != set(o.criteria):
            raise ScoringError(
                f"subjective and objective weights name different criteria: {s.criteria} vs "
                f"{o.criteria}"
            )
        position = {c: k for k, c in enumerate(o.criteria)}
        ow = o.weights[[position[c] for c in s.criteria]]
    else:
        ow = o.weights
    sw = s.weights
    params: dict[str, object]
    if method == "multiplicative":
        product = sw * ow
        if float(product.sum()) <= 0.0:
            raise ScoringError(
                "multiplicative combination is undefined: no criterion has both a positive "
                "subjective and a positive objective weight"
            )
        w = product / product.sum()
        params = {"rule": "multiplicative"}
    else:
        if not 0.0 <= alpha <= 1.0:
            raise ScoringError(f"alpha must lie in [0, 1], got {alpha}")
        w = alpha * sw + (1.0 - alpha) * ow
        params = {"rule": "linear", "alpha": float(alpha)}
    return WeightSet(
        weights=w,
        criteria=s.criteria,
        method="combined",
        params=params,
        components=(s, o),
    )


# --------------------------------------------------------------------------- more weights
# Defined in their own modules (they import the names above) and re-exported here.
from gridgov.scoring._weights_objective import (  # noqa: E402
    cilos,
    gini,
    idocriw,
    lopcow,
    merec,
    variance,
)

__all__ += ["cilos", "gini", "idocriw", "lopcow", "merec", "variance"]
from gridgov.scoring._ahp_extra import (  # noqa: E402
    AHPHierarchy,
    ahp_hierarchy,
    group_ahp,
    harker,
)
from gridgov.scoring._bwm import BWMResult, bwm  # noqa: E402

__all__ += ["AHPHierarchy", "BWMResult", "ahp_hierarchy", "bwm", "group_ahp", "harker"]
