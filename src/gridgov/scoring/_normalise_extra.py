"""More direction-aware normalisations, registered by name in :mod:`._normalise`.

=================  =======================  =================================  ===============
name               benefit criterion        cost criterion                     needs
=================  =======================  =================================  ===============
none               x                        -x                                 any finite x
log                ln x / ln prod(x)        (1 - ln x / ln prod(x)) / (m - 1)  x > 0 and
                                                                               prod(x) > 1
zscore             (x - mean) / std         (mean - x) / std                   any finite x
zavadskas_turskis  1 - |max - x| / |max|    1 - |min - x| / |min|              best value != 0
=================  =======================  =================================  ===============

``std`` is the population standard deviation; a constant column has none, and ``zscore`` maps
it to 0 for every alternative (it then adds nothing to any comparison).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from gridgov.errors import ScoringError
from gridgov.scoring._table import pow2_scale

__all__ = [
    "identity_normalise",
    "log_normalise",
    "zavadskas_turskis_normalise",
    "zscore_normalise",
]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def _fail(kind: str, names: Sequence[str], columns: npt.NDArray[np.intp], why: str) -> None:
    listed = ", ".join(repr(names[int(j)]) for j in columns)
    raise ScoringError(f"{kind} normalisation: criterion {listed} {why}")


def _none_constant(x: FloatArray) -> BoolArray:
    return np.zeros(x.shape[1], dtype=bool)


def _identity(x: FloatArray, b: BoolArray, names: Sequence[str]) -> tuple[FloatArray, BoolArray]:
    r = np.where(b, x, -x)
    return r, _none_constant(x)


def _log(x: FloatArray, b: BoolArray, names: Sequence[str]) -> tuple[FloatArray, BoolArray]:
    non_positive = np.flatnonzero((x <= 0).any(axis=0))
    if non_positive.size:
        _fail("log", names, non_positive, "has zero or negative values (the logarithm needs x > 0)")
    logs = np.log(x)
    total = logs.sum(axis=0)
    small = np.flatnonzero(total <= 0)
    if small.size:
        _fail("log", names, small, "has a product <= 1, so ln prod(x) would not be positive")
    share = logs / total
    m = x.shape[0]
    r = np.where(b, share, (1.0 - share) / max(m - 1, 1))
    return r, _none_constant(x)


def _zscore(x: FloatArray, b: BoolArray, names: Sequence[str]) -> tuple[FloatArray, BoolArray]:
    # scale-invariant: rescale each column by a power of two (exact) so that neither the
    # mean of 1e300s nor the variance of 1e-300s leaves the float range
    x = pow2_scale(x, axis=0)
    mean = x.mean(axis=0)
    std = x.std(axis=0)
    constant = std == 0
    safe = np.where(constant, 1.0, std)
    r = np.where(b, x - mean, mean - x) / safe
    r[:, constant] = 0.0
    return r, constant


def _zavadskas_turskis(
    x: FloatArray, b: BoolArray, names: Sequence[str]
) -> tuple[FloatArray, BoolArray]:
    hi = x.max(axis=0)
    lo = x.min(axis=0)
    ref = np.where(b, hi, lo)
    zero = np.flatnonzero(ref == 0)
    if zero.size:
        _fail(
            "zavadskas_turskis",
            names,
            zero,
            "has 0 as its best value (the normalisation divides by it)",
        )
    with np.errstate(over="ignore"):
        r = 1.0 - np.abs(1.0 - x / ref)
    infinite = np.flatnonzero(~np.isfinite(r).all(axis=0))
    if infinite.size:
        _fail(
            "zavadskas_turskis",
            names,
            infinite,
            "spans too many orders of magnitude (x / best overflows)",
        )
    return r, _none_constant(x)


def identity_normalise(
    values: npt.ArrayLike,
    is_benefit: npt.ArrayLike | None = None,
    *,
    criteria: Sequence[str] | None = None,
) -> FloatArray:
    """No normalisation: benefits as they are, costs negated (so higher is better).

    For scorers whose criteria are already on one comparable scale.

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

    Examples
    --------
    >>> from gridgov.scoring import identity_normalise
    >>> identity_normalise([[1.0, 2.0], [3.0, 4.0]], [True, False])
    array([[ 1., -2.],
           [ 3., -4.]])
    """
    from gridgov.scoring._normalise import normalise

    return normalise(values, is_benefit, "none", criteria=criteria)


def log_normalise(
    values: npt.ArrayLike,
    is_benefit: npt.ArrayLike | None = None,
    *,
    criteria: Sequence[str] | None = None,
) -> FloatArray:
    """Logarithmic normalisation (Zavadskas & Turskis 2008); each benefit column sums to 1.

    Benefit: ``ln x / ln prod(x)``; cost: ``(1 - ln x / ln prod(x)) / (m - 1)``. Needs
    ``x > 0`` and a column product above 1, else :class:`~gridgov.errors.ScoringError`.

    Parameters
    ----------
    values : array_like, shape (m, n)
        Positive raw values.
    is_benefit : array_like of bool, shape (n,), optional
        Default: all benefit.
    criteria : sequence of str, optional
        Names for messages.

    Returns
    -------
    numpy.ndarray
        Shape (m, n); every column sums to 1.

    References
    ----------
    .. [1] Zavadskas, E. K., Turskis, Z. (2008). A new logarithmic normalization method in
       games theory. *Informatica* 19(2), 303-314.

    Examples
    --------
    >>> from gridgov.scoring import log_normalise
    >>> log_normalise([[2.0], [4.0], [8.0]]).round(4)
    array([[0.1667],
           [0.3333],
           [0.5   ]])
    """
    from gridgov.scoring._normalise import normalise

    return normalise(values, is_benefit, "log", criteria=criteria)


def zscore_normalise(
    values: npt.ArrayLike,
    is_benefit: npt.ArrayLike | None = None,
    *,
    criteria: Sequence[str] | None = None,
) -> FloatArray:
    """Standardisation: ``(x - mean) / std`` for benefits, ``(mean - x) / std`` for costs.

    Population standard deviation; a constant column becomes 0.

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
        Shape (m, n); every non-constant column has mean 0 and standard deviation 1.

    Examples
    --------
    >>> from gridgov.scoring import zscore_normalise
    >>> zscore_normalise([[1.0, 5.0], [3.0, 5.0]], [False, True])
    array([[ 1.,  0.],
           [-1.,  0.]])
    """
    from gridgov.scoring._normalise import normalise

    return normalise(values, is_benefit, "zscore", criteria=criteria)


def zavadskas_turskis_normalise(
    values: npt.ArrayLike,
    is_benefit: npt.ArrayLike | None = None,
    *,
    criteria: Sequence[str] | None = None,
) -> FloatArray:
    """Zavadskas–Turskis normalisation: one minus the relative gap to the best value.

    Benefit: ``1 - |max - x| / |max|``; cost: ``1 - |min - x| / |min|``. The best value
    becomes 1; values may be negative when the gap exceeds the best value.

    Parameters
    ----------
    values : array_like, shape (m, n)
        Finite raw values; the best value of each column must not be 0.
    is_benefit : array_like of bool, shape (n,), optional
        Default: all benefit.
    criteria : sequence of str, optional
        Names for messages.

    Returns
    -------
    numpy.ndarray
        Shape (m, n), at most 1.

    References
    ----------
    .. [1] Zavadskas, E. K., Turskis, Z. (2008). A new logarithmic normalization method in
       games theory. *Informatica* 19(2), 303-314.

    Examples
    --------
    >>> from gridgov.scoring import zavadskas_turskis_normalise
    >>> zavadskas_turskis_normalise([[2.0, 2.0], [4.0, 8.0]], [True, False])
    array([[ 0.5,  1. ],
           [ 1. , -2. ]])
    """
    from gridgov.scoring._normalise import normalise

    return normalise(values, is_benefit, "zavadskas_turskis", criteria=criteria)


#: name -> (implementation, public function), merged into the registry of ``_normalise``.
EXTRA = {
    "log": (_log, log_normalise),
    "none": (_identity, identity_normalise),
    "zavadskas_turskis": (_zavadskas_turskis, zavadskas_turskis_normalise),
    "zscore": (_zscore, zscore_normalise),
}
