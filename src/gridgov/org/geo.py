"""Where things are: point locations and area boundaries, in one coordinate reference.

Coordinate reference
--------------------
Everything is stored as WGS84 longitude/latitude in degrees (EPSG:4326, GeoJSON's order:
``lon`` first). Distances are never taken on degrees: :mod:`gridgov.analysis` projects points
to a local metric projection (an azimuthal equidistant projection centred on the locality,
through pyproj) before measuring.

What is located
---------------
:class:`LocationTable` holds points, one row each, with a ``kind``:

``building``
    a building's entrance; ``subject`` is the building's area id.
``facility``
    a service facility (``facility`` names its kind, e.g. ``"party_mass_service_centre"``);
    ``subject`` is the area it serves (a community or grid), if any.
``premises``
    an organisation's premises; ``subject`` is the organisation's id.
``meeting_point``
    the place a grid's cadres gather when mobilised; ``subject`` is the grid's id.
``residence``
    where a person lives (used for cadres and in-service party members); ``subject`` is the
    person's id. Only the point is kept, never an address.

:class:`Boundary` is one area's polygon as a GeoJSON geometry (``Polygon`` or
``MultiPolygon``). :class:`Geography` holds both and reads and writes GeoJSON.

A :class:`~gridgov.org.Structure` checks that every ``subject`` and boundary ``area`` exists
(code ``dangling-reference``); a building outside its grid's polygon is a finding of the
analysis (:func:`gridgov.analysis.geography_findings`), not an integrity error.

Examples
--------
>>> g = Geography(points=[{"id": "P1", "kind": "building", "subject": "B1",
...                        "lon": 131.81, "lat": 46.77}])
>>> len(g.points), g.points.get("P1").lat
(1, 46.77)
>>> Geography.from_geojson(g.to_geojson()) == g
True
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field, JsonValue, field_validator

from gridgov.errors import Problem
from gridgov.org._base import GridgovModel, Id
from gridgov.org.tables import Column, Table

__all__ = [
    "LOCATION_KINDS",
    "Boundary",
    "Geography",
    "Location",
    "LocationKind",
    "LocationTable",
    "geography_problems",
]

#: The kinds of located point (see the module docstring).
LocationKind = Literal["building", "facility", "premises", "meeting_point", "residence"]
LOCATION_KINDS: tuple[str, ...] = ("building", "facility", "premises", "meeting_point", "residence")


class Location(GridgovModel):
    """One located point (WGS84 degrees)."""

    id: Id
    kind: LocationKind
    subject: Id | None = Field(default=None, description="What the point locates (an id).")
    facility: str | None = Field(default=None, description="Facility kind, for facilities.")
    lon: float = Field(ge=-180, le=180, description="Longitude, WGS84 degrees.")
    lat: float = Field(ge=-90, le=90, description="Latitude, WGS84 degrees.")


class LocationTable(Table[Location]):
    """Located points as columns: id, kind, subject, facility, lon, lat."""

    name = "locations"
    key = "id"
    columns = (
        Column("id", "id", required=True, nullable=False),
        Column("kind", "str", required=True, nullable=False),
        Column("subject", "id"),
        Column("facility", "str"),
        Column("lon", "float", required=True, nullable=False, low=-180, high=180),
        Column("lat", "float", required=True, nullable=False, low=-90, high=90),
    )
    row_model = Location


def _rings_ok(rings: object) -> bool:
    if not isinstance(rings, list) or not rings:
        return False
    for ring in rings:
        if not isinstance(ring, list) or len(ring) < 4:
            return False
        for pt in ring:
            if not (isinstance(pt, list | tuple) and len(pt) >= 2):
                return False
            if not all(isinstance(c, int | float) and not isinstance(c, bool) for c in pt[:2]):
                return False
    return True


class Boundary(GridgovModel):
    """One area's outline as a GeoJSON ``Polygon`` or ``MultiPolygon`` geometry (WGS84)."""

    area: Id
    geometry: dict[str, JsonValue]

    @field_validator("geometry")
    @classmethod
    def _check_geometry(cls, geometry: dict[str, JsonValue]) -> dict[str, JsonValue]:
        kind = geometry.get("type")
        coords = geometry.get("coordinates")
        if kind == "Polygon" and _rings_ok(coords):
            return geometry
        if (
            kind == "MultiPolygon"
            and isinstance(coords, list)
            and coords
            and all(_rings_ok(p) for p in coords)
        ):
            return geometry
        raise ValueError(
            "must be a GeoJSON Polygon or MultiPolygon with closed rings of [lon, lat] pairs"
        )

    def rings(self) -> list[list[tuple[float, float]]]:
        """Every ring (outer and holes) as lists of ``(lon, lat)``."""
        coords: Any = self.geometry["coordinates"]
        polygons = [coords] if self.geometry["type"] == "Polygon" else coords
        return [[(float(p[0]), float(p[1])) for p in ring] for poly in polygons for ring in poly]


