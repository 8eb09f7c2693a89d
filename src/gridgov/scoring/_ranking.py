"""Ranks from scores, with ties found by a tolerance so float noise never invents an order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, TypeAlias, overload

import numpy as np
import numpy.typing as npt

from gridgov.errors import ScoringError

__all__ = ["RankMethod", "rank"]

RankMethod: TypeAlias = Literal["competition", "dense", "average", "stable"]
_METHODS: tuple[str, ...] = ("competition", "dense", "average", "stable")


@overload
def rank(
    scores: npt.ArrayLike,
    higher_is_better: bool = True,
    method: Literal["competition", "dense", "stable"] = "competition",
    *,
    atol: float = 1e-9,
    rtol: float = 1e-9,
    ids: Sequence[str] | None = None,
) -> npt.NDArray[np.int64]: ...


@overload
def rank(
    scores: npt.ArrayLike,
    higher_is_better: bool,
    method: Literal["average"],
    *,
    atol: float = 1e-9,
    rtol: float = 1e-9,
    ids: Sequence[str] | None = None,
) -> npt.NDArray[np.float64]: ...


@overload
def rank(
    scores: npt.ArrayLike,
    higher_is_better: bool = True,
    *,
    method: Literal["average"],
    atol: float = 1e-9,
    rtol: float = 1e-9,
    ids: Sequence[str] | None = None,
) -> npt.NDArray[np.float64]: ...


@overload
def rank(
    scores: npt.ArrayLike,
    higher_is_better: bool = True,
    method: str = "competition",
    *,
    atol: float = 1e-9,
    rtol: float = 1e-9,
    ids: Sequence[str] | None = None,
) -> npt.NDArray[np.int64] | npt.NDArray[np.float64]: ...


def rank(
    scores: npt.ArrayLike,
    higher_is_better: bool = True,
    method: str = "competition",
    *,
    atol: float = 1e-9,
    rtol: float = 1e-9,
    ids: Sequence[str] | None = None,
) -> npt.NDArray[np.int64] | npt.NDArray[np.float64]:
    """Rank scores, 1 = best, treating scores within a tolerance as ties.

    Parameters
    ----------
    scores : array_like of float, shape (m,)
        Finite scores.
    higher_is_better : bool, default True
        ``True`` when a larger score is better (TOPSIS closeness), ``False`` when a smaller one
        is (VIKOR ``Q``).
    method : {"competition", "dense", "average", "stable"}, default "competition"
        How tied alternatives are ranked:

        - ``"competition"`` ("1224"): ties share the best rank of their group and the next
          group skips ranks;
        - ``"dense"`` ("1223"): ties share a rank and no rank is skipped;
        - ``"average"`` ("1 2.5 2.5 4"): ties share the mean of their positions (float result);
        - ``"stable"``: no shared ranks; ties are broken by ``ids`` order (or by position).
    atol, rtol : float, default 1e-9
        Two neighbouring scores ``a``, ``b`` (in sorted order) tie when
        ``|a - b| <= atol + rtol * max(|a|, |b|)``. Ties chain: a group is a run of such
        neighbours.
    ids : sequence of str, optional
        Names used by ``method="stable"`` to break ties (sorted as strings). Default: position.

    Returns
    -------
    numpy.ndarray
        ``int64`` ranks (``float64`` for ``"average"``), in the order of ``scores``.

    Raises
    ------
    gridgov.errors.ScoringError
        If a score is not finite, ``scores`` is not 1-D, or ``method`` is unknown.

    Examples
    --------
    >>> from gridgov.scoring import rank
    >>> rank([0.5, 0.9, 0.5, 0.1])
    array([2, 1, 2, 4])
    >>> rank([0.5, 0.9, 0.5, 0.1], method="dense")
    array([2, 1, 2, 3])
    >>> rank([0.5, 0.9, 0.5, 0.1], method="average")
    array([2.5, 1. , 2.5, 4. ])
    >>> rank([0.3, 0.1 + 0.2])  # 0.30000000000000004 is not better than 0.3
    array([1, 1])
    >>> rank([2.0, 1.0, 1.0], higher_is_better=False, method="stable", ids=["c", "b", "a"])
    array([3, 2, 1])
    """
    if method not in _METHODS:
        raise ScoringError(f"unknown rank method {method!r}; available: {', '.join(_METHODS)}")
    s = np.asarray(scores, dtype=np.float64)
    if s.ndim != 1:
        raise ScoringError(f"scores must be 1-D, got shape {s.shape}")
    bad = np.flatnonzero(~np.isfinite(s))
    if bad.size:
        raise ScoringError(f"score at position {bad[0]} is {s[bad[0]]} (not finite)")
    m = s.size
    if m == 0:
        if method == "average":
            return np.empty(0, dtype=np.float64)
        return np.empty(0, dtype=np.int64)
    # grouping ties needs only the sorted values, not a stable order ("stable" breaks ties
    # explicitly below), so the faster default sort is fine
    order = np.argsort(-s if higher_is_better else s)
    ordered = s[order]
    gap = np.abs(np.diff(ordered))
    tolerance = atol + rtol * np.maximum(np.abs(ordered[:-1]), np.abs(ordered[1:]))
    new_group = np.concatenate(([True], gap > tolerance))
    group = np.cumsum(new_group) - 1
    starts = np.flatnonzero(new_group)
    if method == "average":
        ends = np.append(starts[1:], m)
        averages = (starts + ends + 1) / 2.0
        out_f = np.empty(m, dtype=np.float64)
        out_f[order] = averages[group]
        return out_f
    out = np.empty(m, dtype=np.int64)
    if method == "competition":
        out[order] = starts[group] + 1
    elif method == "dense":
        out[order] = group + 1
    else:  # stable
        if ids is None:
            tiebreak = np.arange(m)
        else:
            if len(ids) != m:
                raise ScoringError(f"ids has {len(ids)} names for {m} scores")
            _, tiebreak = np.unique(np.asarray([str(i) for i in ids]), return_inverse=True)
        final = order[np.lexsort((tiebreak[order], group))]
        out[final] = np.arange(1, m + 1)
    return out
