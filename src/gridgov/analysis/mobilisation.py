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
    """Row-wise maximum of ``values`` (runs × items) per group (items sorted by group)."""
    out = np.zeros((values.shape[0], n_groups))
    if values.shape[1] == 0:
        return out
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    out[:, groups[starts]] = np.maximum.reduceat(values, starts, axis=1)
    return out


def mobilisation(  # noqa: PLR0915  # the cascade reads best in one place
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
    rng = np.random.default_rng(seed)
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
    set_off = _lognormal(rng, hops["set_off"], (runs, len(model.cadre_grid)))
    cadre = _group_max(set_off + model.cadre_travel[None, :], model.cadre_grid, n_g)

    reasons: dict[str, list[str]] = {}
    reasons_zh: dict[str, list[str]] = {}
    for gi, g in enumerate(model.grids):
        en: list[str] = []
        zh: list[str] = []
        if model.vacant_worker[gi]:
            en.append("no grid worker")
            zh.append("网格员空缺")
        vb = [
            model.buildings[b]
            for b in np.flatnonzero(model.vacant_bh & (model.building_grid == gi))
        ]
        if vb:
            en.append(f"vacant building head: {', '.join(vb[:5])}{' …' if len(vb) > 5 else ''}")
            zh.append(f"楼长空缺：{'、'.join(vb[:5])}")
        unit_grid = model.building_grid[model.unit_building]
        vu = int((model.vacant_uh & (unit_grid == gi)).sum())
        if vu:
            en.append(f"{vu} vacant unit head(s)")
            zh.append(f"单元长空缺{vu}个")
        far = [
            (p, t)
            for p, gg, t in zip(
                model.cadre_person, model.cadre_grid, model.cadre_travel, strict=True
            )
            if gg == gi and t + hops["set_off"][0] > cadre_target
        ]
        for p, t in far[:5]:
            en.append(f"cadre {p} lives far away (about {t:.0f} min to the meeting point)")
            zh.append(f"党员干部 {p} 住得远（到集合点约{t:.0f}分钟）")
        med = float(np.median(reach[:, gi]))
        if med > reach_target:
            en.append(f"the cascade is slow: median {med:.1f} min to the last household")
            zh.append(f"逐级传达偏慢：覆盖最后一户的中位时间{med:.1f}分钟")
        if gi not in set(model.cadre_grid.tolist()):
            en.append("no located cadre")
            zh.append("没有已定位的党员干部")
        reasons[g], reasons_zh[g] = en, zh
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
