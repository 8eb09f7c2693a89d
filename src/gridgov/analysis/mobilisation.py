"""Mobilisation: how fast an instruction reaches every household, and cadres reach their grid.

友谊县's target (「指令在发布10分钟内覆盖全部群众、30分钟内党员干部全部到位」) is two
probabilities per grid, estimated by a Monte Carlo model of the instruction cascade:

* **instruction**: grid worker → building heads → unit heads → households (三长制). Each hop
  takes a lognormal delay (profile ``mobilisation.hop_minutes``: ``[median, sigma]`` per hop).
  A share of households (``mobilisation.unreachable_share``) misses the message and is reached
  by a door knock after their unit head has it. A vacant building head means the grid worker
  knocks on each of that building's unit heads (``door_knock`` delay instead of two relayed
  hops); a vacant unit head means each of the unit's households is reached by a door knock; a
  vacant grid worker adds a door knock before the first hop.
* **targets**: ``mobilisation.instruction_reach_minutes`` and
  ``mobilisation.cadres_in_place_minutes`` of the profile, else 友谊县's 10 and 30 (the only
  published ones).
* **cadres**: every holder of a grid-level post (grid worker, grid leader, party-group leader)
  and every in-service member reporting back to the grid sets off after a ``set_off`` delay and
  travels from their residence to the grid's meeting point (the faster of walking and driving,
  straight line × detour).

A grid's reach time in a run is the maximum over its households; its cadres' time the
maximum over its cadres. Runs are vectorised with numpy in chunks; the result is seeded and
reproducible. Probabilities carry 95 % Wilson intervals.

**Sampling.** A unit's households all wait for their unit head and then for iid delays of
their own, so a run draws each unit's *slowest* household directly instead of every household:
the maximum of ``n`` iid lognormals by inverse-CDF sampling of ``F**n`` (``F⁻¹(U**(1/n))``,
exact in distribution), and the few households that miss the message (exact Bernoulli trials)
explicitly. About two draws per unit instead of one per household: 1 000 runs on a
1 M-household city take seconds. ``_reach_reference`` keeps the per-household sampler, and the
tests hold the two to the same distribution (``tests/analysis/test_mobilisation_sampler.py``).
The random numbers do not depend on which posts are vacant, so :meth:`Mobilisation.what_if`
compares under common random numbers (filling a grid worker's post never slows a run).

Examples
--------
>>> from gridgov import datasets
>>> m = mobilisation(datasets.load("youyi"), runs=200, seed=1, profile="youyi")
>>> frame = m.to_frame()
>>> frame.height
76
>>> bool((frame["p_reach"] >= 0).all() and (frame["p_reach_high"] <= 1).all())
True
>>> m.what_if(fill=["J-BH-S01C01G01B01"]).runs
200
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from gridgov.analysis._space import located, number, profile_of, project
from gridgov.errors import GridgovError

if TYPE_CHECKING:
    import polars as pl

    from gridgov.org import Structure
    from gridgov.org.profiles import Profile, ProfileRef

__all__ = ["Mobilisation", "mobilisation", "wilson_interval"]

_GRID_CADRE_POSTS = ("grid_worker", "grid_leader", "party_group_leader")
_HOPS = (
    "worker_to_building_head",
    "building_head_to_unit_head",
    "unit_head_to_household",
    "door_knock",
    "set_off",
)
_CHUNK_CELLS = 4_000_000


def wilson_interval(successes: Any, n: int, z: float = 1.959964) -> tuple[Any, Any]:
    """95 % Wilson score interval for a binomial proportion (vectorised).

    Examples
    --------
    >>> lo, hi = wilson_interval(np.array([0, 50, 100]), 100)
    >>> [round(float(v), 3) for v in lo]
    [0.0, 0.404, 0.963]
    """
    p = np.asarray(successes, dtype=float) / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


@dataclass
class _Model:
    grids: list[str]
    hh_grid: Any  # household → grid index (sorted by grid)
    hh_unit: Any
    unit_building: Any
    building_grid: Any
    units: list[str]
    buildings: list[str]
    vacant_bh: Any  # bool per building
    vacant_uh: Any  # bool per unit
    vacant_worker: Any  # bool per grid
    cadre_grid: Any
    cadre_person: list[str]
    cadre_travel: Any  # deterministic minutes
    bh_post: dict[str, str]
    uh_post: dict[str, str]
    worker_post: dict[str, str]


def _lognormal32(rng: np.random.Generator, hop: tuple[float, float], size: tuple[int, ...]) -> Any:
    """As :func:`_lognormal` in float32, computed in place (the per-household hot path)."""
    median, sigma = hop
    if sigma == 0:
        return np.full(size, median, dtype=np.float32)
    z = rng.standard_normal(size, dtype=np.float32)
    z *= np.float32(sigma)
    np.exp(z, out=z)
    z *= np.float32(median)
    return z


def _bernoulli_positions(rng: np.random.Generator, p: float, n: int) -> Any:
    """Positions of the successes in ``n`` Bernoulli(p) trials, exactly, by geometric gaps.

    About ``p·n`` draws instead of ``n``.
    """
    if p <= 0 or n == 0:
        return np.zeros(0, dtype=np.int64)
    if p >= 1:
        return np.arange(n, dtype=np.int64)
    parts: list[Any] = []
    pos = -1
    while True:
        batch = int(p * (n - pos) * 1.1) + 64
        gaps = rng.geometric(p, size=batch)
        np.minimum(gaps, n + 1, out=gaps)  # a gap past the end is one; no int64 overflow
        steps = pos + np.cumsum(gaps)
        inside = steps[steps < n]
        parts.append(inside)
        if inside.size < steps.size:
            break
        pos = int(steps[-1])
    return np.concatenate(parts).astype(np.int64)


def _lognormal(rng: np.random.Generator, hop: tuple[float, float], size: tuple[int, ...]) -> Any:
    median, sigma = hop
    if sigma == 0:
        return np.full(size, float(median))
    return median * np.exp(sigma * rng.standard_normal(size))


@dataclass(frozen=True)
class Mobilisation:
    """Result of :func:`mobilisation`; per-grid probabilities and the runs behind them."""

    grids: list[str]
    runs: int
    seed: int
    reach_minutes: Any  # runs × grids
    cadre_minutes: Any  # runs × grids
    reach_target: float
    cadre_target: float
    reasons: dict[str, list[str]]
    reasons_zh: dict[str, list[str]]
    options: dict[str, Any] = field(repr=False)

    def to_frame(self) -> pl.DataFrame:
        """One row per grid: probabilities with 95 % intervals, median and 95th percentile."""
        import polars as pl

        ok_r = (self.reach_minutes <= self.reach_target).sum(axis=0)
        ok_c = (self.cadre_minutes <= self.cadre_target).sum(axis=0)
        lo_r, hi_r = wilson_interval(ok_r, self.runs)
        lo_c, hi_c = wilson_interval(ok_c, self.runs)
        return pl.DataFrame(
            {
                "grid": self.grids,
                "p_reach": ok_r / self.runs,
                "p_reach_low": lo_r,
                "p_reach_high": hi_r,
                "reach_median": np.median(self.reach_minutes, axis=0),
                "reach_p95": np.quantile(self.reach_minutes, 0.95, axis=0),
                "p_cadres": ok_c / self.runs,
                "p_cadres_low": lo_c,
                "p_cadres_high": hi_c,
                "cadres_median": np.median(self.cadre_minutes, axis=0),
                "reasons": [self.reasons.get(g, []) for g in self.grids],
            }
        )

    def misses(self, level: float = 0.9) -> list[str]:
        """Grids whose probability of meeting either target is below ``level``."""
        f = self.to_frame()
        bad = f.filter((f["p_reach"] < level) | (f["p_cadres"] < level))
        return list(bad.get_column("grid").to_list())

    def explain(self, grid: str, lang: Literal["en", "zh"] = "en") -> str:
        """Probabilities of one grid against the targets, and why it misses (if it does)."""
        i = self.grids.index(grid)
        pr = float((self.reach_minutes[:, i] <= self.reach_target).mean())
        pc = float((self.cadre_minutes[:, i] <= self.cadre_target).mean())
        if lang == "zh":
            why = "；".join(self.reasons_zh.get(grid, [])) or "无明显原因"
            return (
                f"网格 {grid}：{self.reach_target:g}分钟内覆盖全部群众的概率 {pr:.0%}，"
                f"{self.cadre_target:g}分钟内党员干部全部到位的概率 {pc:.0%}"
                f"（{self.runs}次模拟）。原因：{why}"
            )
        why = "; ".join(self.reasons.get(grid, [])) or "no structural cause found"
        return (
            f"grid {grid}: P(all households within {self.reach_target:g} min) = {pr:.0%}, "
            f"P(all cadres in place within {self.cadre_target:g} min) = {pc:.0%} "
            f"({self.runs} runs). Why: {why}"
        )

    def what_if(
        self,
        *,
        fill: tuple[str, ...] | list[str] = (),
        move: dict[str, tuple[float, float]] | None = None,
    ) -> Mobilisation:
        """Re-run with the same seed after filling posts and moving cadres' residences.

        ``fill`` lists post ids treated as filled; ``move`` maps person id → new
        ``(lon, lat)``.
        """
        opts = dict(self.options)
        opts["fill"] = tuple(opts.get("fill", ())) + tuple(fill)
        moved = dict(opts.get("move") or {})
        moved.update(move or {})
        opts["move"] = moved
        return mobilisation(**opts)


def _active(structure: Structure) -> set[str]:
    day = structure.reference_date or dt.date.today()
    from gridgov.org._base import is_valid_on

    return {a.post for a in structure.appointments if is_valid_on(a.start, a.end, day)}


def _build(  # noqa: PLR0912, PLR0915  # one pass from the structure to index arrays
    structure: Structure, prof: Profile, fill: tuple[str, ...], move: dict[str, tuple[float, float]]
) -> _Model:
    import polars as pl

    areas = structure.areas.frame
    grid_rows = areas.filter(pl.col("level") == "grid")
    grids: list[str] = grid_rows.get_column("id").to_list()
    g_pos = {g: i for i, g in enumerate(grids)}
    b_rows = areas.filter(pl.col("level") == "building").select("id", "parent")
    b_rows = b_rows.filter(pl.col("parent").is_in(grids))
    buildings: list[str] = b_rows.get_column("id").to_list()
    b_pos = {b: i for i, b in enumerate(buildings)}
    building_grid = np.asarray(
        [g_pos[p] for p in b_rows.get_column("parent").to_list()], dtype=np.int64
    )
    u_rows = areas.filter(pl.col("level") == "unit").select("id", "parent")
    u_rows = u_rows.filter(pl.col("parent").is_in(buildings))
    units: list[str] = u_rows.get_column("id").to_list()
    u_pos = {u: i for i, u in enumerate(units)}
    unit_building = np.asarray(
        [b_pos[p] for p in u_rows.get_column("parent").to_list()], dtype=np.int64
    )
    hh = structure.households.frame.select("parent")
    hh_parent = hh.get_column("parent").to_list()
    hh_unit = np.asarray([u_pos.get(p, -1) for p in hh_parent], dtype=np.int64)
    hh_unit = hh_unit[hh_unit >= 0]
    hh_grid = building_grid[unit_building[hh_unit]]
    order = np.argsort(hh_grid, kind="stable")
    hh_unit, hh_grid = hh_unit[order], hh_grid[order]

    active = _active(structure) | set(fill)
    bh_post: dict[str, str] = {}
    uh_post: dict[str, str] = {}
    worker_post: dict[str, str] = {}
    filled_b: set[str] = set()
    filled_u: set[str] = set()
    filled_g: set[str] = set()
    post_area: dict[str, tuple[str, str]] = {}
    for p in structure.posts:
        if p.area is None:
            continue
        kind = str(p.kind.value)
        post_area[p.id] = (kind, p.area)
        target = {
            "building_head": (bh_post, filled_b),
            "unit_head": (uh_post, filled_u),
            "grid_worker": (worker_post, filled_g),
        }.get(kind)
        if target is not None:
            target[0].setdefault(p.area, p.id)
            if p.id in active:
                target[1].add(p.area)
    vacant_bh = np.asarray([b not in filled_b for b in buildings])
    vacant_uh = np.asarray([u not in filled_u for u in units])
    vacant_worker = np.asarray([g not in filled_g for g in grids])

    # cadres: holders of grid-level posts and report-back members, with their travel times
    day = structure.reference_date or dt.date.today()
    from gridgov.org._base import is_valid_on

    cadre_pairs: list[tuple[str, str]] = []
    for a in structure.appointments:
        kind_area = post_area.get(a.post)
        if (
            kind_area
            and kind_area[0] in _GRID_CADRE_POSTS
            and kind_area[1] in g_pos
            and is_valid_on(a.start, a.end, day)
        ):
            cadre_pairs.append((kind_area[1], a.person))
    cadre_pairs.extend(
        (rb.grid, rb.member)
        for rb in structure.report_backs
        if rb.grid in g_pos and is_valid_on(rb.start, rb.end, day)
    )
    cadre_pairs = sorted(set(cadre_pairs))
    pts = located(structure)
    res_idx = {pts.subject[i]: i for i in np.flatnonzero(pts.kind == "residence")}
    meet_idx = {pts.subject[i]: i for i in np.flatnonzero(pts.kind == "meeting_point")}
    if move:
        ids = list(move)
        mx, my = project(
            np.array([move[k][0] for k in ids]), np.array([move[k][1] for k in ids]), pts.centre
        )
        moved = {k: (float(a), float(b)) for k, a, b in zip(ids, mx, my, strict=True)}
    else:
        moved = {}
    walk = number(prof, "travel.walk_speed_m_per_min")
    drive = number(prof, "travel.drive_speed_m_per_min")
    detour = number(prof, "travel.detour_factor")
    cg: list[int] = []
    cp: list[str] = []
    ct: list[float] = []
    for g, person in cadre_pairs:
        if g not in meet_idx:
            continue
        mi = meet_idx[g]
        if person in moved:
            px, py = moved[person]
        elif person in res_idx:
            px, py = float(pts.x[res_idx[person]]), float(pts.y[res_idx[person]])
        else:
            continue
        d = math.hypot(px - float(pts.x[mi]), py - float(pts.y[mi])) * detour
        cg.append(g_pos[g])
        cp.append(person)
        ct.append(min(d / walk, d / drive))
    return _Model(
        grids=grids,
        hh_grid=hh_grid,
        hh_unit=hh_unit,
        unit_building=unit_building,
        building_grid=building_grid,
        units=units,
        buildings=buildings,
        vacant_bh=vacant_bh,
        vacant_uh=vacant_uh,
        vacant_worker=vacant_worker,
        cadre_grid=np.asarray(cg, dtype=np.int64),
        cadre_person=cp,
        cadre_travel=np.asarray(ct, dtype=float),
        bh_post=bh_post,
        uh_post=uh_post,
        worker_post=worker_post,
    )


def _group_max(values: Any, groups: Any, n_groups: int) -> Any:
    """Row-wise maximum of ``values`` (runs × items) per group (items sorted by group).

    A group without items gets 0 (every delay is positive, so 0 is "nothing to wait for").
    """
    out = np.zeros((values.shape[0], n_groups))
    if values.shape[1] == 0:
        return out
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    out[:, groups[starts]] = np.maximum.reduceat(values, starts, axis=1)
    return out


def _max_lognormal(median: Any, sigma: Any, count: Any, e: Any) -> Any:
    """The maximum of ``count`` iid lognormal(``median``, ``sigma``) delays, one per ``e``.

    ``e`` holds standard exponential draws; ``median``, ``sigma`` and ``count`` broadcast
    against it. Exact in distribution: the maximum of ``n`` iid draws with CDF ``F`` has CDF
    ``F**n``, so it is ``F⁻¹(U**(1/n))`` for a uniform ``U`` (inverse-CDF sampling). With
    ``U = exp(-E)``, ``q = 1 - U**(1/n) = -expm1(-E/n)`` keeps the upper tail exact for large
    ``n``, and the lognormal's ``F⁻¹(1 - q) = median·exp(-sigma·Φ⁻¹(q))``. A ``count`` of 0
    gives 0 (no delay: the neutral element of a maximum of positive delays); a ``sigma`` of 0
    gives exactly ``median``.
    """
    from scipy.special import ndtri

    count = np.asarray(count)
    q = np.negative(e / np.maximum(count, 1))
    np.expm1(q, out=q)
    np.negative(q, out=q)
    np.maximum(q, np.finfo(float).tiny, out=q)  # E = 0 has probability 0; keep it finite
    z = ndtri(q)
    z *= np.negative(sigma)
    np.exp(z, out=z)
    z *= median
    z[np.broadcast_to(count == 0, z.shape)] = 0.0
    return z


def _reach_reference(
    model: _Model, hops: dict[str, tuple[float, float]], share: float, runs: int, rng: Any
) -> Any:
    """Reach minutes (runs × grids), sampling every household in every run.

    The straightforward sampler, kept as the reference that :func:`_reach_fast` is tested
    against (``tests/analysis/test_mobilisation_sampler.py``).
    """
    n_g, n_b, n_u, n_h = (
        len(model.grids),
        len(model.buildings),
        len(model.units),
        len(model.hh_unit),
    )
    reach = np.empty((runs, n_g))
    chunk = max(1, _CHUNK_CELLS // max(1, n_h + n_u + n_b))
    vacant_h = np.flatnonzero(model.vacant_uh[model.hh_unit])
    for start in range(0, runs, chunk):
        r = min(chunk, runs - start)
        first = _lognormal(rng, hops["worker_to_building_head"], (r, n_b))
        worker_extra = np.where(
            model.vacant_worker, _lognormal(rng, hops["door_knock"], (r, n_g)), 0.0
        )
        second = _lognormal(rng, hops["building_head_to_unit_head"], (r, n_u))
        knock_u = _lognormal(rng, hops["door_knock"], (r, n_u))
        bh_t = first[:, model.unit_building] + second
        unit_t = np.where(model.vacant_bh[model.unit_building], knock_u, bh_t)
        unit_t = unit_t + worker_extra[:, model.building_grid[model.unit_building]]
        hh_t = _lognormal32(rng, hops["unit_head_to_household"], (r, n_h))
        flat = hh_t.reshape(-1)
        missed = _bernoulli_positions(rng, share, flat.size)
        flat[missed] += _lognormal(rng, hops["door_knock"], (missed.size,)).astype(np.float32)
        if vacant_h.size:
            hh_t[:, vacant_h] = _lognormal(rng, hops["door_knock"], (r, vacant_h.size))
        hh_t += unit_t[:, model.hh_unit]
        reach[start : start + r] = _group_max(hh_t, model.hh_grid, n_g)
    return reach


def _reach_fast(
    model: _Model, hops: dict[str, tuple[float, float]], share: float, runs: int, rng: Any
) -> Any:
    """Reach minutes (runs × grids), sampling each unit's slowest household directly.

    The same distribution as :func:`_reach_reference`, with about two draws per unit instead
    of one per household. In a run, a unit's households all wait for the unit's time ``T``
    (its unit head's, or the door knock on it) plus their own iid delay, so the unit's last
    household is reached at ``T +`` the maximum of those delays:

    * a vacant unit head: ``n`` iid door knocks, whose maximum is one draw of
      :func:`_max_lognormal`;
    * otherwise each household independently misses the message with the profile's share;
      the misses are drawn exactly, per household, by geometric gaps (about ``share·n``
      draws), each missed household's relay plus knock is drawn explicitly, and the maximum
      over the ``n - k`` others, given ``k`` misses, is one draw of :func:`_max_lognormal`.

    The grid's time is the maximum over its units (``np.maximum.reduceat`` over units sorted
    by grid). The random numbers do not depend on which posts are vacant: a unit's hop from
    its building head and the door knock replacing it when that post is vacant are the same
    normal draw through either hop's quantile function, and likewise the maximum over its
    households, relayed or knocked (quantile couplings: each alternative keeps its own
    distribution). So a what-if that fills posts is compared under common random numbers:
    filling a grid worker's post never makes a run slower, nor does filling a unit head's
    when no household misses the message and the relay's quantiles lie below the knock's.
    """
    n_g = len(model.grids)
    reach = np.zeros((runs, n_g))
    if model.hh_unit.size == 0:
        return reach
    u = _unit_layout(model, hops)
    knock = hops["door_knock"]
    n_o, n_b = u.building.size, len(model.buildings)
    chunk = max(1, _CHUNK_CELLS // (n_b + n_g + 6 * n_o))
    for start in range(0, runs, chunk):
        r = min(chunk, runs - start)
        first = _lognormal(rng, hops["worker_to_building_head"], (r, n_b))
        worker = _lognormal(rng, knock, (r, n_g))
        unit_t = rng.standard_normal((r, n_o))  # the unit head's hop, relayed or knocked
        unit_t *= u.unit_sigma
        np.exp(unit_t, out=unit_t)
        unit_t *= u.unit_median
        np.add(unit_t, first[:, u.building], out=unit_t, where=u.relayed)
        if u.worker_units.size:
            unit_t[:, u.worker_units] += worker[:, u.grid[u.worker_units]]
        unit_t += _household_max(u, hops, share, r, rng)
        reach[start : start + r, u.grid[u.starts]] = np.maximum.reduceat(unit_t, u.starts, axis=1)
    return reach


@dataclass(frozen=True)
class _Units:
    """The units with households, sorted by grid, and what :func:`_reach_fast` needs of them."""

    grid: Any
    building: Any
    count: Any  # households per unit
    hh_slot: Any  # each household's unit position, households sorted by it
    relayed: Any  # bool: the building head is in post
    vacant_uh: Any
    worker_units: Any  # positions of the units whose grid has no grid worker
    unit_median: Any
    unit_sigma: Any
    hh_median: Any
    hh_sigma: Any
    starts: Any  # first unit of each grid that has households


def _unit_layout(model: _Model, hops: dict[str, tuple[float, float]]) -> _Units:
    per_unit = np.bincount(model.hh_unit, minlength=len(model.units))
    occ = np.flatnonzero(per_unit)
    occ_grid = model.building_grid[model.unit_building[occ]]
    order = np.argsort(occ_grid, kind="stable")
    occ, occ_grid = occ[order], occ_grid[order]
    slot = np.empty(len(model.units), dtype=np.int64)
    slot[occ] = np.arange(occ.size)
    building = model.unit_building[occ]
    relayed = ~model.vacant_bh[building]
    vacant_uh = model.vacant_uh[occ]
    knock, second, last = (
        hops["door_knock"],
        hops["building_head_to_unit_head"],
        hops["unit_head_to_household"],
    )
    return _Units(
        grid=occ_grid,
        building=building,
        count=per_unit[occ],
        hh_slot=np.sort(slot[model.hh_unit]),
        relayed=relayed,
        vacant_uh=vacant_uh,
        worker_units=np.flatnonzero(model.vacant_worker[occ_grid]),
        # per unit: the hop that brings its head the message, and its households' last one
        unit_median=np.where(relayed, second[0], knock[0]),
        unit_sigma=np.where(relayed, second[1], knock[1]),
        hh_median=np.where(vacant_uh, knock[0], last[0]),
        hh_sigma=np.where(vacant_uh, knock[1], last[1]),
        starts=np.flatnonzero(np.r_[True, occ_grid[1:] != occ_grid[:-1]]),
    )


def _household_max(
    u: _Units, hops: dict[str, tuple[float, float]], share: float, r: int, rng: Any
) -> Any:
    """Per run and unit, the delay from the unit head's time to its last household's."""
    n_o, n_h = u.building.size, u.hh_slot.size
    # households that miss the message: exact Bernoulli trials over (run, household)
    missed = _bernoulli_positions(rng, share, r * n_h)
    key = (missed // n_h) * n_o + u.hh_slot[missed % n_h]  # (run, unit) cell, sorted
    late = np.zeros(r * n_o)
    if key.size:
        t = _lognormal(rng, hops["unit_head_to_household"], (key.size,))
        t += _lognormal(rng, hops["door_knock"], (key.size,))
        first_of = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
        late[key[first_of]] = np.maximum.reduceat(t, first_of)
    late_2d = late.reshape(r, n_o)
    late_2d[:, u.vacant_uh] = 0.0  # a vacant unit head's households are all knocked on
    k = np.bincount(key, minlength=r * n_o).reshape(r, n_o)
    k[:, u.vacant_uh] = 0
    e = rng.standard_exponential((r, n_o))
    hh = _max_lognormal(u.hh_median, u.hh_sigma, u.count - k, e)
    np.maximum(hh, late_2d, out=hh)
    return hh


def _cadre_minutes(model: _Model, hop: tuple[float, float], runs: int, rng: Any) -> Any:
    """Minutes until a grid's last cadre is at the meeting point (runs × grids), chunked."""
    n_g = len(model.grids)
    out = np.zeros((runs, n_g))
    n_c = model.cadre_grid.size
    if n_c == 0:
        return out
    order = np.argsort(model.cadre_grid, kind="stable")
    groups, travel = model.cadre_grid[order], model.cadre_travel[order]
    chunk = max(1, _CHUNK_CELLS // n_c)
    for start in range(0, runs, chunk):
        r = min(chunk, runs - start)
        t = _lognormal(rng, hop, (r, n_c))
        t += travel
        out[start : start + r] = _group_max(t, groups, n_g)
    return out


def _reasons(
    model: _Model,
    reach: Any,
    set_off: float,
    reach_target: float,
    cadre_target: float,
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Why each grid may miss, in English and Chinese (one pass over each kind of item)."""
    n_g = len(model.grids)
    vacant_b: list[list[str]] = [[] for _ in range(n_g)]
    for b in np.flatnonzero(model.vacant_bh):
        vacant_b[int(model.building_grid[b])].append(model.buildings[b])
    unit_grid = model.building_grid[model.unit_building]
    vacant_u = np.bincount(unit_grid[model.vacant_uh], minlength=n_g)
    far: list[list[tuple[str, float]]] = [[] for _ in range(n_g)]
    for i in np.flatnonzero(model.cadre_travel + set_off > cadre_target):
        far[int(model.cadre_grid[i])].append((model.cadre_person[i], float(model.cadre_travel[i])))
    has_cadre = np.zeros(n_g, dtype=bool)
    has_cadre[model.cadre_grid] = True
    medians = np.median(reach, axis=0) if reach.size else np.zeros(n_g)
    reasons: dict[str, list[str]] = {}
    reasons_zh: dict[str, list[str]] = {}
    for gi, g in enumerate(model.grids):
        en: list[str] = []
        zh: list[str] = []
        if model.vacant_worker[gi]:
            en.append("no grid worker")
            zh.append("网格员空缺")
        vb = vacant_b[gi]
        if vb:
            en.append(f"vacant building head: {', '.join(vb[:5])}{' …' if len(vb) > 5 else ''}")
            zh.append(f"楼长空缺：{'、'.join(vb[:5])}")
        vu = int(vacant_u[gi])
        if vu:
            en.append(f"{vu} vacant unit head(s)")
            zh.append(f"单元长空缺{vu}个")
        for p, t in far[gi][:5]:
            en.append(f"cadre {p} lives far away (about {t:.0f} min to the meeting point)")
            zh.append(f"党员干部 {p} 住得远（到集合点约{t:.0f}分钟）")
        med = float(medians[gi])
        if med > reach_target:
            en.append(f"the cascade is slow: median {med:.1f} min to the last household")
            zh.append(f"逐级传达偏慢：覆盖最后一户的中位时间{med:.1f}分钟")
        if not has_cadre[gi]:
            en.append("no located cadre")
            zh.append("没有已定位的党员干部")
        reasons[g], reasons_zh[g] = en, zh
    return reasons, reasons_zh


def mobilisation(
    structure: Structure,
    *,
    runs: int = 1000,
    seed: int = 0,
    profile: ProfileRef | Profile = "default",
    fill: tuple[str, ...] = (),
    move: dict[str, tuple[float, float]] | None = None,
) -> Mobilisation:
    """Simulate the instruction cascade and the cadres' travel; per-grid probabilities.

    Parameters
    ----------
    structure : Structure
        With geography (meeting points and residences; see :func:`gridgov.datasets.place`).
    runs : int
        Monte Carlo runs.
    seed : int
        Seed of numpy's generator; same seed, same result.
    profile : str or Profile
        Supplies ``mobilisation.*`` (targets, hop delays, unreachable share) and ``travel.*``.
    fill, move
        What-if changes: post ids treated as filled; person id → new ``(lon, lat)``.

    Returns
    -------
    Mobilisation
    """
    if runs < 1:
        raise GridgovError(f"runs must be at least 1, got {runs} (模拟次数至少为1)")
    prof = profile_of(profile)
    raw: Any = prof.get("mobilisation.hop_minutes")
    hops = {k: (float(raw[k][0]), float(raw[k][1])) for k in _HOPS}
    share = number(prof, "mobilisation.unreachable_share")
    # the only published targets are 友谊县's; a profile without its own uses them
    target_prof = (
        prof if prof.has("mobilisation.instruction_reach_minutes") else profile_of("youyi")
    )
    reach_target = number(target_prof, "mobilisation.instruction_reach_minutes")
    cadre_target = number(target_prof, "mobilisation.cadres_in_place_minutes")
    model = _build(structure, prof, tuple(fill), dict(move or {}))
    # the cascade draws from numpy's generator seeded with ``seed``, the cadres from an
    # independent child of it, so that neither's draws depend on the other's sizes (a what-if
    # that moves a cadre keeps the cascade's random numbers)
    reach_rng = np.random.default_rng(seed)
    (cadre_rng,) = reach_rng.spawn(1)
    reach = _reach_fast(model, hops, share, runs, reach_rng)
    cadre = _cadre_minutes(model, hops["set_off"], runs, cadre_rng)
    reasons, reasons_zh = _reasons(model, reach, hops["set_off"][0], reach_target, cadre_target)
    options = {
        "structure": structure,
        "runs": runs,
        "seed": seed,
        "profile": prof,
        "fill": tuple(fill),
        "move": dict(move or {}),
    }
    return Mobilisation(
        grids=model.grids,
        runs=runs,
        seed=seed,
        reach_minutes=reach,
        cadre_minutes=cadre,
        reach_target=reach_target,
        cadre_target=cadre_target,
        reasons=reasons,
        reasons_zh=reasons_zh,
        options=options,
    )
