"""Grid partitioning: cut each community's buildings into compact grids within a household band.

Problem
-------
Split one community's buildings into grids so that every grid's households lie in the band
``[lo, hi]`` (profile ``grid.households``), a building is never split, a grid never crosses
a community and is contiguous on the Delaunay graph of the community's buildings, at least

    Σ_grids ((households − mid) / (hi − lo))² + 0.01 · (rms radius / building spacing)²

(mid = the band's midpoint; spacing = the median step between consecutive buildings on the
Hilbert curve), i.e. sizes near the middle of the band first, compactness second.

Methods (``method=``)
---------------------
``"milp"`` — set partitioning on HiGHS (``scipy.optimize.milp``): candidate grids are the
contiguous in-band runs of buildings along several orderings (Hilbert curves over rotated
coordinates, the axes, the angle about the centroid), stages of region growing on the
Delaunay graph, the old grids and the DP's grids; the MILP chooses candidates covering every
building exactly once at least cost. It is optimal over the candidates (HiGHS' dual bound
and gap are reported per community, ``Partition.summary()``), so never worse than the DP,
whose grids are candidates, but not proven optimal over every contiguous partition. When
HiGHS stops at ``time_limit`` the better of its incumbent and the DP's grids is kept.

``"dp"`` — buildings ordered along a Hilbert curve (nearby on the curve ⇒ nearby on the
ground) are cut into consecutive contiguous runs by dynamic programming, optimally for that
order; fast at any size.

``"auto"`` (default) — the MILP for communities of at most :data:`MILP_MAX_BUILDINGS` (80)
buildings, the DP above. Measured on the bundled examples (5 households per building on
average, 2-core machine): youyi's communities of 35–64 buildings give 250–550 candidates and
HiGHS proves each optimum in 0.1–1.5 s; huanan's of 70–154 buildings give 950–4 200
candidates and take 1 s to over 10 s, often stopping at the time limit.

For both, a lower bound on the size term holds over *all* partitions: for k grids
Σ (S − mid)² ≥ k (H/k − mid)² (Jensen), minimised over the feasible k ∈ [⌈H/hi⌉, ⌊H/lo⌋];
``Partition.gap`` is the size cost's distance to it.

Re-partitioning (``keep=True``, the default) gives a grid that is exactly an old grid a bonus
of 1, larger than any in-band size cost, so every old grid that still fits the band (and is
contiguous) is kept unchanged; the others are redrawn. Lineage names, for each new grid, the
old grid most of its households came from.

Codes
-----
A grid that is exactly an old grid keeps its id, code and name. Every other grid gets the
next free number in its community, after the highest the community already uses: its code is
the community's code with that grid number under the structure's ``code_scheme``
(:meth:`gridgov.org.codes.CodeScheme.child_code`), its id follows the community's existing grid
ids (``S01C01G10`` after ``S01C01G09``), its name is ``<community>第<n>网格``; new grids are
numbered north to south, then west to east. A scheme without a grid part (``civil_affairs_12``)
or a community without a code leaves new codes empty and says so in ``problems``.

Examples
--------
>>> from gridgov import datasets
>>> p = partition_grids(datasets.load("youyi"), profile="youyi", keep=False)
>>> f = p.to_frame()
>>> bool(f.get_column("households").is_between(200, 300).all())
True
>>> 70 <= f.height <= 82
True
>>> f.get_column("code")[0], f.get_column("grid")[0]
('10010099010100100110', 'S01C01G10')
>>> s = p.summary()
>>> bool((s.get_column("objective") <= s.get_column("dp_objective") + 1e-9).all())
True
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from gridgov.analysis._partition_dp import (
    _Community,
    _community,
    _dp,
    _group_costs,
    _size_lower_bound,
    hilbert_order,
)
from gridgov.analysis._space import located, numbers, profile_of
from gridgov.analysis._tree import households_per, up_to

if TYPE_CHECKING:
    import polars as pl

    from gridgov.org import Structure
    from gridgov.org.profiles import Profile, ProfileRef

__all__ = ["MILP_MAX_BUILDINGS", "Partition", "hilbert_order", "partition_grids"]

#: Largest community (in buildings) that ``method="auto"`` solves with the MILP.
MILP_MAX_BUILDINGS = 80


@dataclass(frozen=True)
class Partition:
    """Result of :func:`partition_grids`: one entry per grid in each list field.

    ``grids``, ``codes`` and ``names`` are the grids' ids, codes under the structure's scheme
    and names (an unchanged grid keeps its own); ``methods`` says which method drew each;
    ``communities`` holds the rows of :meth:`summary`.
    """

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
    codes: list[str | None] = field(default_factory=list)  # under the structure's scheme
    names: list[str] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)  # "milp" or "dp", per grid
    communities: list[dict[str, Any]] = field(default_factory=list)  # rows of summary()

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
                "code": self.codes,
                "name": self.names,
                "method": self.methods,
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
                "code": pl.String,
                "name": pl.String,
                "method": pl.String,
            },
        )

    def summary(self) -> pl.DataFrame:
        """One row per community: method, objective and its bounds, and time.

        Columns: ``community``, ``method`` (``"milp"`` or ``"dp"``, whose grids were kept),
        ``buildings``, ``grids``, ``candidates`` (candidate grids given to the MILP, null for
        the DP alone), ``objective`` (the full cost, size + compactness − keep bonuses),
        ``milp_bound`` and ``milp_gap`` (HiGHS' dual bound on that objective over the
        candidates and its relative gap; null when the MILP did not run), ``dp_objective``
        (the DP's cost, for comparison), ``size_cost`` and ``size_bound`` (the size term and
        its Jensen bound over all partitions), ``seconds``.
        """
        import polars as pl

        schema = {
            "community": pl.String,
            "method": pl.String,
            "buildings": pl.Int64,
            "grids": pl.Int64,
            "candidates": pl.Int64,
            "objective": pl.Float64,
            "milp_bound": pl.Float64,
            "milp_gap": pl.Float64,
            "dp_objective": pl.Float64,
            "size_cost": pl.Float64,
            "size_bound": pl.Float64,
            "seconds": pl.Float64,
        }
        return pl.DataFrame(
            {k: [row[k] for row in self.communities] for k in schema}, schema=schema
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
        code = self.codes[i] if self.codes else None
        if lang == "zh":
            return (
                f"新网格 {grid}（编码 {code or '无'}）："
                f"{len(self.members[i])}栋楼，{self.households[i]}户"
                f"（标准{lo}—{hi}户），半径约{self.radius[i]:.0f}米，"
                f"主要来自原网格 {self.lineage[i]}（{self.overlap[i]:.0%}）"
            )
        return (
            f"new grid {grid} (code {code or 'none'}): "
            f"{len(self.members[i])} buildings, {self.households[i]} households "
            f"(band {lo}-{hi}), rms radius {self.radius[i]:.0f} m, mostly from old grid "
            f"{self.lineage[i]} ({self.overlap[i]:.0%} of its households)"
        )


class _GridNamer:
    """Ids, codes and names for new grids, in the structure's own style.

    A new grid of community ``C`` gets the number after the highest grid number ``C`` already
    uses (read from its grids' codes under the structure's scheme and from ids of the form
    ``C<letters><digits>``, ended grids included, so nothing is ever reused); its code is
    ``scheme.child_code(code of C, number)``, its id ``C`` + the same letters + the number
    zero-padded as the existing ids are (``S01C01G10`` after ``S01C01G09``; ``CG01`` when ``C``
    has no numbered grid), and its name ``<community name>第<number>网格``. A number whose id or
    code is already taken anywhere in the structure is skipped.
    """

    def __init__(self, structure: Structure) -> None:
        from gridgov.org.codes import get_scheme

        f = structure.areas.frame
        self.ids: set[str] = set(f.get_column("id").to_list())
        self.codes: set[str] = {c for c in f.get_column("code").to_list() if c}
        rows = f.select("id", "level", "parent", "name", "code").to_dicts()
        self.row = {r["id"]: r for r in rows}
        self.grids: dict[str, list[dict[str, Any]]] = {}
        for r in rows:
            if r["level"] == "grid" and r["parent"] is not None:
                self.grids.setdefault(r["parent"], []).append(r)
        name = structure.code_scheme
        self.scheme = get_scheme(name) if name else None
        self.grid_part = (
            next((p.name for p in self.scheme.parts if p.level == "grid"), None)
            if self.scheme is not None
            else None
        )
        self.problems: list[str] = []

    def _community_code(self, community: str) -> str | None:
        from gridgov.errors import GridCodeError

        code = self.row.get(community, {}).get("code")
        if self.scheme is None or self.grid_part is None or not code:
            return None
        try:
            parsed = self.scheme.parse(code)
        except GridCodeError:
            return None
        return code if parsed.level == "community" else None

    def _numbers(self, community: str, ccode: str | None) -> tuple[str, int, int]:
        """Separator and width of the community's grid ids, and the highest number in use."""
        pattern = re.compile(re.escape(community) + r"([^\d]*)(\d+)")
        seps: list[str] = []
        widths: list[int] = []
        top = 0
        for r in self.grids.get(community, []):
            m = pattern.fullmatch(r["id"])
            if m:
                seps.append(m.group(1))
                widths.append(len(m.group(2)))
                top = max(top, int(m.group(2)))
        if ccode is not None and self.scheme is not None and self.grid_part is not None:
            prefix = self.scheme.parse(ccode).prefix
            for code in self.codes:
                if code.startswith(prefix) and self.scheme.is_valid(code):
                    top = max(top, int(self.scheme.parse(code).parts[self.grid_part]))
        sep = max(set(seps), key=seps.count) if seps else "G"
        return sep, max(widths, default=2), top

    def new(self, community: str, count: int) -> list[tuple[str, str | None, str]]:
        """``count`` fresh (id, code, name) triples for grids of ``community``."""
        from gridgov.errors import GridCodeError

        ccode = self._community_code(community)
        if self.scheme is not None and ccode is None:
            why = (
                f"scheme {self.scheme.name} codes no grid level"
                if self.grid_part is None
                else f"the community has no code at community level under {self.scheme.name}"
            )
            self.problems.append(
                f"community {community}: new grids have no code ({why}; 新网格无编码)"
            )
        sep, width, number = self._numbers(community, ccode)
        label = self.row.get(community, {}).get("name") or community
        out: list[tuple[str, str | None, str]] = []
        while len(out) < count:
            number += 1
            gid = f"{community}{sep}{number:0{width}d}"
            code: str | None = None
            if ccode is not None and self.scheme is not None:
                try:
                    code = self.scheme.child_code(ccode, number)
                except GridCodeError:
                    self.problems.append(
                        f"community {community}: grid number {number} does not fit the "
                        f"{self.scheme.name} grid part; {count - len(out)} new grid(s) "
                        "have no code (网格编号超出编码位数)"
                    )
                    ccode = None
            if gid in self.ids or (code is not None and code in self.codes):
                continue
            self.ids.add(gid)
            if code is not None:
                self.codes.add(code)
            out.append((gid, code, f"{label}第{number}网格"))
        return out

    def kept(self, grid: str) -> tuple[str, str | None, str]:
        """A kept grid's own id, code and name."""
        r = self.row.get(grid, {})
        return grid, r.get("code"), r.get("name") or grid


