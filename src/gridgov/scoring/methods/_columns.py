"""Column statistics computed once, and a fast path for the common normalisations (internal).

NumPy reduces a C-ordered (m, n) table along axis 0 slowly when n is small, and BLAS
``matrix @ vector`` pays a thread start-up on every call; the methods added by issue 16 read
the table once in Fortran order, take every column statistic from that copy, and use
``einsum`` for weighted sums. :func:`normalise` gives the same arrays as
``gridgov.scoring._normalise._normalise`` for clean input and hands anything else (values a
normalisation must reject, other normalisations) to it, so errors and messages stay its own.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from gridgov.scoring._normalise import _normalise

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


class Columns:
    """A validated (m, n) table in Fortran order with its column minima and maxima."""

    __slots__ = ("f", "hi", "lo")

    def __init__(self, x: FloatArray) -> None:
        self.f: FloatArray = np.asfortranarray(x)
        self.lo: FloatArray = self.f.min(axis=0)
        self.hi: FloatArray = self.f.max(axis=0)

    @property
    def constant(self) -> BoolArray:
        """Mask of the columns whose values are all equal."""
        result: BoolArray = self.lo == self.hi
        return result

    def sum(self) -> FloatArray:
        """Column sums."""
        result: FloatArray = self.f.sum(axis=0)
        return result


def weighted_rows(r: FloatArray, w: FloatArray) -> FloatArray:
    """``r @ w`` without BLAS start-up cost."""
    result: FloatArray = np.einsum("ij,j->i", r, w)
    return result


def _minmax(cols: Columns, b: BoolArray) -> tuple[FloatArray, BoolArray]:
    f, lo, hi = cols.f, cols.lo, cols.hi
    constant = lo == hi
    r = np.empty(f.shape, order="F")
    for j in range(f.shape[1]):
        if constant[j]:
            r[:, j] = 1.0
        elif b[j]:
            np.divide(f[:, j] - lo[j], hi[j] - lo[j], out=r[:, j])
        else:
            np.divide(hi[j] - f[:, j], hi[j] - lo[j], out=r[:, j])
    return r, constant


def _max(cols: Columns, b: BoolArray) -> FloatArray:
    f, lo, hi = cols.f, cols.lo, cols.hi
    r = np.empty(f.shape, order="F")
    for j in range(f.shape[1]):
        if b[j]:
            np.divide(f[:, j], hi[j], out=r[:, j])
        else:
            np.divide(lo[j], f[:, j], out=r[:, j])
    return r


def _sum(cols: Columns, b: BoolArray, totals: FloatArray) -> FloatArray:
    # as _normalise: a cost is (min / x) / sum(min / x), every term in (0, 1]
    f, lo = cols.f, cols.lo
    r = np.empty(f.shape, order="F")
    for j in range(f.shape[1]):
        if b[j]:
            np.divide(f[:, j], totals[j], out=r[:, j])
        else:
            np.divide(lo[j], f[:, j], out=r[:, j])
            r[:, j] /= r[:, j].sum()
    return r


def _vector(cols: Columns, b: BoolArray, norm: FloatArray) -> FloatArray:
    f = cols.f
    r = np.empty(f.shape, order="F")
    for j in range(f.shape[1]):
        np.divide(f[:, j], norm[j], out=r[:, j])
        if not b[j]:
            np.subtract(1.0, r[:, j], out=r[:, j])
    return r


def normalise(
    cols: Columns, b: BoolArray, method: str, criteria: Sequence[str] | None = None
) -> tuple[FloatArray, BoolArray]:
    """Direction-aware normalisation, column by column on the Fortran-ordered copy."""
    n = cols.f.shape[1]
    none_constant = np.zeros(n, dtype=bool)
    positive = bool((cols.lo > 0).all())
    with np.errstate(over="ignore"):
        if method == "minmax" and np.isfinite(cols.hi - cols.lo).all():
            return _minmax(cols, b)
        if method == "max" and positive:
            return _max(cols, b), none_constant
        if method == "sum" and positive:
            totals = cols.sum()
            if np.isfinite(totals).all():
                return _sum(cols, b, totals), none_constant
        if method == "vector":
            squares = np.einsum("ij,ij->j", cols.f, cols.f)
            if ((squares >= np.finfo(np.float64).tiny) & np.isfinite(squares)).all():
                return _vector(cols, b, np.sqrt(squares)), none_constant
    # values a normalisation must reject or rescale (overflow, underflow), or another
    # normalisation: the reference code
    return _normalise(np.ascontiguousarray(cols.f), b, method, criteria)
