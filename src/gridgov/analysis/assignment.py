"""Report-back assignment (双报到): in-service party members to grids or communities.

In-service party members report back to where they live (在职党员回社区报到), by the
principles 「就地、就近」: first the grid (or community) they live in, if it has room; otherwise
the nearest with room. :func:`assign_report_back` solves this optimally as a transportation
problem on HiGHS (``scipy.optimize.linprog``), lexicographically:

1. as many members as possible report back 就地 — at each target ``j`` exactly
   ``min(capacity_j, residents_j)`` of the members living there are assigned there;
2. every member is assigned if the capacities allow (an unassigned member costs more than any
   distance);
3. subject to that, the total distance is least (就近).

Rule 1 adds, for each target, a row over the arcs of the members living there; those rows
and the capacity rows form two laminar families with the member rows, so the constraint
matrix stays totally unimodular and the LP's vertex optimum is integral — no MILP needed.
Only the ``candidates`` nearest targets (and the home target) are arcs of a member; with the
default 25 this is exact unless capacity is short across a whole neighbourhood.

Examples
--------
>>> from gridgov import datasets
>>> a = assign_report_back(datasets.load("youyi"), profile="youyi")
>>> f = a.to_frame()
>>> f.filter(principle="就地").height > f.filter(principle="就近").height
True
>>> a.explain(f.get_column("member")[0])[:2] in {"就地", "就近"}
True
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from gridgov.analysis._space import located, number, profile_of
from gridgov.analysis._tree import up_to
from gridgov.errors import GridgovError

if TYPE_CHECKING:
    import polars as pl

    from gridgov.org import ReportBack, Structure
    from gridgov.org.profiles import Profile, ProfileRef

__all__ = [
    "ReportBackAssignment",
    "Solution",
    "assign_report_back",
    "solve_assignment",
    "solve_assignment_xy",
]


@dataclass(frozen=True)
class Solution:
    """Target index per member (-1 = unassigned) and whether each is at home."""

    target: Any
    home: Any
    distance: Any  # metres, nan when unassigned
    objective: float


def solve_assignment(
    distance: Any,
    home: Any,
    capacity: Any,
    *,
    candidates: int | None = 25,
) -> Solution:
    """Lexicographic report-back assignment on HiGHS (see the module docstring).

    Parameters
    ----------
    distance : array (members × targets)
        Metres from each member to each target.
    home : int array (members,)
        Each member's home target, or -1.
    capacity : int array (targets,)
    candidates : int or None
        Arcs per member: the home target and this many nearest; ``None`` for all.

    Examples
    --------
    >>> d = np.array([[0.0, 5.0], [1.0, 2.0], [9.0, 1.0]])
    >>> s = solve_assignment(d, np.array([0, 0, 1]), np.array([1, 2]))
    >>> s.target.tolist(), s.home.tolist()
    ([0, 1, 1], [True, False, True])
    """
    d = np.asarray(distance, dtype=float)
    n, m = d.shape
    home = np.asarray(home, dtype=np.int64)
    if n == 0 or m == 0:
        return _solve_arcs(
            np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0), home, capacity, n, m
        )
    k = m if candidates is None else min(m, candidates)
    near = np.argpartition(d, k - 1, axis=1)[:, :k] if k < m else np.tile(np.arange(m), (n, 1))
    rows = np.repeat(np.arange(n), k)
    cols = near.ravel()
    has_home = home >= 0
    rows = np.concatenate([rows, np.flatnonzero(has_home)])
    cols = np.concatenate([cols, home[has_home]])
    pair = np.unique(rows * m + cols)
    rows, cols = pair // m, pair % m
    return _solve_arcs(rows, cols, d[rows, cols], home, capacity, n, m)


def solve_assignment_xy(
    members: Any, targets: Any, home: Any, capacity: Any, *, candidates: int = 25
) -> Solution:
    """:func:`solve_assignment` from coordinates (metres), nearest targets by a KD-tree.

    For large instances: no members × targets matrix is formed.
    """
    from scipy.spatial import cKDTree

    mxy = np.asarray(members, dtype=float).reshape(-1, 2)
    txy = np.asarray(targets, dtype=float).reshape(-1, 2)
    n, m = len(mxy), len(txy)
    home = np.asarray(home, dtype=np.int64)
    k = min(m, candidates)
    _, near = cKDTree(txy).query(mxy, k=k)
    near = np.asarray(near, dtype=np.int64).reshape(n, k)
    has_home = home >= 0
    rows = np.concatenate([np.repeat(np.arange(n), k), np.flatnonzero(has_home)])
    cols = np.concatenate([near.ravel(), home[has_home]])
    pair = np.unique(rows * m + cols)
    rows, cols = pair // m, pair % m
    cost = np.hypot(*(mxy[rows] - txy[cols]).T)
    return _solve_arcs(rows, cols, cost, home, capacity, n, m)


def _solve_arcs(  # noqa: PLR0917  # the arcs and the instance, as the LP reads them
    rows: Any, cols: Any, cost: Any, home: Any, capacity: Any, n: int, m: int
) -> Solution:
    from scipy.optimize import linprog
    from scipy.sparse import coo_matrix, vstack

    cap = np.asarray(capacity, dtype=np.int64)
    if n == 0:
        return Solution(np.zeros(0, np.int64), np.zeros(0, bool), np.zeros(0), 0.0)
    arc_home = home[rows] == cols
    n_arcs = len(rows)
    # one dummy arc per member (unassigned), costlier than any real assignment
    big = float(cost.max() if cost.size else 1.0) * 10 + 1.0
    c = np.concatenate([cost, np.full(n, big)])
    all_rows = np.concatenate([rows, np.arange(n)])
    a_eq = coo_matrix(
        (np.ones(n_arcs + n), (all_rows, np.arange(n_arcs + n))), shape=(n, n_arcs + n)
    )
    a_cap = coo_matrix((np.ones(n_arcs), (cols, np.arange(n_arcs))), shape=(m, n_arcs + n))
    has_home = home >= 0
    residents = np.bincount(home[has_home], minlength=m)
    required = np.minimum(cap, residents)
    hr = np.flatnonzero(arc_home)
    a_home = coo_matrix((-np.ones(len(hr)), (cols[hr], hr)), shape=(m, n_arcs + n))
    res = linprog(
        c,
        A_ub=vstack([a_cap, a_home]).tocsr(),
        b_ub=np.concatenate([cap, -required]).astype(float),
        A_eq=a_eq.tocsr(),
        b_eq=np.ones(n),
        bounds=(0, 1),
        method="highs-ds",
    )
    if res.status != 0:
        raise GridgovError(f"report-back assignment: the solver failed ({res.message})")
    x = np.asarray(res.x[:n_arcs])
    chosen = x > 0.5
    target = np.full(n, -1, dtype=np.int64)
    target[rows[chosen]] = cols[chosen]
    at_home = (target >= 0) & (target == home)
    dist = np.full(n, np.nan)
    dist[rows[chosen]] = cost[chosen]
    return Solution(target, at_home, dist, float(np.nansum(dist)))


@dataclass(frozen=True)
class ReportBackAssignment:
    """Result of :func:`assign_report_back`: one row per member."""

    members: list[str]
    targets: list[str]
    level: str
    home: list[str | None]
    assigned: list[str | None]
    distance: Any
    capacity: dict[str, int]
    residents: dict[str, int]
    principle: list[str | None]
    rank: Any  # 1 = nearest target to the member

    def to_frame(self) -> pl.DataFrame:
        """One row per member: home, assigned target, principle, metres, rank by distance."""
        import polars as pl

        return pl.DataFrame(
            {
                "member": self.members,
                "home": self.home,
                "assigned": self.assigned,
                "principle": self.principle,
                "metres": np.where(np.isfinite(self.distance), self.distance, np.nan),
                "rank": self.rank,
            }
        ).with_columns(pl.col("metres").fill_nan(None))

    def explain(self, member: str, lang: Literal["en", "zh"] = "en") -> str:
        """Why a member was assigned where they were."""
        i = self.members.index(member)
        home, got, p = self.home[i], self.assigned[i], self.principle[i]
        metres = float(self.distance[i]) if got is not None else math.nan
        if got is None:
            return (
                f"{member} 未分配：附近没有空余名额"
                if lang == "zh"
                else f"{member} is not assigned: no capacity left nearby"
            )
        if p == "就地":
            if lang == "zh":
                return f"就地：{member} 住在 {got}，该{self._lvl('zh')}有名额，安排回居住地报到"
            return f"就地: {member} lives in {self.level} {got}, which has room; reports back there"
        cap = self.capacity.get(home or "", 0)
        res = self.residents.get(home or "", 0)
        if lang == "zh":
            why = (
                f"居住地 {home} 名额已满（容量{cap}，居住党员{res}）"
                if home
                else "居住地不在本辖区"
            )
            return f"就近：{why}；安排到 {got}，距离{metres:.0f}米（按距离第{self.rank[i]}近）"
        why = (
            f"home {self.level} {home} is full (capacity {cap}, {res} members live there)"
            if home
            else "lives outside the locality's areas"
        )
        return (
            f"就近: {why}; assigned to {got}, {metres:.0f} m away (rank {self.rank[i]} by distance)"
        )

    def _lvl(self, lang: str) -> str:
        return {"grid": "网格", "community": "社区"}.get(self.level, self.level)

    def report_backs(self, *, start: dt.date | None = None) -> tuple[ReportBack, ...]:
        """The assignment as :class:`~gridgov.org.ReportBack` records (grid level only)."""
        from gridgov.org import ReportBack

        if self.level != "grid":
            raise GridgovError("report-back records name a grid: assign at level='grid'")
        return tuple(
            ReportBack(id=f"RB-{m}", member=m, grid=g, principle=p or "", start=start)
            for m, g, p in zip(self.members, self.assigned, self.principle, strict=True)
            if g is not None
        )


def assign_report_back(  # noqa: PLR0915  # gathering points, then one solve
    structure: Structure,
    *,
    profile: ProfileRef | Profile = "default",
    level: Literal["grid", "community"] | None = None,
    capacity: int | Mapping[str, int] | None = None,
    candidates: int | None = 25,
) -> ReportBackAssignment:
    """Assign in-service party members to grids (or communities), 就地 before 就近.

    Parameters
    ----------
    structure : Structure
        With geography: residences (or households in located buildings) and meeting points
        (grids) or party-and-mass service centres (communities).
    profile : str or Profile
        ``report_back.grid_of_residence`` picks the level; ``report_back.capacity_factor``
        sets the default capacity (factor × members ÷ targets, rounded up).
    level : "grid" or "community", optional
    capacity : int or mapping, optional
        Members a target takes (one number for all, or per target id).
    candidates : int or None
        Nearest targets considered per member besides home; ``None`` for all.

    Returns
    -------
    ReportBackAssignment
    """
    import polars as pl

    prof = profile_of(profile)
    if level is None:
        by_grid = prof.has("report_back.grid_of_residence") and bool(
            prof.get("report_back.grid_of_residence")
        )
        level = "grid" if by_grid else "community"
    areas = structure.areas.frame
    targets: list[str] = areas.filter(pl.col("level") == level).get_column("id").to_list()
    t_pos = {t: i for i, t in enumerate(targets)}
    members = sorted(
        p.id
        for p in structure.people
        if p.party is not None
        and p.party.service is not None
        and p.party.service.value == "in_service"
    )
    pts = located(structure)
    at: dict[str, tuple[float, float]] = {}
    for i in range(len(pts.ids)):
        s = pts.subject[i]
        if s is not None:
            at.setdefault(f"{pts.kind[i]}:{s}", (float(pts.x[i]), float(pts.y[i])))
    anc = up_to(structure, level)
    building_of = up_to(structure, "building")
    hh_parent = dict(structure.households.frame.select("id", "parent").iter_rows())
    person = {p.id: p for p in structure.people}
    m_xy: list[tuple[float, float]] = []
    m_home: list[int] = []
    kept: list[str] = []
    for mid in members:
        unit = hh_parent.get(person[mid].household or "")
        b = building_of.get(unit) if unit else None
        xy = at.get(f"residence:{mid}") or (at.get(f"building:{b}") if b else None)
        if xy is None:
            continue
        kept.append(mid)
        m_xy.append(xy)
        h = anc.get(unit) if unit else None
        m_home.append(t_pos.get(h or "", -1))
    t_xy = np.full((len(targets), 2), np.nan)
    for j, t in enumerate(targets):
        xy = at.get(f"meeting_point:{t}") if level == "grid" else None
        if xy is None and level == "community":
            centre = next(
                (
                    (float(pts.x[i]), float(pts.y[i]))
                    for i in range(len(pts.ids))
                    if pts.subject[i] == t and pts.facility[i] == "party_mass_service_centre"
                ),
                None,
            )
            xy = centre
        if xy is not None:
            t_xy[j] = xy
    usable = np.flatnonzero(~np.isnan(t_xy[:, 0]))
    if len(usable) == 0:
        raise GridgovError(f"no located {level} to report back to (没有可报到的已定位{level})")
    if capacity is None:
        factor = number(prof, "report_back.capacity_factor")
        cap_all = np.full(len(targets), math.ceil(factor * len(kept) / len(usable)))
    elif isinstance(capacity, int):
        cap_all = np.full(len(targets), capacity)
    else:
        cap_all = np.asarray([int(capacity.get(t, 0)) for t in targets])
    cap_all[np.isnan(t_xy[:, 0])] = 0
    mx = np.asarray(m_xy, dtype=float).reshape(-1, 2)
    tx = np.where(np.isnan(t_xy), 1e12, t_xy)
    home_arr = np.asarray(m_home, dtype=np.int64)
    k = len(targets) if candidates is None else candidates
    sol = solve_assignment_xy(mx, tx, home_arr, cap_all, candidates=k)
    # rank: how many targets are nearer than the one assigned (1 = the nearest)
    got = np.maximum(sol.target, 0)
    d_got = np.hypot(*(mx - tx[got]).T) if len(mx) else np.zeros(0)
    from scipy.spatial import cKDTree

    tree = cKDTree(tx)
    nearer = np.asarray(
        [
            len(tree.query_ball_point(p, r=max(r - 1e-9, 0.0)))
            for p, r in zip(mx, d_got, strict=True)
        ],
        dtype=np.int64,
    )
    rank = np.where(sol.target >= 0, nearer + 1, 0)
    residents = np.bincount([h for h in m_home if h >= 0], minlength=len(targets))
    return ReportBackAssignment(
        members=kept,
        targets=targets,
        level=level,
        home=[targets[h] if h >= 0 else None for h in m_home],
        assigned=[targets[t] if t >= 0 else None for t in sol.target.tolist()],
        distance=sol.distance,
        capacity={t: int(c) for t, c in zip(targets, cap_all, strict=True)},
        residents={t: int(r) for t, r in zip(targets, residents, strict=True)},
        principle=[
            None if t < 0 else ("就地" if h else "就近")
            for t, h in zip(sol.target.tolist(), sol.home.tolist(), strict=True)
        ],
        rank=rank,
    )
