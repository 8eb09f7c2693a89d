"""Maps with matplotlib (the ``plot`` extra): grids coloured by an indicator, circles, gaps.

Coordinates are drawn in metres of the analyses' local projection (east, north of the
locality's centre), so circles are round.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> from gridgov import datasets
>>> from gridgov.analysis import mobilisation, service_circles
>>> s = datasets.load("youyi")
>>> m = mobilisation(s, runs=50, seed=1, profile="youyi")
>>> ax = plot_grids(s, dict(zip(m.grids, m.to_frame()["p_reach"].to_list())), label="P(reach)")
>>> len(ax.patches)
76
>>> ax = plot_circles(s, service_circles(s, profile="youyi"), "clinic", 10)
>>> ax.get_title()
'clinic: 10-minute circles, uncovered buildings in red'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from gridgov.analysis._space import located, project
from gridgov.errors import missing_extra

if TYPE_CHECKING:
    from gridgov.analysis.circles import ServiceCircles
    from gridgov.org import Structure

__all__ = ["plot_circles", "plot_grids"]


def _plt() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - depends on the environment
        raise missing_extra("matplotlib", "plot", "maps") from None
    return plt


def _axes(ax: Any) -> Any:
    if ax is not None:
        return ax
    _, new = _plt().subplots(figsize=(7, 7))
    return new


def plot_grids(
    structure: Structure,
    values: Mapping[str, float] | None = None,
    *,
    ax: Any = None,
    label: str = "",
    cmap: str = "RdYlGn",
) -> Any:
    """Grid polygons coloured by ``values`` (grid id → number), with a colour bar."""
    from matplotlib.patches import Polygon

    pts = located(structure)
    geo = structure.geography
    ax = _axes(ax)
    vals = dict(values or {})
    nums = np.asarray(list(vals.values()), dtype=float)
    lo, hi = (float(nums.min()), float(nums.max())) if nums.size else (0.0, 1.0)
    colours = _plt().get_cmap(cmap)
    grid_ids = set(structure.areas.frame.filter(level="grid").get_column("id").to_list())
    for b in geo.boundaries if geo is not None else ():
        if b.area not in grid_ids:
            continue
        for ring in b.rings():
            r = np.asarray(ring)
            x, y = project(r[:, 0], r[:, 1], pts.centre)
            v = vals.get(b.area)
            face = "lightgrey" if v is None else colours((v - lo) / (hi - lo) if hi > lo else 0.5)
            ax.add_patch(
                Polygon(np.column_stack([x, y]), closed=True, facecolor=face, edgecolor="white")
            )
    _, bxy = pts.select("building")
    ax.scatter(bxy[:, 0], bxy[:, 1], s=3, c="k")
    if vals:
        mappable = _plt().cm.ScalarMappable(cmap=colours, norm=_plt().Normalize(lo, hi))
        ax.figure.colorbar(mappable, ax=ax, label=label, shrink=0.7)
    ax.set_aspect("equal")
    ax.set_xlabel("metres east")
    ax.set_ylabel("metres north")
    ax.autoscale_view()
    return ax


def plot_circles(
    structure: Structure, circles: ServiceCircles, kind: str, minutes: float, *, ax: Any = None
) -> Any:
    """Facilities of ``kind`` with their ``minutes`` circles; uncovered buildings in red."""
    from matplotlib.patches import Circle

    from gridgov.analysis._space import number

    pts = located(structure)
    ax = _axes(ax)
    walk = number(circles.profile, "travel.walk_speed_m_per_min")
    detour = number(circles.profile, "travel.detour_factor")
    radius = minutes * walk / detour
    mask = (pts.kind == "facility") & np.asarray([f == kind for f in pts.facility])
    for x, y in zip(pts.x[mask], pts.y[mask], strict=True):
        ax.add_patch(Circle((x, y), radius, alpha=0.15, color="tab:blue"))
    ax.scatter(pts.x[mask], pts.y[mask], marker="^", c="tab:blue", s=40, label=kind)
    ids, bxy = pts.select("building")
    bad = set(circles.uncovered(kind, minutes))
    red = np.asarray([i in bad for i in ids], dtype=bool)
    ax.scatter(bxy[~red, 0], bxy[~red, 1], s=4, c="grey", label="covered")
    ax.scatter(bxy[red, 0], bxy[red, 1], s=8, c="red", label="uncovered")
    ax.set_title(f"{kind}: {minutes:g}-minute circles, uncovered buildings in red")
    ax.set_aspect("equal")
    ax.legend(loc="upper right", fontsize=7)
    return ax
