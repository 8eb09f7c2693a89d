"""The Hilbert-order dynamic programme behind :func:`gridgov.analysis.partition_grids`.

Internal: the community record every method shares, the space-filling order, contiguous runs,
the DP itself and the per-grid cost (see :mod:`gridgov.analysis.partition` for the method).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["hilbert_order"]


def hilbert_order(x: Any, y: Any, bits: int = 16) -> Any:
    """Indices that sort points along a Hilbert curve (vectorised).

    Examples
    --------
    >>> hilbert_order(np.array([0.0, 1.0, 1.0, 0.0]), np.array([0.0, 0.0, 1.0, 1.0])).tolist()
    [0, 3, 2, 1]
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if len(x) == 0:
        return np.zeros(0, dtype=np.int64)
    span = max(float(np.ptp(x)), float(np.ptp(y)), 1e-9)
    n = 1 << bits
    xi = ((x - x.min()) / span * (n - 1)).astype(np.int64)
    yi = ((y - y.min()) / span * (n - 1)).astype(np.int64)
    d = np.zeros(len(x), dtype=np.int64)
    s = n >> 1
    while s > 0:
        rx = (xi & s) > 0
        ry = (yi & s) > 0
        d += s * s * ((3 * rx) ^ ry)
        # rotate the quadrant
        flip = ~ry & rx
        xi = np.where(flip, s - 1 - xi, xi)
        yi = np.where(flip, s - 1 - yi, yi)
        swap = ~ry
        xi, yi = np.where(swap, yi, xi), np.where(swap, xi, yi)
        s >>= 1
    return np.argsort(d, kind="stable")


def _connected_runs(h: Any, neighbours: list[set[int]], hi: int) -> Any:
    """``ok[j, i]``: buildings ``j .. i-1`` (households ≤ hi) form a connected set.

    Grown run by run with a union-find, so each start costs its run's length × degree.
    """
    n = len(h)
    ok = np.zeros((n + 1, n + 1), dtype=bool)
    for j in range(n):
        parent: dict[int, int] = {}

        def find(a: int, parent: dict[int, int] = parent) -> int:
            while parent[a] != a:
                parent[a] = parent[parent[a]]
                a = parent[a]
            return a

        components = 0
        total = 0
        for i in range(j, n):
            total += int(h[i])
            if total > hi:
                break
            parent[i] = i
            components += 1
            for nb in neighbours[i]:
                if nb in parent:
                    ra, rb = find(i), find(nb)
                    if ra != rb:
                        parent[ra] = rb
                        components -= 1
            ok[j, i + 1] = components == 1
    return ok


def _cut(  # noqa: PLR0917  # the DP's inputs, as arrays over the order
    h: Any,
    xy: Any,
    lo: int,
    hi: int,
    connected: Any = None,
    old: Any = None,
    spacing: float | None = None,
) -> list[tuple[int, int]] | None:
    """Optimal cuts of the ordered buildings into runs with households in [lo, hi].

    ``connected[j, i]`` (optional) says whether run ``j .. i-1`` is contiguous; only such
    runs are used. ``old`` (optional) is each building's old grid (an int, -1 for none); a
    run that is exactly one old grid gets a bonus of 1, larger than any in-band size cost,
    so old grids that still fit the band are kept. ``spacing`` scales the compactness term
    (default: the median step between consecutive buildings).
    """
    n = len(h)
    if old is not None:
        changes = np.concatenate([[0], np.cumsum(old[1:] != old[:-1])])
        sizes = np.bincount(old[old >= 0], minlength=int(old.max(initial=-1)) + 1)
    ph = np.concatenate([[0], np.cumsum(h)])
    px = np.concatenate([[0.0], np.cumsum(xy[:, 0])])
    py = np.concatenate([[0.0], np.cumsum(xy[:, 1])])
    pq = np.concatenate([[0.0], np.cumsum((xy**2).sum(axis=1))])
    if spacing is None:
        steps = np.hypot(*np.diff(xy, axis=0).T) if n > 1 else np.ones(1)
        spacing = float(np.median(steps)) or 1.0
    mid, width = (lo + hi) / 2, max(hi - lo, 1)
    best = np.full(n + 1, np.inf)
    back = np.full(n + 1, -1, dtype=np.int64)
    best[0] = 0.0
    for i in range(1, n + 1):
        j = np.arange(i)
        s = ph[i] - ph[j]
        ok = (s >= lo) & (s <= hi) & np.isfinite(best[j])
        if connected is not None:
            ok &= connected[j, i]
        if not ok.any():
            continue
        j = j[ok]
        s = s[ok]
        cnt = i - j
        cx = (px[i] - px[j]) / cnt
        cy = (py[i] - py[j]) / cnt
        inertia = (pq[i] - pq[j]) / cnt - cx**2 - cy**2
        cost = best[j] + ((s - mid) / width) ** 2 + 0.01 * np.maximum(inertia, 0) / spacing**2
        if old is not None:
            first = old[j]
            whole = (changes[i - 1] - changes[j] == 0) & (first >= 0)
            whole &= cnt == np.where(first >= 0, sizes[np.maximum(first, 0)], -1)
            cost = cost - whole
        k = int(np.argmin(cost))
        best[i] = cost[k]
        back[i] = j[k]
    if not np.isfinite(best[n]):
        return None
    runs: list[tuple[int, int]] = []
    i = n
    while i > 0:
        runs.append((int(back[i]), i))
        i = int(back[i])
    return runs[::-1]


