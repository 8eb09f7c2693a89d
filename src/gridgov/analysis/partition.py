"""Grid partitioning: cut each community's buildings into compact grids within a household band.

Method
------
Buildings of one community are ordered along a Hilbert curve over their projected
coordinates (nearby on the curve ⇒ nearby on the ground), then cut into consecutive runs by
dynamic programming, optimally for that order: every run's households lie in the band
``[lo, hi]`` (profile ``grid.households``), a building is never split, a grid never crosses a
community, and the cost is

    Σ_grids ((households − mid) / (hi − lo))² + 0.01 · (rms radius / building spacing)²

(mid = the band's midpoint), i.e. sizes near the middle of the band first, compactness second.
Each grid's contiguity is checked on the Delaunay graph of the community's buildings.

Re-partitioning (``keep=True``, the default) orders buildings old grid by old grid and gives a
run that is exactly an old grid a bonus larger than any in-band size cost, so every old grid
that still fits the band (and is contiguous) is kept unchanged; the others are redrawn.

A lower bound on the size term: for k grids Σ (S − mid)² ≥ k (H/k − mid)² (Jensen), minimised
over the feasible k ∈ [⌈H/hi⌉, ⌊H/lo⌋]; the result reports the gap to it. Lineage names, for
each new grid, the old grid most of its households came from.

This is a hand-written DP over a space-filling order, not PySAL spopt's regionalisation;
it is exact for the order, not over all contiguous partitions.

Examples
--------
>>> from gridgov import datasets
>>> p = partition_grids(datasets.load("youyi"), profile="youyi", keep=False)
>>> f = p.to_frame()
>>> bool(f.get_column("households").is_between(200, 300).all())
True
>>> 70 <= f.height <= 82
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from gridgov.analysis._space import located, numbers, profile_of
from gridgov.analysis._tree import households_per, up_to

if TYPE_CHECKING:
    import polars as pl

    from gridgov.org import Structure
    from gridgov.org.profiles import Profile, ProfileRef

__all__ = ["Partition", "hilbert_order", "partition_grids"]


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


@dataclass(frozen=True)
class Partition:
    """Result of :func:`partition_grids`."""

    grids: list[str]
    community: list[str]
    members: list[list[str]]  # buildings per new grid
    households: list[int]
    radius: list[float]
    contiguous: list[bool]
    lineage: list[str | None]
    overlap: list[float]
    unchanged: list[bool]
    size_cost: float
    lower_bound: float
    band: tuple[int, int]
    problems: list[str]

    def to_frame(self) -> pl.DataFrame:
        """One row per new grid."""
        import polars as pl

        return pl.DataFrame(
            {
                "grid": self.grids,
                "community": self.community,
                "buildings": [len(m) for m in self.members],
                "households": self.households,
                "radius_m": self.radius,
                "contiguous": self.contiguous,
                "lineage": self.lineage,
                "overlap": self.overlap,
                "unchanged": self.unchanged,
            },
            schema={
                "grid": pl.String,
                "community": pl.String,
                "buildings": pl.Int64,
                "households": pl.Int64,
                "radius_m": pl.Float64,
                "contiguous": pl.Boolean,
                "lineage": pl.String,
                "overlap": pl.Float64,
                "unchanged": pl.Boolean,
            },
        )

    def assignment(self) -> dict[str, str]:
        """Building id → new grid id."""
        return {b: g for g, ms in zip(self.grids, self.members, strict=True) for b in ms}

    @property
    def gap(self) -> float:
        """Size cost minus its lower bound (0 = provably best sizes)."""
        return self.size_cost - self.lower_bound

    def explain(self, grid: str, lang: Literal["en", "zh"] = "en") -> str:
        """How a new grid was formed."""
        i = self.grids.index(grid)
        lo, hi = self.band
        if lang == "zh":
            return (
                f"新网格 {grid}：{len(self.members[i])}栋楼，{self.households[i]}户"
                f"（标准{lo}—{hi}户），半径约{self.radius[i]:.0f}米，"
                f"主要来自原网格 {self.lineage[i]}（{self.overlap[i]:.0%}）"
            )
        return (
            f"new grid {grid}: {len(self.members[i])} buildings, {self.households[i]} households "
            f"(band {lo}-{hi}), rms radius {self.radius[i]:.0f} m, mostly from old grid "
            f"{self.lineage[i]} ({self.overlap[i]:.0%} of its households)"
        )


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
    h: Any, xy: Any, lo: int, hi: int, connected: Any = None, old: Any = None
) -> list[tuple[int, int]] | None:
    """Optimal cuts of the ordered buildings into runs with households in [lo, hi].

    ``connected[j, i]`` (optional) says whether run ``j .. i-1`` is contiguous; only such
    runs are used. ``old`` (optional) is each building's old grid (an int, -1 for none); a
    run that is exactly one old grid gets a bonus of 1, larger than any in-band size cost,
    so old grids that still fit the band are kept.
    """
    n = len(h)
    if old is not None:
        changes = np.concatenate([[0], np.cumsum(old[1:] != old[:-1])])
        sizes = np.bincount(old[old >= 0], minlength=int(old.max(initial=-1)) + 1)
    ph = np.concatenate([[0], np.cumsum(h)])
    px = np.concatenate([[0.0], np.cumsum(xy[:, 0])])
    py = np.concatenate([[0.0], np.cumsum(xy[:, 1])])
    pq = np.concatenate([[0.0], np.cumsum((xy**2).sum(axis=1))])
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


def partition_grids(  # noqa: PLR0912, PLR0915  # one pass per community
    structure: Structure,
    community: str | None = None,
    band: tuple[int, int] | None = None,
    *,
    profile: ProfileRef | Profile = "default",
    keep: bool = True,
) -> Partition:
    """Split each community's (or one community's) buildings into grids within ``band``.

    Parameters
    ----------
    structure : Structure
        With building locations.
    community : str, optional
        Only this community; default all.
    band : (int, int), optional
        Households per grid; default the profile's ``grid.households``.
    profile : str or Profile
    keep : bool
        Keep existing grids that still fit the band and are contiguous (re-partitioning after
        households move): buildings are ordered grid by grid and a run that is exactly an old
        grid is preferred.

    Returns
    -------
    Partition
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    prof = profile_of(profile)
    lo, hi = (int(v) for v in (band or numbers(prof, "grid.households")))
    pts = located(structure)
    b_ids, b_xy = pts.select("building")
    comm_of = up_to(structure, "community")
    old_grid = up_to(structure, "grid")
    hh = households_per(structure, "building")
    by_comm: dict[str, list[int]] = {}
    for i, b in enumerate(b_ids):
        c = comm_of.get(b or "")
        if c is not None and (community is None or c == community):
            by_comm.setdefault(c, []).append(i)
    grids: list[str] = []
    comms: list[str] = []
    members: list[list[str]] = []
    households: list[int] = []
    radius: list[float] = []
    contiguous: list[bool] = []
    lineage: list[str | None] = []
    overlap: list[float] = []
    unchanged: list[bool] = []
    old_size: dict[str, int] = {}
    for b in b_ids:
        og = old_grid.get(b or "")
        if og is not None:
            old_size[og] = old_size.get(og, 0) + 1
    problems: list[str] = []
    size_cost = 0.0
    lower = 0.0
    for c in sorted(by_comm):
        idx = np.asarray(by_comm[c])
        xy = b_xy[idx]
        order = idx[hilbert_order(xy[:, 0], xy[:, 1])]
        old_ids = [old_grid.get(b_ids[i] or "") for i in order]
        codes = {g: k for k, g in enumerate(sorted({g for g in old_ids if g is not None}))}
        old_arr = np.asarray([codes.get(g or "", -1) for g in old_ids], dtype=np.int64)
        if keep and codes:
            # old grids as consecutive runs, in the Hilbert order of their first building
            first_pos: dict[int, int] = {}
            for pos, code in enumerate(old_arr.tolist()):
                first_pos.setdefault(code, pos)
            regroup = np.lexsort(
                np.vstack([np.arange(len(order)), [first_pos[c] for c in old_arr.tolist()]])
            )
            order, old_arr = order[regroup], old_arr[regroup]
        names = [b_ids[i] or "" for i in order]
        h = np.asarray([hh.get(n, 0) for n in names], dtype=np.int64)
        oxy = b_xy[order]
        # Delaunay neighbours: runs must be paths in this graph (contiguous)
        adj = None
        if len(order) >= 3:
            from scipy.spatial import Delaunay, QhullError

            try:
                tri = Delaunay(oxy)
                e = np.vstack(
                    [tri.simplices[:, [0, 1]], tri.simplices[:, [1, 2]], tri.simplices[:, [0, 2]]]
                )
                adj = coo_matrix(
                    (np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(len(order),) * 2
                ).tocsr()
            except QhullError:  # collinear buildings: consecutive ones are neighbours
                adj = None
        connected = None
        if adj is not None:
            sym = (adj + adj.T).tocsr()
            neighbours = [
                set(sym.indices[sym.indptr[i] : sym.indptr[i + 1]].tolist())
                for i in range(len(order))
            ]
            connected = _connected_runs(h, neighbours, hi)
        runs = _cut(h, oxy, lo, hi, connected, old_arr if keep else None)
        if runs is None and connected is not None:
            problems.append(
                f"community {c}: no contiguous run partition; some grids may be non-contiguous"
            )
            runs = _cut(h, oxy, lo, hi, None, old_arr if keep else None)
        if runs is None:
            problems.append(f"community {c}: no partition into grids of {lo}-{hi} households")
            continue
        lower += _size_lower_bound(int(h.sum()), lo, hi)
        for k, (start, stop) in enumerate(runs, start=1):
            part = names[start:stop]
            grids.append(f"{c}-N{k:02d}")
            comms.append(c)
            members.append(part)
            s = int(h[start:stop].sum())
            households.append(s)
            size_cost += ((s - (lo + hi) / 2) / max(hi - lo, 1)) ** 2
            sub = oxy[start:stop]
            radius.append(float(np.sqrt(((sub - sub.mean(axis=0)) ** 2).sum(axis=1).mean())))
            if adj is not None and stop - start > 1:
                n_comp, _ = connected_components(adj[start:stop][:, start:stop], directed=False)
                contiguous.append(n_comp == 1)
            else:
                contiguous.append(True)
            weight: dict[str, int] = {}
            for n, hn in zip(part, h[start:stop].tolist(), strict=True):
                og = old_grid.get(n)
                if og is not None:
                    weight[og] = weight.get(og, 0) + hn
            if weight:
                top = max(sorted(weight), key=lambda g: weight[g])
                lineage.append(top)
                overlap.append(weight[top] / s if s else 0.0)
                same = all(old_grid.get(n) == top for n in part)
                unchanged.append(same and len(part) == old_size.get(top, -1))
            else:
                lineage.append(None)
                overlap.append(0.0)
                unchanged.append(False)
    return Partition(
        grids=grids,
        community=comms,
        members=members,
        households=households,
        radius=radius,
        contiguous=contiguous,
        lineage=lineage,
        overlap=overlap,
        unchanged=unchanged,
        size_cost=size_cost,
        lower_bound=lower,
        band=(lo, hi),
        problems=problems,
    )
