"""Service circles (生活圈): which facilities each building reaches within 5, 10 and 15 minutes.

GB 50180-2018 《城市居住区规划设计标准》 plans residential areas as 15-, 10- and 5-minute
life circles; TD/T 1062-2021 《社区生活圈规划技术指南》 does the same for community life
circles. :func:`service_circles` computes, for every located building, the travel time to the
nearest facility of each kind (straight line × detour, or a street network), the smallest
level that reaches it, and per community the share of buildings and households covered.

Two of the seed's service levels are rules that read their profile's values
(:meth:`ServiceCircles.findings`):

``party_mass_walk_circle``
    桦南县's 10-minute walking party-and-mass service circle: every building within
    ``service_circle.party_mass_walk_minutes`` of a party-and-mass service centre.
``community_life_circle``
    友谊县's 15-minute community life circle: every building within
    ``service_circle.community_life_minutes`` of every facility kind.

Examples
--------
>>> from gridgov import datasets
>>> s = datasets.load("youyi")
>>> circles = service_circles(s, profile="youyi")
>>> circles.to_frame().height == 377
True
>>> 0.0 <= circles.coverage().get_column("share_buildings").min() <= 1.0
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from gridgov.analysis._space import located, number, numbers, profile_of, strings
from gridgov.analysis._tree import households_per, up_to
from gridgov.analysis.travel import Mode, StreetNetwork, travel_times_xy

if TYPE_CHECKING:
    import polars as pl

    from gridgov.org import Finding, Structure
    from gridgov.org.profiles import Profile, ProfileRef

__all__ = ["ServiceCircles", "service_circles"]


@dataclass(frozen=True)
class ServiceCircles:
    """Result of :func:`service_circles`: minutes from each building to each facility kind."""

    buildings: list[str]
    grids: list[str | None]
    communities: list[str | None]
    households: Any  # numpy int array, households per building
    kinds: list[str]
    minutes: Any  # numpy array (buildings × kinds); inf where a kind has no facility
    levels: tuple[float, ...]
    mode: str
    profile: Profile = field(repr=False)

    def to_frame(self) -> pl.DataFrame:
        """One row per building: grid, community, households, minutes and level per kind."""
        import polars as pl

        cols: dict[str, Any] = {
            "building": self.buildings,
            "grid": self.grids,
            "community": self.communities,
            "households": self.households,
        }
        for k, kind in enumerate(self.kinds):
            m = self.minutes[:, k]
            cols[f"{kind}_minutes"] = np.where(np.isfinite(m), m, np.nan)
            lvl = np.full(len(m), np.nan)
            for level in sorted(self.levels, reverse=True):
                lvl = np.where(m <= level, level, lvl)
            cols[f"{kind}_level"] = lvl
        return pl.DataFrame(cols).with_columns(pl.selectors.float().fill_nan(None))

    def coverage(self, minutes: float | None = None) -> pl.DataFrame:
        """Per community and kind: buildings and households covered, shares, uncovered.

        ``minutes`` defaults to the largest level.
        """
        import polars as pl

        limit = max(self.levels) if minutes is None else minutes
        rows: list[dict[str, Any]] = []
        comm = np.asarray([c or "" for c in self.communities])
        for c in sorted(set(comm.tolist())):
            mask = comm == c
            hh = self.households[mask]
            for k, kind in enumerate(self.kinds):
                ok = self.minutes[mask, k] <= limit
                rows.append(
                    {
                        "community": c or None,
                        "kind": kind,
                        "minutes": float(limit),
                        "buildings": int(mask.sum()),
                        "covered": int(ok.sum()),
                        "share_buildings": float(ok.mean()) if ok.size else 1.0,
                        "share_households": float(hh[ok].sum() / hh.sum()) if hh.sum() else 1.0,
                        "uncovered": [
                            b
                            for b, o in zip(
                                np.asarray(self.buildings)[mask].tolist(), ok, strict=True
                            )
                            if not o
                        ],
                    }
                )
        return pl.DataFrame(rows)

    def uncovered(self, kind: str, minutes: float | None = None) -> list[str]:
        """Buildings farther than ``minutes`` (default the largest level) from any ``kind``."""
        k = self.kinds.index(kind)
        limit = max(self.levels) if minutes is None else minutes
        return [
            b for b, m in zip(self.buildings, self.minutes[:, k], strict=True) if not m <= limit
        ]

    def explain(self, building: str, lang: Literal["en", "zh"] = "en") -> str:
        """Which facilities a building reaches, kind by kind."""
        i = self.buildings.index(building)
        parts = []
        for k, kind in enumerate(self.kinds):
            m = float(self.minutes[i, k])
            if lang == "zh":
                parts.append(f"{kind} 步行{m:.1f}分钟" if np.isfinite(m) else f"{kind} 无")
            else:
                parts.append(f"{kind} {m:.1f} min" if np.isfinite(m) else f"{kind} none")
        head = (
            f"楼栋 {building}（{self.mode}）："
            if lang == "zh"
            else f"building {building} ({self.mode}): "
        )
        return head + ("；" if lang == "zh" else "; ").join(parts)

    def findings(self) -> list[Finding]:
        """Findings of the circle rules the profile's values switch on (see the module)."""
        from gridgov.org import Finding

        out: list[Finding] = []
        prof = self.profile
        if (
            prof.has("service_circle.party_mass_walk_minutes")
            and "party_mass_service_centre" in self.kinds
        ):
            limit = number(prof, "service_circle.party_mass_walk_minutes")
            out.extend(
                Finding(
                    rule="party_mass_walk_circle",
                    severity="warning",
                    subject=b,
                    message=f"building {b} is more than {limit:g} minutes' walk "
                    "from a party-and-mass service centre",
                    message_zh=f"楼栋 {b} 步行{limit:g}分钟内没有党群服务中心",
                    data={"minutes": limit},
                )
                for b in self.uncovered("party_mass_service_centre", limit)
            )
        if prof.has("service_circle.community_life_minutes"):
            limit = number(prof, "service_circle.community_life_minutes")
            for k, kind in enumerate(self.kinds):
                for b, m in zip(self.buildings, self.minutes[:, k], strict=True):
                    if not m <= limit:
                        out.append(
                            Finding(
                                rule="community_life_circle",
                                severity="warning",
                                subject=b,
                                message=f"building {b} has no {kind} within {limit:g} minutes",
                                message_zh=f"楼栋 {b} {limit:g}分钟生活圈内缺少 {kind}",
                                data={"minutes": limit, "kind": kind},
                            )
                        )
        return out