@dataclass(frozen=True)
class _Solved:
    groups: list[Any] | None
    method: str
    candidates: int | None
    objective: float | None
    bound: float | None
    gap: float | None
    dp_objective: float | None
    seconds: float
    problems: list[str]


def _solve_community(  # noqa: PLR0917  # the community and the caller's options
    cm: _Community,
    lo: int,
    hi: int,
    keep: bool,
    method: str,
    max_buildings: int,
    time_limit: float,
) -> _Solved:
    """Grids of one community by the DP and, when asked, the MILP; the better is kept."""
    from gridgov.analysis._partition_milp import candidates, solve_set_partition

    t0 = time.perf_counter()
    problems: list[str] = []
    dp = _dp(cm, lo, hi, keep)
    dp_groups = dp[0] if dp is not None else None
    dp_contiguous = dp is not None and dp[1]
    dp_obj = (
        float(_group_costs(cm, dp_groups, lo, hi, keep).sum()) if dp_groups is not None else None
    )
    no_runs = f"community {cm.name}: no contiguous run partition; some grids may be non-contiguous"
    use_milp = method == "milp" or (method == "auto" and len(cm.names) <= max_buildings)
    if not use_milp or cm.neighbours is None:
        if dp is not None and not dp_contiguous:
            problems.append(no_runs)
        secs = time.perf_counter() - t0
        return _Solved(dp_groups, "dp", None, dp_obj, None, None, dp_obj, secs, problems)
    cands = candidates(cm, lo, hi, keep, dp_groups if dp_contiguous and dp_groups else [])
    costs = _group_costs(cm, cands, lo, hi, keep)
    r = solve_set_partition(cands, costs, len(cm.names), time_limit)
    milp_ok = r.chosen is not None and r.objective is not None
    dp_better = (
        dp_obj is not None
        and dp_contiguous
        and (not milp_ok or dp_obj < (r.objective or 0.0) - 1e-9)
    )
    if not milp_ok and not dp_better:
        problems.append(
            f"community {cm.name}: the MILP found no partition ({r.message}); the DP's is used"
        )
        if dp is not None and not dp_contiguous:
            problems.append(no_runs)
    secs = time.perf_counter() - t0
    if dp_better or not milp_ok:
        gap = None
        if r.bound is not None and dp_obj is not None:
            gap = abs(dp_obj - r.bound) / abs(dp_obj) if dp_obj else 0.0
        return _Solved(dp_groups, "dp", len(cands), dp_obj, r.bound, gap, dp_obj, secs, problems)
    groups = [cands[k] for k in r.chosen or []]
    return _Solved(groups, "milp", len(cands), r.objective, r.bound, r.gap, dp_obj, secs, problems)


