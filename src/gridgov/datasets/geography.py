"""Synthetic geography: lay a plausible county town out around a point and locate the structure.

:func:`place` takes an existing structure and returns a copy with a
:class:`~gridgov.org.Geography`: a lattice of street blocks (one per grid, a community's grids
adjacent in a serpentine order), residential slab buildings on each block, a meeting point at
each block's centre, service facilities per community, and the residences of grid cadres and
in-service party members (the building of their household; members without a household in the
structure live 1.5–6 km out of town).

Dimensions (assumed, typical of a north-east Chinese county town): slab buildings about 60 m ×
12 m on a 70 m × 40 m pitch (sunlight spacing), streets 24 m wide between blocks. Metres are
turned into degrees with a local equirectangular approximation about ``centre`` (error well
under 0.1 % within 10 km), so the datasets layer does not need pyproj.

``SEATS`` gives the approximate location of each bundled county's seat (the town of the
county government), read from public maps; the bundled examples are placed there.

Examples
--------
>>> from gridgov.datasets import synthetic_city
>>> s = place(synthetic_city(households=600, seed=3), centre=(131.81, 46.77), seed=1)
>>> g = s.geography
>>> sorted(set(g.points.frame.get_column("kind")))[:2]
['building', 'facility']
>>> place(synthetic_city(households=600, seed=3), centre=(131.81, 46.77), seed=1) == s
True
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import JsonValue

from gridgov.org import Boundary, Geography, LocationTable, Structure

if TYPE_CHECKING:
    import polars as pl

__all__ = ["FACILITY_KINDS", "SEATS", "place"]

#: Approximate (lon, lat) of each bundled county's seat (public maps; assumed, ±1 km).
SEATS: dict[str, tuple[float, float]] = {
    "bozhou": (106.829, 27.536),  # 播州区, 南白街道 (Zunyi, Guizhou)
    "huanan": (130.553, 46.240),  # 桦南县, 桦南镇 (Jiamusi, Heilongjiang)
    "youyi": (131.808, 46.767),  # 友谊县, 友谊镇 (Shuangyashan, Heilongjiang)
}

#: Facility kinds the generator places, with how many per community (expected).
FACILITY_KINDS: dict[str, float] = {
    "party_mass_service_centre": 1.0,  # 社区党群服务中心
    "clinic": 1.0,  # 社区卫生服务站
    "elderly_care": 0.7,  # 社区养老服务设施
    "kindergarten": 0.5,  # 幼儿园
    "grocery": 2.5,  # 便利店 / 菜店
}

_PITCH_X, _PITCH_Y = 70.0, 40.0  # building pitch (m)
_STREET = 24.0  # street width (m)
_M_PER_DEG_LAT = 111_320.0
_CADRE_POSTS = {"grid_worker", "grid_leader", "party_group_leader", "building_head", "unit_head"}


def _to_lonlat(
    x: np.ndarray[Any, Any], y: np.ndarray[Any, Any], centre: tuple[float, float]
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    lon0, lat0 = centre
    lat = lat0 + y / _M_PER_DEG_LAT
    lon = lon0 + x / (_M_PER_DEG_LAT * math.cos(math.radians(lat0)))
    return np.round(lon, 7), np.round(lat, 7)


def _serpentine(n: int) -> list[tuple[int, int]]:
    cols = max(1, math.ceil(math.sqrt(n)))
    cells: list[tuple[int, int]] = []
    for i in range(n):
        row, k = divmod(i, cols)
        cells.append((row, k if row % 2 == 0 else cols - 1 - k))
    return cells


def place(  # noqa: PLR0912, PLR0915  # one layout pass: blocks, buildings, facilities, homes
    structure: Structure, *, centre: tuple[float, float] = SEATS["youyi"], seed: int = 0
) -> Structure:
    """A copy of ``structure`` with a synthetic town's geography around ``centre``.

    Parameters
    ----------
    structure : Structure
        Any structure with grids and buildings (buildings outside a grid are left unplaced).
    centre : (float, float)
        WGS84 (lon, lat) of the town centre.
    seed : int
        Seed of the layout's random parts (jitter, facility sites, out-of-town residences).

    Returns
    -------
    Structure
        The same structure with ``geography`` set; deterministic for a seed.
    """
    import polars as pl

    rng = np.random.default_rng(seed)
    areas = structure.areas.frame
    grids = areas.filter(pl.col("level") == "grid").select("id", "parent")
    buildings = areas.filter(pl.col("level") == "building").select("id", "parent")
    grid_ids: list[str] = grids.get_column("id").to_list()
    by_grid: dict[str, list[str]] = {g: [] for g in grid_ids}
    for b, g in buildings.iter_rows():
        if g in by_grid:
            by_grid[g].append(b)
    sizes = [len(by_grid[g]) for g in grid_ids]
    cols = max(1, math.ceil(math.sqrt(max(sizes, default=1))))
    rows = max(1, math.ceil(max(sizes, default=1) / cols))
    cell_w = cols * _PITCH_X + _STREET
    cell_h = rows * _PITCH_Y + _STREET
    # grids are already ordered by community in every structure gridgov builds; sort to be sure
    order = sorted(range(len(grid_ids)), key=lambda i: (grids.row(i)[1] or "", grid_ids[i]))
    cells = _serpentine(len(grid_ids))
    n_rows = 1 + max((r for r, _ in cells), default=0)
    n_cols = 1 + max((c for _, c in cells), default=0)
    ox, oy = -n_cols * cell_w / 2, -n_rows * cell_h / 2

    ids: list[str] = []
    kinds: list[str] = []
    subjects: list[str | None] = []
    facilities: list[str | None] = []
    xs: list[float] = []
    ys: list[float] = []
    boundaries: list[Boundary] = []
    building_xy: dict[str, tuple[float, float]] = {}
    grid_box: dict[str, tuple[float, float, float, float]] = {}

    def add(  # noqa: PLR0917  # one point's six columns
        pid: str, kind: str, subject: str | None, fac: str | None, x: float, y: float
    ) -> None:
        ids.append(pid)
        kinds.append(kind)
        subjects.append(subject)
        facilities.append(fac)
        xs.append(x)
        ys.append(y)

    for slot, gi in enumerate(order):
        g = grid_ids[gi]
        r, c = cells[slot]
        x0, y0 = ox + c * cell_w, oy + r * cell_h
        box = (
            x0 + _STREET / 2,
            y0 + _STREET / 2,
            x0 + cell_w - _STREET / 2,
            y0 + cell_h - _STREET / 2,
        )
        grid_box[g] = box
        jitter = rng.uniform(-4.0, 4.0, size=(len(by_grid[g]), 2))
        for k, b in enumerate(by_grid[g]):
            br, bc = divmod(k, cols)
            bx = box[0] + (bc + 0.5) * _PITCH_X + jitter[k, 0]
            by = box[1] + (br + 0.5) * _PITCH_Y + jitter[k, 1]
            building_xy[b] = (bx, by)
            add(f"L-{b}", "building", b, None, bx, by)
        add(f"M-{g}", "meeting_point", g, None, (box[0] + box[2]) / 2, (box[1] + box[3]) / 2)

    # facilities: per community, on a random one of its grids' block edges
    community_grids: dict[str, list[str]] = {}
    for g, parent in grids.iter_rows():
        if parent is not None and g in grid_box:
            community_grids.setdefault(parent, []).append(g)
    for community in sorted(community_grids):
        gs = community_grids[community]
        for kind, mean in FACILITY_KINDS.items():
            count = int(rng.poisson(mean)) if kind != "party_mass_service_centre" else 1
            for j in range(count):
                x0, y0, x1, y1 = grid_box[gs[int(rng.integers(len(gs)))]]
                fx = float(rng.uniform(x0, x1))
                fy = y0 if rng.random() < 0.5 else y1
                add(f"F-{community}-{kind}-{j + 1}", "facility", community, kind, fx, fy)

    # residences of cadres and in-service members
    hh = structure.households.frame.select("id", "parent")
    unit_parent = dict(areas.filter(pl.col("level") == "unit").select("id", "parent").iter_rows())
    household_building = {h: unit_parent.get(u, u) for h, u in hh.iter_rows()}
    post_kind = {p.id: str(p.kind.value) for p in structure.posts}
    located = {a.person for a in structure.appointments if post_kind.get(a.post) in _CADRE_POSTS}
    located |= {rb.member for rb in structure.report_backs}
    for person in structure.people:
        if person.id not in located:
            continue
        home = household_building.get(person.household) if person.household else None
        if home is not None and home in building_xy:
            hx, hy = building_xy[home]
            add(f"R-{person.id}", "residence", person.id, None, hx, hy)
        else:
            dist, angle = rng.uniform(1500.0, 6000.0), rng.uniform(0, 2 * math.pi)
            add(
                f"R-{person.id}",
                "residence",
                person.id,
                None,
                dist * math.cos(angle),
                dist * math.sin(angle),
            )

    for g, (x0, y0, x1, y1) in grid_box.items():
        lon, lat = _to_lonlat(
            np.array([x0, x1, x1, x0, x0]), np.array([y0, y0, y1, y1, y0]), centre
        )
        ring: list[JsonValue] = [[float(a), float(b)] for a, b in zip(lon, lat, strict=True)]
        boundaries.append(Boundary(area=g, geometry={"type": "Polygon", "coordinates": [ring]}))

    lon, lat = _to_lonlat(np.asarray(xs), np.asarray(ys), centre)
    table = LocationTable(_frame(ids, kinds, subjects, facilities, lon, lat))
    geography = Geography(points=table, boundaries=tuple(boundaries))
    return structure.model_copy(update={"geography": geography})


def _frame(  # noqa: PLR0917  # the six columns of a location table
    ids: list[str],
    kinds: list[str],
    subjects: list[str | None],
    facilities: list[str | None],
    lon: np.ndarray[Any, Any],
    lat: np.ndarray[Any, Any],
) -> pl.DataFrame:
    import polars as pl

    return pl.DataFrame(
        {
            "id": ids,
            "kind": kinds,
            "subject": subjects,
            "facility": facilities,
            "lon": lon,
            "lat": lat,
        },
        schema={
            "id": pl.String,
            "kind": pl.String,
            "subject": pl.String,
            "facility": pl.String,
            "lon": pl.Float64,
            "lat": pl.Float64,
        },
    )