def service_circles(
    structure: Structure,
    *,
    profile: ProfileRef | Profile = "default",
    levels: tuple[float, ...] | None = None,
    kinds: list[str] | None = None,
    mode: Mode = "walk",
    network: StreetNetwork | None = None,
) -> ServiceCircles:
    """Minutes from every located building to the nearest facility of each kind.

    Parameters
    ----------
    structure : Structure
        With geography (building and facility points).
    profile : str or Profile
        Supplies ``service_circle.levels_minutes``, ``service_circle.facility_kinds`` and the
        travel values.
    levels, kinds : optional
        Override the profile's circle levels (minutes) and facility kinds.
    mode : "walk" or "drive"
    network : StreetNetwork, optional
        A street network in the same projection as the structure's points
        (else straight line × detour).

    Returns
    -------
    ServiceCircles
    """
    prof = profile_of(profile)
    lv = tuple(levels) if levels else tuple(numbers(prof, "service_circle.levels_minutes"))
    ks = list(kinds) if kinds else strings(prof, "service_circle.facility_kinds")
    pts = located(structure)
    b_ids, b_xy = pts.select("building")
    fac_mask = pts.kind == "facility"
    fac_kind = np.asarray([pts.facility[i] or "" for i in np.flatnonzero(fac_mask)])
    fac_xy = np.column_stack([pts.x[fac_mask], pts.y[fac_mask]])
    minutes = np.full((len(b_ids), len(ks)), np.inf)
    if len(b_ids):
        for k, kind in enumerate(ks):
            sel = fac_kind == kind
            if sel.any():
                t = travel_times_xy(b_xy, fac_xy[sel], mode=mode, profile=prof, network=network)
                minutes[:, k] = t.min(axis=1)
    grid_of = up_to(structure, "grid")
    comm_of = up_to(structure, "community")
    hh = households_per(structure, "building")
    names = [b or "" for b in b_ids]
    return ServiceCircles(
        buildings=names,
        grids=[grid_of.get(b) for b in names],
        communities=[comm_of.get(b) for b in names],
        households=np.asarray([hh.get(b, 0) for b in names], dtype=np.int64),
        kinds=ks,
        minutes=minutes,
        levels=lv,
        mode=mode,
        profile=prof,
    )
