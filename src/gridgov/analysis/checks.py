"""Geography checks that are findings, not integrity errors: a building outside its grid.

Examples
--------
>>> from gridgov import datasets
>>> geography_findings(datasets.load("youyi"))
[]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from gridgov.analysis._tree import up_to

if TYPE_CHECKING:
    from gridgov.org import Finding, Structure

__all__ = ["geography_findings", "points_in_rings"]


def points_in_rings(lon: Any, lat: Any, rings: list[list[tuple[float, float]]]) -> Any:
    """Even–odd rule over all rings (outer rings and holes), vectorised over points.

    Examples
    --------
    >>> square = [[(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)]]
    >>> points_in_rings(np.array([0.5, 2.0]), np.array([0.5, 0.5]), square).tolist()
    [True, False]
    """
    x = np.asarray(lon, dtype=float)
    y = np.asarray(lat, dtype=float)
    inside = np.zeros(x.shape, dtype=bool)
    for ring in rings:
        r = np.asarray(ring, dtype=float)
        x1, y1, x2, y2 = r[:-1, 0], r[:-1, 1], r[1:, 0], r[1:, 1]
        crosses = (y1[None, :] > y[:, None]) != (y2[None, :] > y[:, None])
        with np.errstate(divide="ignore", invalid="ignore"):
            xi = x1[None, :] + (y[:, None] - y1[None, :]) * (x2 - x1)[None, :] / (y2 - y1)[None, :]
        inside ^= (np.sum(crosses & (x[:, None] < xi), axis=1) % 2).astype(bool)
    return inside


def geography_findings(structure: Structure) -> list[Finding]:
    """A ``building_outside_grid`` finding for each building point outside its grid's polygon."""
    from gridgov.org import Finding

    geo = structure.geography
    if geo is None or not geo.boundaries:
        return []
    grid_of = up_to(structure, "grid")
    polygons = {b.area: b.rings() for b in geo.boundaries}
    f = geo.points.frame
    by_grid: dict[str, list[tuple[str, float, float]]] = {}
    for kind, subject, lon, lat in f.select("kind", "subject", "lon", "lat").iter_rows():
        if kind == "building" and subject is not None:
            g = grid_of.get(subject)
            if g is not None and g in polygons:
                by_grid.setdefault(g, []).append((subject, lon, lat))
    out: list[Finding] = []
    for g in sorted(by_grid):
        rows = by_grid[g]
        ok = points_in_rings(
            np.array([r[1] for r in rows]), np.array([r[2] for r in rows]), polygons[g]
        )
        for (b, _, _), inside in zip(rows, ok, strict=True):
            if not inside:
                out.append(
                    Finding(
                        rule="building_outside_grid",
                        severity="warning",
                        subject=b,
                        message=f"building {b} lies outside the polygon of its grid {g}",
                        message_zh=f"楼栋 {b} 位于所属网格 {g} 的边界之外",
                        data={"grid": g},
                    )
                )
    return out