def _size_lower_bound(total: int, lo: int, hi: int) -> float:
    mid, width = (lo + hi) / 2, max(hi - lo, 1)
    ks = range(max(1, math.ceil(total / hi)), max(1, total // lo) + 1)
    vals = [k * ((total / k - mid) / width) ** 2 for k in ks]
    return min(vals) if vals else math.inf


@dataclass
class _Community:
    """One community's buildings in Hilbert order, with what every method needs."""

    name: str
    names: list[str]  # building ids, Hilbert order
    h: Any  # households per building
    xy: Any  # metres
    old: Any  # old grid as an int, -1 for none
    old_ids: list[str]  # int → old grid id
    neighbours: list[set[int]] | None  # Delaunay neighbours; None: too few or collinear
    adj: Any  # the same as a sparse matrix, or None
    spacing: float  # median step between consecutive buildings


def _community(
    name: str, names: list[str], h: Any, xy: Any, old_grid: dict[str, str | None]
) -> _Community:
    from scipy.sparse import coo_matrix

    old_names = [old_grid.get(b) for b in names]
    old_ids = sorted({g for g in old_names if g is not None})
    codes = {g: k for k, g in enumerate(old_ids)}
    old = np.asarray([codes.get(g or "", -1) for g in old_names], dtype=np.int64)
    n = len(names)
    steps = np.hypot(*np.diff(xy, axis=0).T) if n > 1 else np.ones(1)
    spacing = float(np.median(steps)) or 1.0
    adj = None
    neighbours = None
    if n >= 3:
        from scipy.spatial import Delaunay, QhullError

        try:
            tri = Delaunay(xy)
        except QhullError:  # collinear buildings: no triangulation, contiguity not checked
            tri = None
        if tri is not None:
            e = np.vstack(
                [tri.simplices[:, [0, 1]], tri.simplices[:, [1, 2]], tri.simplices[:, [0, 2]]]
            )
            a = coo_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(n, n)).tocsr()
            adj = ((a + a.T) > 0).tocsr()
            neighbours = [
                set(adj.indices[adj.indptr[i] : adj.indptr[i + 1]].tolist()) for i in range(n)
            ]
    return _Community(name, names, h, xy, old, old_ids, neighbours, adj, spacing)


def _keep_order(old: Any) -> Any:
    """Positions regrouped old grid by old grid, in the order of each grid's first building."""
    first_pos: dict[int, int] = {}
    for pos, code in enumerate(old.tolist()):
        first_pos.setdefault(code, pos)
    return np.lexsort(np.vstack([np.arange(len(old)), [first_pos[c] for c in old.tolist()]]))


def _order_neighbours(neighbours: list[set[int]], perm: Any) -> list[set[int]]:
    """Neighbour sets re-indexed to positions in the order ``perm``."""
    where = np.empty(len(perm), dtype=np.int64)
    where[perm] = np.arange(len(perm))
    return [{int(where[j]) for j in neighbours[int(i)]} for i in perm]


def _dp(cm: _Community, lo: int, hi: int, keep: bool) -> tuple[list[Any], bool] | None:
    """The Hilbert-order DP: groups (arrays of positions) and whether contiguity held."""
    perm = _keep_order(cm.old) if keep and (cm.old >= 0).any() else np.arange(len(cm.names))
    h, xy, old = cm.h[perm], cm.xy[perm], cm.old[perm] if keep else None
    connected = None
    if cm.neighbours is not None:
        connected = _connected_runs(h, _order_neighbours(cm.neighbours, perm), hi)
    runs = _cut(h, xy, lo, hi, connected, old, cm.spacing)
    contiguous = True
    if runs is None and connected is not None:
        contiguous = False
        runs = _cut(h, xy, lo, hi, None, old, cm.spacing)
    if runs is None:
        return None
    return [perm[a:b] for a, b in runs], contiguous


def _group_costs(cm: _Community, groups: list[Any], lo: int, hi: int, keep: bool) -> Any:
    """The DP's cost of each group (size + compactness − 1 for an old grid kept whole)."""
    mid, width = (lo + hi) / 2, max(hi - lo, 1)
    sizes = np.bincount(cm.old[cm.old >= 0], minlength=len(cm.old_ids))
    out = np.empty(len(groups))
    for k, g in enumerate(groups):
        s = float(cm.h[g].sum())
        sub = cm.xy[g]
        inertia = max(float(((sub - sub.mean(axis=0)) ** 2).sum(axis=1).mean()), 0.0)
        c = ((s - mid) / width) ** 2 + 0.01 * inertia / cm.spacing**2
        if keep:
            first = int(cm.old[g[0]])
            if first >= 0 and len(g) == sizes[first] and (cm.old[g] == first).all():
                c -= 1.0
        out[k] = c
    return out
