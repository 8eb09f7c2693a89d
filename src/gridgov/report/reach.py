"""The report's place-and-time section as data: service-circle coverage and mobilisation.

When a structure has geography, :func:`~gridgov.report.build_report` runs
:func:`gridgov.analysis.service_circles` and :func:`gridgov.analysis.mobilisation` and keeps
what a reader needs next to the seed's targets (:class:`SpatialAnalysis`, ``Report.analysis``):

* per service circle the profile switches on (桦南县's 10-minute walking party-and-mass service
  circle, ``service_circle.party_mass_walk_minutes``; 友谊县's 15-minute community life circle,
  ``service_circle.community_life_minutes``; otherwise GB 50180-2018's largest level), per
  community the share of households covered for each facility kind and the buildings left out;
* per grid the probability that an instruction reaches every household within the instruction
  target (友谊县: 10 minutes) and that every cadre is in place within the cadre target (30
  minutes), with 95 % Wilson intervals, and why a grid misses.

Examples
--------
>>> row = GridReach(grid="G1", p_reach=0.9, p_reach_low=0.85, p_reach_high=0.94,
...                 p_cadres=1.0, p_cadres_low=0.98, p_cadres_high=1.0)
>>> row.worst
0.9
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

__all__ = [
    "CircleRow",
    "GridReach",
    "MobilisationSummary",
    "ServiceCircle",
    "SpatialAnalysis",
]


class _Model(BaseModel):
    # as gridgov.report.model: computed fields are written out and recomputed on reading
    model_config = ConfigDict(extra="ignore", frozen=True)


class CircleRow(_Model):
    """One community under one circle: coverage per facility kind and buildings left out.

    ``share_households[kind]`` is the share of the community's households living in a building
    within the circle's minutes of that kind; ``share_all`` the share within reach of every
    kind; ``uncovered`` the buildings missing at least one kind (``examples``: up to five).
    """

    community: str
    community_name: str = ""
    buildings: int = Field(ge=0)
    households: int = Field(ge=0)
    share_households: dict[str, float] = Field(default_factory=dict)
    share_buildings: dict[str, float] = Field(default_factory=dict)
    uncovered_by_kind: dict[str, int] = Field(default_factory=dict)
    share_all: float = Field(ge=0, le=1)
    uncovered: int = Field(ge=0)
    examples: tuple[str, ...] = ()


class ServiceCircle(_Model):
    """A service circle (生活圈) the profile sets, and its coverage per community."""

    rule: str = Field(description="The circle rule of gridgov.analysis.ServiceCircles, or ''.")
    key: str = Field(description="The profile value giving the minutes.")
    label_en: str
    label_zh: str
    minutes: float
    mode: Literal["walk", "drive"] = "walk"
    kinds: tuple[str, ...]
    rows: tuple[CircleRow, ...] = ()

    def label(self, lang: Literal["en", "zh"] = "en") -> str:
        """The circle's name in ``lang``."""
        return self.label_zh if lang == "zh" else self.label_en

    @computed_field  # type: ignore[prop-decorator]  # pydantic's documented usage
    @property
    def uncovered(self) -> int:
        """Buildings missing at least one kind, over all communities."""
        return sum(r.uncovered for r in self.rows)


class GridReach(_Model):
    """One grid's probabilities of meeting the two mobilisation targets (95 % intervals)."""

    grid: str
    name: str = ""
    p_reach: float = Field(ge=0, le=1)
    p_reach_low: float = Field(ge=0, le=1)
    p_reach_high: float = Field(ge=0, le=1)
    reach_median: float = 0.0
    p_cadres: float = Field(ge=0, le=1)
    p_cadres_low: float = Field(ge=0, le=1)
    p_cadres_high: float = Field(ge=0, le=1)
    cadres_median: float = 0.0
    reasons_en: tuple[str, ...] = ()
    reasons_zh: tuple[str, ...] = ()

    @computed_field  # type: ignore[prop-decorator]  # pydantic's documented usage
    @property
    def worst(self) -> float:
        """The smaller of the two probabilities."""
        return min(self.p_reach, self.p_cadres)

    def reasons(self, lang: Literal["en", "zh"] = "en") -> tuple[str, ...]:
        """Why the grid misses, in ``lang`` (the analysis's words)."""
        return self.reasons_zh if lang == "zh" else self.reasons_en


class MobilisationSummary(_Model):
    """The Monte Carlo of :func:`gridgov.analysis.mobilisation`, per grid, with its targets.

    ``level`` is the probability a grid must reach on both targets not to be listed in
    ``misses`` (:meth:`gridgov.analysis.Mobilisation.misses`).
    """

    runs: int = Field(ge=1)
    seed: int
    reach_target: float = Field(description="Minutes for an instruction to reach every household.")
    cadre_target: float = Field(description="Minutes for every cadre to be in place.")
    level: float = Field(default=0.9, ge=0, le=1)
    grids: tuple[GridReach, ...] = ()
    misses: tuple[str, ...] = ()

    def worst(self, n: int | None = 10) -> tuple[GridReach, ...]:
        """The ``n`` grids least likely to meet a target, worst first (ties by id)."""
        ranked = sorted(self.grids, key=lambda g: (g.worst, g.p_reach + g.p_cadres, g.grid))
        return tuple(ranked if n is None else ranked[:n])


class SpatialAnalysis(_Model):
    """``Report.analysis``: service circles and mobilisation of a located structure."""

    circles: tuple[ServiceCircle, ...] = ()
    mobilisation: MobilisationSummary | None = None
