"""Direction-aware normalisations: every result is "higher is better" on every criterion.

=========  ==============================  ==================================  ===============
name       benefit criterion               cost criterion                      needs
=========  ==============================  ==================================  ===============
minmax     (x - min) / (max - min)         (max - x) / (max - min)             any finite x
vector     x / ||x||_2                     1 - x / ||x||_2                     ||x||_2 > 0
sum        x / sum(x)                      (1 / x) / sum(1 / x)                benefit x >= 0
                                                                               with sum > 0;
                                                                               cost x > 0
max        x / max(x)                      min(x) / x                          benefit x >= 0
                                                                               with max > 0;
                                                                               cost x > 0
=========  ==============================  ==================================  ===============

A constant column has no range: ``minmax`` maps it to 1.0 for every alternative (it cannot tell
them apart, so all are as good as the best) and emits a :class:`DegenerateDataWarning`. Inputs a
normalisation cannot handle (an all-zero column for ``vector``; a zero or negative value where
``sum`` or ``max`` divides by it) raise :class:`~gridgov.errors.ScoringError` naming the
criterion.

Every normalisation is invariant to multiplying a column by a positive constant, and is computed
so: a column is rescaled by a power of two (an exact operation) before anything is summed or
squared, so columns near the floating-point limits (1e300, 1e-300) normalise exactly as the
same numbers in ordinary units would.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Literal, TypeAlias

import numpy as np
import numpy.typing as npt

from gridgov.errors import ScoringError
from gridgov.scoring._normalise_extra import EXTRA
from gridgov.scoring._table import DegenerateDataWarning, pow2_scale, warn

__all__ = [
    "NORMALISATIONS",
    "NormalisationName",
    "max_normalise",
    "minmax_normalise",
    "normalise",
    "sum_normalise",
    "vector_normalise",
]

NormalisationName: TypeAlias = Literal[
    "minmax", "vector", "sum", "max", "none", "log", "zscore", "zavadskas_turskis"
]
_Normaliser: TypeAlias = Callable[
    [npt.NDArray[np.float64], npt.NDArray[np.bool_], Sequence[str]],
    tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]],
]


def _column_names(n: int, criteria: Sequence[str] | None) -> Sequence[str]:
    return criteria if criteria is not None else [f"column {j}" for j in range(n)]


def _prepare(
    values: npt.ArrayLike, is_benefit: npt.ArrayLike | None
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    x = np.asarray(values, dtype=np.float64)
    if x.ndim != 2:
        raise ScoringError(f"values must be 2-D (alternatives x criteria), got shape {x.shape}")
    if not np.isfinite(x).all():
        i, j = (int(k) for k in np.argwhere(~np.isfinite(x))[0])
        raise ScoringError(f"value at row {i}, column {j} is {x[i, j]} (not finite)")
    b = (
        np.ones(x.shape[1], dtype=bool)
        if is_benefit is None
        else np.asarray(is_benefit, dtype=bool)
    )
    if b.shape != (x.shape[1],):
        raise ScoringError(f"is_benefit must have shape ({x.shape[1]},), got {b.shape}")
    return x, b


def _fail(kind: str, names: Sequence[str], columns: npt.NDArray[np.intp], why: str) -> None:
    listed = ", ".join(repr(names[int(j)]) for j in columns)
    raise ScoringError(f"{kind} normalisation: criterion {listed} {why}")


def _minmax(
    x: npt.NDArray[np.float64], b: npt.NDArray[np.bool_], names: Sequence[str]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    lo = x.min(axis=0)
    hi = x.max(axis=0)
    constant = hi == lo
    with np.errstate(over="ignore"):
        span = hi - lo
    if not np.isfinite(span).all():  # e.g. -1.7e308 .. 1.7e308: rescale (exact), then subtract
        x = pow2_scale(x, axis=0)
        lo = x.min(axis=0)
        hi = x.max(axis=0)
        span = hi - lo
    safe = np.where(constant, 1.0, span)
    r = np.where(b, x - lo, hi - x) / safe
    r[:, constant] = 1.0
    return r, constant


def _vector(
    x: npt.NDArray[np.float64], b: npt.NDArray[np.bool_], names: Sequence[str]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    zero = np.flatnonzero((x == 0).all(axis=0))
    if zero.size:
        _fail("vector", names, zero, "is all zeros (its Euclidean norm is 0)")
    with np.errstate(over="ignore"):
        squares = np.einsum("ij,ij->j", x, x)
    if not ((squares >= np.finfo(np.float64).tiny) & np.isfinite(squares)).all():
        # the sum of squares of 1e200 overflows and that of 1e-200 underflows, but x / ||x|| is
        # scale-invariant: rescale each column by a power of two first (exact), as hypot does
        x = pow2_scale(x, axis=0)
        squares = np.einsum("ij,ij->j", x, x)
    r = x / np.sqrt(squares)
    if not b.all():
        r[:, ~b] = 1.0 - r[:, ~b]
    return r, np.zeros(x.shape[1], dtype=bool)


def _positive_checks(
    kind: str, x: npt.NDArray[np.float64], b: npt.NDArray[np.bool_], names: Sequence[str]
) -> None:
    negative = np.flatnonzero(b & (x < 0).any(axis=0))
    if negative.size:
        _fail(kind, names, negative, "has negative values (a benefit needs values >= 0)")
    all_zero = np.flatnonzero(b & (x == 0).all(axis=0))
    if all_zero.size:
        _fail(kind, names, all_zero, "is all zeros")
    non_positive = np.flatnonzero(~b & (x <= 0).any(axis=0))
    if non_positive.size:
        _fail(kind, names, non_positive, "has zero or negative values (a cost needs values > 0)")


def _sum(
    x: npt.NDArray[np.float64], b: npt.NDArray[np.bool_], names: Sequence[str]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    _positive_checks("sum", x, b, names)
    # benefit: x / sum(x), the column rescaled by a power of two (exact) when its sum
    # overflows; cost: (1/x) / sum(1/x) computed as (min/x) / sum(min/x), the same ratio with
    # every term in (0, 1] (1/x overflows for x < 5.6e-309)
    lo = np.where(b, 1.0, x.min(axis=0))
    share = np.where(b, x, lo / np.where(b, 1.0, x))
    with np.errstate(over="ignore"):
        total = share.sum(axis=0)
    if not np.isfinite(total).all():
        share = np.where(b, pow2_scale(x, axis=0), share)
        total = share.sum(axis=0)
    r = share / total
    return r, np.zeros(x.shape[1], dtype=bool)


def _max(
    x: npt.NDArray[np.float64], b: npt.NDArray[np.bool_], names: Sequence[str]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    _positive_checks("max", x, b, names)
    hi = x.max(axis=0)
    lo = x.min(axis=0)
    r = np.where(b, x / hi, lo / np.where(b, 1.0, x))
    return r, np.zeros(x.shape[1], dtype=bool)


_IMPL: dict[str, _Normaliser] = {"minmax": _minmax, "vector": _vector, "sum": _sum, "max": _max}
_IMPL.update({name: impl for name, (impl, _) in EXTRA.items()})  # see _normalise_extra


def _normalise(
    x: npt.NDArray[np.float64],
    b: npt.NDArray[np.bool_],
    method: str,
    criteria: Sequence[str] | None = None,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """Normalise validated arrays; return the result and the mask of constant columns.

    Never warns: callers decide how to report constant columns.
    """
    check_normalisation(method)
    return _IMPL[method](x, b, _column_names(x.shape[1], criteria))


def check_normalisation(method: str) -> NormalisationName:
    """Return ``method`` if it names a normalisation, else raise ``ScoringError``."""
    if method not in _IMPL:
        raise ScoringError(
            f"unknown normalisation {method!r}; available: {', '.join(sorted(_IMPL))}"
        )
    return method  # type: ignore[return-value]  # membership in _IMPL's keys is the Literal


def warn_constant(
    constant: npt.NDArray[np.bool_], criteria: Sequence[str] | None, consequence: str
) -> None:
    """Warn that the criteria in ``constant`` do not vary, naming them and the consequence."""
    if constant.any():
        names = _column_names(constant.size, criteria)
        listed = ", ".join(repr(names[int(j)]) for j in np.flatnonzero(constant))
        warn(
            f"criterion {listed} has the same value for every alternative; {consequence}",
            DegenerateDataWarning,
        )


def normalise(
    values: npt.ArrayLike,
    is_benefit: npt.ArrayLike | None = None,
    method: str = "minmax",
    *,
    criteria: Sequence[str] | None = None,
) -> npt.NDArray[np.float64]:
    """Normalise each column so that higher is better, by the named method.

    Parameters
    ----------
    values : array_like, shape (m, n)
        Finite raw values.
    is_benefit : array_like of bool, shape (n,), optional
        ``True`` for benefit criteria, ``False`` for cost criteria. Default: all benefit.
    method : str, default "minmax"
        A name of :data:`NORMALISATIONS`: ``"minmax"``, ``"vector"``, ``"sum"``, ``"max"``
        (module table above), ``"none"``, ``"log"``, ``"zscore"``, ``"zavadskas_turskis"``
        (table of ``gridgov.scoring._normalise_extra``).
    criteria : sequence of str, optional
        Criterion names used in error and warning messages.

    Returns
    -------
    numpy.ndarray
        ``float64`` array of shape (m, n).

    Raises
    ------
    gridgov.errors.ScoringError
        For an unknown method or data the method cannot normalise.

    Warns
    -----
    DegenerateDataWarning
        ``minmax`` on a constant column (normalised to 1.0).

    Examples
    --------
    >>> from gridgov.scoring import normalise
    >>> normalise([[1.0, 10.0], [3.0, 20.0]], [True, False], "minmax")
    array([[0., 1.],
           [1., 0.]])
    """
    x, b = _prepare(values, is_benefit)
    r, constant = _normalise(x, b, method, criteria)
    if method == "minmax":
        warn_constant(constant, criteria, "minmax normalisation set it to 1.0 for all")
    return r


def minmax_normalise(
    values: npt.ArrayLike,
    is_benefit: npt.ArrayLike | None = None,
    *,
    criteria: Sequence[str] | None = None,
) -> npt.NDArray[np.float64]:
    """Linear min-max normalisation onto [0, 1].

    Benefit: ``(x - min) / (max - min)``; cost: ``(max - x) / (max - min)``. A constant column
    becomes 1.0 with a :class:`DegenerateDataWarning`.

    Parameters
    ----------
    values : array_like, shape (m, n)
        Finite raw values.
    is_benefit : array_like of bool, shape (n,), optional
        Default: all benefit.
    criteria : sequence of str, optional
        Names for messages.

    Returns
    -------
    numpy.ndarray
        Shape (m, n), values in [0, 1].

    References
    ----------
    .. [1] Hwang, C.-L., Yoon, K. (1981). *Multiple Attribute Decision Making: Methods and
       Applications*. Springer, Lecture Notes in Economics and Mathematical Systems 186.

    Examples
    --------
    >>> from gridgov.scoring import minmax_normalise
    >>> minmax_normalise([[2.0], [4.0], [3.0]], [False])
    array([[1. ],
           [0. ],
           [0.5]])
    """
    return normalise(values, is_benefit, "minmax", criteria=criteria)


def vector_normalise(
    values: npt.ArrayLike,
    is_benefit: npt.ArrayLike | None = None,
    *,
    criteria: Sequence[str] | None = None,
) -> npt.NDArray[np.float64]:
    """Euclidean (vector) normalisation, as in TOPSIS.

    Benefit: ``x / ||x||``; cost: ``1 - x / ||x||`` (a linear flip, so TOPSIS distances are the
    same as with the textbook "ideal = min for costs" rule). An all-zero column raises
    :class:`~gridgov.errors.ScoringError`.

    Parameters
    ----------
    values : array_like, shape (m, n)
        Finite raw values.
    is_benefit : array_like of bool, shape (n,), optional
        Default: all benefit.
    criteria : sequence of str, optional
        Names for messages.

    Returns
    -------
    numpy.ndarray
        Shape (m, n).

    References
    ----------
    .. [1] Hwang, C.-L., Yoon, K. (1981). *Multiple Attribute Decision Making: Methods and
       Applications*. Springer.

    Examples
    --------
    >>> from gridgov.scoring import vector_normalise
    >>> vector_normalise([[3.0], [4.0]])
    array([[0.6],
           [0.8]])
    """
    return normalise(values, is_benefit, "vector", criteria=criteria)


def sum_normalise(
    values: npt.ArrayLike,
    is_benefit: npt.ArrayLike | None = None,
    *,
    criteria: Sequence[str] | None = None,
) -> npt.NDArray[np.float64]:
    """Sum (proportion) normalisation; each column sums to 1.

    Benefit: ``x / sum(x)`` (needs ``x >= 0`` with a positive sum); cost:
    ``(1 / x) / sum(1 / x)`` (needs ``x > 0``). Otherwise :class:`~gridgov.errors.ScoringError`.

    Parameters
    ----------
    values : array_like, shape (m, n)
        Finite raw values.
    is_benefit : array_like of bool, shape (n,), optional
        Default: all benefit.
    criteria : sequence of str, optional
        Names for messages.

    Returns
    -------
    numpy.ndarray
        Shape (m, n); every column sums to 1.

    Examples
    --------
    >>> from gridgov.scoring import sum_normalise
    >>> sum_normalise([[1.0, 1.0], [3.0, 3.0]], [True, False])
    array([[0.25, 0.75],
           [0.75, 0.25]])
    """
    return normalise(values, is_benefit, "sum", criteria=criteria)


def max_normalise(
    values: npt.ArrayLike,
    is_benefit: npt.ArrayLike | None = None,
    *,
    criteria: Sequence[str] | None = None,
) -> npt.NDArray[np.float64]:
    """Linear scale transformation by the maximum (Hwang & Yoon's "linear" normalisation).

    Benefit: ``x / max(x)`` (needs ``x >= 0`` with a positive maximum); cost: ``min(x) / x``
    (needs ``x > 0``). Otherwise :class:`~gridgov.errors.ScoringError`.

    Parameters
    ----------
    values : array_like, shape (m, n)
        Finite raw values.
    is_benefit : array_like of bool, shape (n,), optional
        Default: all benefit.
    criteria : sequence of str, optional
        Names for messages.

    Returns
    -------
    numpy.ndarray
        Shape (m, n), values in (0, 1] for costs and [0, 1] for benefits.

    References
    ----------
    .. [1] Hwang, C.-L., Yoon, K. (1981). *Multiple Attribute Decision Making: Methods and
       Applications*. Springer.

    Examples
    --------
    >>> from gridgov.scoring import max_normalise
    >>> max_normalise([[2.0, 4.0], [4.0, 8.0]], [True, False])
    array([[0.5, 1. ],
           [1. , 0.5]])
    """
    return normalise(values, is_benefit, "max", criteria=criteria)


#: Name -> public normalisation function (read-only).
NORMALISATIONS: Mapping[str, Callable[..., npt.NDArray[np.float64]]] = MappingProxyType(
    {
        "max": max_normalise,
        "minmax": minmax_normalise,
        "sum": sum_normalise,
        "vector": vector_normalise,
        **{name: public for name, (_, public) in EXTRA.items()},
    }
)