def partition_grids(  # noqa: PLR0912, PLR0915  # one pass per community
    structure: Structure,
    community: str | None = None,
    band: tuple[int, int] | None = None,
    *,
    profile: ProfileRef | Profile = "default",
    keep: bool = True,
    method: Literal["auto", "milp", "dp"] = "auto",
    milp_max_buildings: int = MILP_MAX_BUILDINGS,
    time_limit: float = 10.0,
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
        households move): a grid that is exactly an old grid is preferred by a bonus larger
        than any in-band size cost. A kept grid keeps its id, code and name.
    method : {"auto", "milp", "dp"}
        ``"milp"``: the set-partitioning MILP on HiGHS over candidate grids (see the module
        notes), never worse than the DP because the DP's grids are candidates;
        ``"dp"``: the Hilbert-order dynamic programme only; ``"auto"`` (default): the MILP
        for communities of at most ``milp_max_buildings`` buildings, the DP above.
    milp_max_buildings : int
        Largest community (in buildings) ``"auto"`` gives to the MILP
        (:data:`MILP_MAX_BUILDINGS`).
    time_limit : float
        Seconds HiGHS may spend on one community; when it stops early the better of its
        incumbent and the DP's grids is kept and the summary shows the MILP's gap.

    Returns
    -------
    Partition
        New grids (``.to_frame()``), per-community method, objective and bounds
        (``.summary()``).

    Raises
    ------
    GridgovError
        For an unknown ``method`` or a ``time_limit`` that is not positive.
    StructureError
        When the structure has no located points.
    """
    from gridgov.errors import GridgovError

    if method not in {"auto", "milp", "dp"}:
        raise GridgovError(f"unknown method {method!r}; available: auto, dp, milp (未知的划分方法)")
    if not time_limit > 0:
        raise GridgovError(f"time_limit must be positive, got {time_limit} (时限必须为正)")
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
    old_size: dict[str, int] = {}
    for b in b_ids:
        og = old_grid.get(b or "")
        if og is not None:
            old_size[og] = old_size.get(og, 0) + 1
    namer = _GridNamer(structure)
    rows: dict[str, list[Any]] = {k: [] for k in _GRID_FIELDS}
    summary: list[dict[str, Any]] = []
    problems: list[str] = []
    size_cost = 0.0
    lower = 0.0
    mid, width = (lo + hi) / 2, max(hi - lo, 1)
    for c in sorted(by_comm):
        idx = np.asarray(by_comm[c])
        order = idx[hilbert_order(b_xy[idx, 0], b_xy[idx, 1])]
        names = [b_ids[i] or "" for i in order]
        h = np.asarray([hh.get(n, 0) for n in names], dtype=np.int64)
        cm = _community(c, names, h, b_xy[order], old_grid)
        solved = _solve_community(cm, lo, hi, keep, method, milp_max_buildings, time_limit)
        problems += solved.problems
        if solved.groups is None:
            problems.append(f"community {c}: no partition into grids of {lo}-{hi} households")
            continue
        groups = sorted(solved.groups, key=lambda g: (-cm.xy[g, 1].mean(), cm.xy[g, 0].mean()))
        c_size = 0.0
        fresh: list[int] = []
        for g in groups:
            part = [names[i] for i in g]
            s = int(h[g].sum())
            c_size += ((s - mid) / width) ** 2
            sub = cm.xy[g]
            weight: dict[str, int] = {}
            for n, hn in zip(part, h[g].tolist(), strict=True):
                og = old_grid.get(n)
                if og is not None:
                    weight[og] = weight.get(og, 0) + hn
            top = max(sorted(weight), key=lambda k: weight[k]) if weight else None
            same = (
                top is not None
                and all(old_grid.get(n) == top for n in part)
                and len(part) == old_size.get(top, -1)
            )
            if same and top is not None:
                gid, code, gname = namer.kept(top)
            else:
                fresh.append(len(rows["grid"]))
                gid, code, gname = "", None, ""
            if cm.adj is not None and len(g) > 1:
                from scipy.sparse.csgraph import connected_components

                n_comp, _ = connected_components(cm.adj[g][:, g], directed=False)
                contiguous = n_comp == 1
            else:
                contiguous = True
            for key, value in (
                ("grid", gid),
                ("code", code),
                ("name", gname),
                ("community", c),
                ("members", part),
                ("households", s),
                ("radius", float(np.sqrt(((sub - sub.mean(axis=0)) ** 2).sum(axis=1).mean()))),
                ("contiguous", contiguous),
                ("lineage", top),
                ("overlap", weight[top] / s if top is not None and s else 0.0),
                ("unchanged", same),
                ("method", solved.method),
            ):
                rows[key].append(value)
        for pos, (gid, code, gname) in zip(fresh, namer.new(c, len(fresh)), strict=True):
            rows["grid"][pos], rows["code"][pos], rows["name"][pos] = gid, code, gname
        c_lower = _size_lower_bound(int(h.sum()), lo, hi)
        size_cost += c_size
        lower += c_lower
        summary.append(
            {
                "community": c,
                "method": solved.method,
                "buildings": len(names),
                "grids": len(groups),
                "candidates": solved.candidates,
                "objective": solved.objective,
                "milp_bound": solved.bound,
                "milp_gap": solved.gap,
                "dp_objective": solved.dp_objective,
                "size_cost": c_size,
                "size_bound": c_lower,
                "seconds": solved.seconds,
            }
        )
    problems += namer.problems
    return Partition(
        grids=rows["grid"],
        community=rows["community"],
        members=rows["members"],
        households=rows["households"],
        radius=rows["radius"],
        contiguous=rows["contiguous"],
        lineage=rows["lineage"],
        overlap=rows["overlap"],
        unchanged=rows["unchanged"],
        size_cost=size_cost,
        lower_bound=lower,
        band=(lo, hi),
        problems=problems,
        codes=rows["code"],
        names=rows["name"],
        methods=rows["method"],
        communities=summary,
    )


_GRID_FIELDS = (
    "grid",
    "code",
    "name",
    "community",
    "members",
    "households",
    "radius",
    "contiguous",
    "lineage",
    "overlap",
    "unchanged",
    "method",
)
