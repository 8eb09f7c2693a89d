"""Spatial units: the district → street → community → grid → building → unit tree, and compounds.

Every area shares one flat schema (``id``, ``level``, ``parent``, ``name``, ``code``, ``start``,
``end``) so that a :class:`~gridgov.org.Structure` can hold tens of thousands of buildings and
units as columns; the classes here are what one row looks like when it is asked for, and the
convenient way to build a small structure by hand.

Compounds (小区) are a second, non-nested grouping: a compound lists its buildings, which may
lie in several grids, and names the property company that manages it or says it governs itself.

Examples
--------
>>> Grid(id="G1", parent="C1", name="第一网格").level
<AreaLevel.GRID: 'grid'>
>>> Household(id="H1", parent="U1", residents=3).residents
3
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from gridgov.org._base import Dated, Id
from gridgov.org.vocab import AreaLevel

__all__ = [
    "ALLOWED_PARENTS",
    "AREA_CLASSES",
    "Area",
    "Building",
    "Community",
    "Compound",
    "District",
    "Grid",
    "Household",
    "MicroGrid",
    "Street",
    "Unit",
]


class Area(Dated):
    """One spatial unit above the household."""

    id: Id
    level: AreaLevel
    parent: Id | None = Field(default=None, description="Id of the enclosing area.")
    name: str = ""
    code: str | None = Field(default=None, description="Code under the structure's scheme.")


class District(Area):
    """A district or county (区/县): the root of a locality's tree."""

    level: Literal[AreaLevel.DISTRICT] = AreaLevel.DISTRICT


class Street(Area):
    """A street (街道) or town (镇)."""

    level: Literal[AreaLevel.STREET] = AreaLevel.STREET


class Community(Area):
    """A community (社区)."""

    level: Literal[AreaLevel.COMMUNITY] = AreaLevel.COMMUNITY


class Grid(Area):
    """A grid (网格), typically 200–300 households."""

    level: Literal[AreaLevel.GRID] = AreaLevel.GRID


class MicroGrid(Area):
    """An optional micro-grid (微网格) inside a grid."""

    level: Literal[AreaLevel.MICRO_GRID] = AreaLevel.MICRO_GRID


class Building(Area):
    """A building (楼栋); it has a building head (楼长)."""

    level: Literal[AreaLevel.BUILDING] = AreaLevel.BUILDING


class Unit(Area):
    """A unit or stairwell (单元) of a building; it has a unit head (单元长)."""

    level: Literal[AreaLevel.UNIT] = AreaLevel.UNIT


#: The class used to materialise an area row of each level.
AREA_CLASSES: dict[AreaLevel, type[Area]] = {
    AreaLevel.DISTRICT: District,
    AreaLevel.STREET: Street,
    AreaLevel.COMMUNITY: Community,
    AreaLevel.GRID: Grid,
    AreaLevel.MICRO_GRID: MicroGrid,
    AreaLevel.BUILDING: Building,
    AreaLevel.UNIT: Unit,
}

#: Which levels may directly contain each level (``None``: may be a root).
ALLOWED_PARENTS: dict[AreaLevel, frozenset[AreaLevel | None]] = {
    AreaLevel.DISTRICT: frozenset({None}),
    AreaLevel.STREET: frozenset({None, AreaLevel.DISTRICT}),
    AreaLevel.COMMUNITY: frozenset({AreaLevel.STREET}),
    AreaLevel.GRID: frozenset({AreaLevel.COMMUNITY}),
    AreaLevel.MICRO_GRID: frozenset({AreaLevel.GRID}),
    AreaLevel.BUILDING: frozenset({AreaLevel.GRID, AreaLevel.MICRO_GRID}),
    AreaLevel.UNIT: frozenset({AreaLevel.BUILDING}),
    AreaLevel.HOUSEHOLD: frozenset(
        {AreaLevel.UNIT, AreaLevel.BUILDING, AreaLevel.MICRO_GRID, AreaLevel.GRID}
    ),
}


class Household(Dated):
    """A household (户): the leaf, inside a unit (or a building, micro-grid or grid)."""

    id: Id
    parent: Id
    residents: Annotated[int, Field(ge=0, le=100)] = 1


class Compound(Dated):
    """A residential compound (小区): buildings managed together, across grid boundaries."""

    id: Id
    name: str = ""
    buildings: tuple[Id, ...] = ()
    property_company: Id | None = Field(
        default=None, description="Id of the property company (物业企业) managing it."
    )
    self_governed: bool = Field(
        default=False, description="No property company: residents govern it (无物业小区)."
    )
