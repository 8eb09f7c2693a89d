"""The exact method behind :func:`gridgov.analysis.partition_grids`: set partitioning on HiGHS.

Candidate grids are contiguous building sets within the household band:

- every contiguous in-band run of buildings along several orderings: the Hilbert curve over
  the coordinates rotated by 0°, 30°, 45°, 60° and 90°, the x and y axes, the angle about the
  community's centroid, and (re-partitioning) old grid by old grid — the DP's own runs are
  among them;
- region growing from every building: add the Delaunay neighbour nearest the growing grid's
  centroid while the band allows, recording every in-band stage;
- every old grid that fits the band and is contiguous, and the DP's grids themselves.

The MILP picks a set of candidates covering each building exactly once at least cost
(``min cᵀx, A x = 1, x ∈ {0, 1}``; ``scipy.optimize.milp``, i.e. HiGHS' branch and cut). Its
optimum is optimal over the candidate set, not over all contiguous partitions; HiGHS's dual
bound and gap are bounds over the same set.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from gridgov.analysis._partition_dp import (
    _Community,
    _connected_runs,
    _keep_order,
    _order_neighbours,
    hilbert_order,
)
from gridgov.errors import missing_extra

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__: list[str] = []

_ANGLES = (0.0, 30.0, 45.0, 60.0, 90.0)


def _orderings(cm: _Community, keep: bool) -> list[Any]:
    x, y = cm.xy[:, 0], cm.xy[:, 1]
    perms: list[Any] = []
    for deg in _ANGLES:
        a = math.radians(deg)
        perms.append(
            hilbert_order(x * math.cos(a) - y * math.sin(a), x * math.sin(a) + y * math.cos(a))
        )
    perms.append(np.argsort(x, kind="stable"))
    perms.append(np.argsort(y, kind="stable"))
    perms.append(np.argsort(np.arctan2(y - y.mean(), x - x.mean()), kind="stable"))
    if keep and (cm.old >= 0).any():
        perms.append(_keep_order(cm.old))
    return perms


def _grown(cm: _Community, neighbours: list[set[int]], lo: int, hi: int) -> Iterable[list[int]]:
    """In-band stages of greedy region growing from every building."""
    h = cm.h.tolist()
    for seed in range(len(h)):
        members = [seed]
        inside = {seed}
        total = h[seed]
        frontier = set(neighbours[seed])
        while True:
            if lo <= total <= hi:
                yield list(members)
            room = [f for f in frontier if total + h[f] <= hi]
            if not room:
                break
            centre = cm.xy[members].mean(axis=0)
            f = min(room, key=lambda f: (float(((cm.xy[f] - centre) ** 2).sum()), f))
            members.append(f)
            inside.add(f)
            total += h[f]
            frontier |= neighbours[f]
            frontier -= inside


def candidates(
    cm: _Community, lo: int, hi: int, keep: bool, extra: Iterable[Any] = ()
) -> list[Any]:
    """Distinct contiguous in-band building sets (sorted position arrays), ``extra`` first."""
    if cm.neighbours is None:  # no Delaunay graph (under three or collinear buildings)
        return []
    seen: dict[bytes, Any] = {}

    def add(group: Any) -> None:
        g = np.sort(np.asarray(group, dtype=np.int64))
        seen.setdefault(g.tobytes(), g)

    for g in extra:
        add(g)
    for perm in _orderings(cm, keep):
        hp = cm.h[perm]
        ok = _connected_runs(hp, _order_neighbours(cm.neighbours, perm), hi)
        ph = np.concatenate([[0], np.cumsum(hp)])
        js, is_ = np.nonzero(ok)
        s = ph[is_] - ph[js]
        for j, i in zip(js[s >= lo].tolist(), is_[s >= lo].tolist(), strict=True):
            add(perm[j:i])
    for g in _grown(cm, cm.neighbours, lo, hi):
        add(g)
    if keep:
        from scipy.sparse.csgraph import connected_components

        for k in range(len(cm.old_ids)):
            g = np.flatnonzero(cm.old == k)
            fits = len(g) > 0 and lo <= cm.h[g].sum() <= hi
            if fits and (
                len(g) == 1 or connected_components(cm.adj[g][:, g], directed=False)[0] == 1
            ):
                add(g)
    return list(seen.values())


@dataclass(frozen=True)
class MilpResult:
    """What HiGHS returned for one community's set-partitioning problem."""

    chosen: list[int] | None  # candidate indices, None without a feasible solution
    objective: float | None
    bound: float | None  # HiGHS' dual bound (over the candidate set)
    gap: float | None  # HiGHS' relative MIP gap
    status: int
    message: str


def solve_set_partition(
    groups: list[Any], costs: Any, n: int, time_limit: float, mip_rel_gap: float = 1e-6
) -> MilpResult:
    """Cover positions ``0 .. n-1`` exactly once by ``groups`` at least total ``costs``."""
    try:
        from scipy.optimize import Bounds, LinearConstraint, milp
        from scipy.sparse import csc_matrix
    except ImportError:  # pragma: no cover - depends on the environment
        raise missing_extra("scipy", "geo", "grid partitions") from None
    m = len(groups)
    covered = np.zeros(n, dtype=bool)
    for g in groups:
        covered[g] = True
    if m == 0 or not covered.all():
        return MilpResult(None, None, None, None, 2, "a building is in no candidate grid")
    rows = np.concatenate(groups)
    cols = np.repeat(np.arange(m), [len(g) for g in groups])
    a = csc_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, m))
    res = milp(
        np.asarray(costs, dtype=float),
        constraints=LinearConstraint(a, 1, 1),
        integrality=np.ones(m),
        bounds=Bounds(0, 1),
        options={"time_limit": float(time_limit), "mip_rel_gap": mip_rel_gap, "disp": False},
    )
    bound = getattr(res, "mip_dual_bound", None)
    gap = getattr(res, "mip_gap", None)
    if res.x is None:
        return MilpResult(None, None, _num(bound), None, int(res.status), str(res.message))
    chosen = np.flatnonzero(res.x > 0.5).tolist()
    return MilpResult(
        chosen, float(res.fun), _num(bound), _num(gap), int(res.status), str(res.message)
    )


def _num(v: Any) -> float | None:
    return None if v is None or not np.isfinite(v) else float(v)