class Geography(GridgovModel):
    """A structure's geography: located points and area boundaries, WGS84 (EPSG:4326)."""

    crs: Literal["EPSG:4326"] = "EPSG:4326"
    points: LocationTable = Field(default_factory=LocationTable)
    boundaries: tuple[Boundary, ...] = ()

    def __bool__(self) -> bool:
        return len(self.points) > 0 or bool(self.boundaries)

    def to_geojson(self) -> dict[str, Any]:
        """A GeoJSON ``FeatureCollection``: points, then boundaries."""
        features: list[dict[str, Any]] = []
        for row in self.points.frame.iter_rows(named=True):
            props = {k: row[k] for k in ("id", "kind", "subject", "facility")}
            features.append(
                {
                    "type": "Feature",
                    "id": row["id"],
                    "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
                    "properties": props,
                }
            )
        features.extend(
            {
                "type": "Feature",
                "id": b.area,
                "geometry": b.geometry,
                "properties": {"area": b.area, "kind": "boundary"},
            }
            for b in self.boundaries
        )
        return {"type": "FeatureCollection", "features": features}

    @classmethod
    def from_geojson(cls, doc: Mapping[str, Any]) -> Geography:
        """Read a ``FeatureCollection`` written by :meth:`to_geojson` (or in its shape).

        Point features need ``properties.kind`` (and ``id``); polygon features need
        ``properties.area``.
        """
        rows: list[dict[str, Any]] = []
        bounds: list[Boundary] = []
        for feature in doc.get("features", []):
            geom = feature.get("geometry") or {}
            props = dict(feature.get("properties") or {})
            if geom.get("type") == "Point":
                lon, lat = geom["coordinates"][:2]
                props.setdefault("id", feature.get("id"))
                rows.append({**props, "lon": lon, "lat": lat})
            else:
                bounds.append(Boundary(area=props.get("area", feature.get("id")), geometry=geom))
        return cls(points=LocationTable.from_rows(rows), boundaries=tuple(bounds))


def geography_problems(
    geography: Geography, area_ids: set[str], organisation_ids: set[str], person_ids: set[str]
) -> list[Problem]:
    """Integrity problems of ``geography``: unknown kinds, subjects and boundary areas."""
    import polars as pl

    problems: list[Problem] = []
    frame = geography.points.frame
    if frame.height:
        targets = {
            "building": area_ids,
            "facility": area_ids,
            "meeting_point": area_ids,
            "premises": organisation_ids,
            "residence": person_ids,
        }
        for i, (kind, subject) in enumerate(frame.select("kind", "subject").iter_rows()):
            where = f"locations row {i}"
            if kind not in targets:
                problems.append(
                    Problem("bad-value", where, f"kind must be one of {', '.join(LOCATION_KINDS)}")
                )
            elif subject is not None and subject not in targets[kind]:
                problems.append(
                    Problem("dangling-reference", where, f"subject {subject!r} is not known")
                )
            if len(problems) >= 50:
                break
        dup = frame.filter(pl.col("id").is_duplicated()).get_column("id").unique().sort()
        problems.extend(
            Problem("duplicate-id", f"location:{k}", "id used more than once") for k in dup
        )
    problems.extend(
        Problem("dangling-reference", f"boundary:{b.area}", "area is not known")
        for b in geography.boundaries
        if b.area not in area_ids
    )
    return problems
