"""Geography in the model: columns, GeoJSON round trip, references checked with the rest."""

from __future__ import annotations

import pytest

from gridgov.errors import StructureError, TableError
from gridgov.org import Geography, LocationTable, Structure


def test_geojson_round_trip_keeps_points_and_boundaries() -> None:
    g = Geography(
        points=[{"id": "P1", "kind": "meeting_point", "subject": "G1", "lon": 131.8, "lat": 46.7}],
        boundaries=[
            {
                "area": "G1",
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[131.7, 46.6], [131.9, 46.6], [131.9, 46.8], [131.7, 46.6]]],
                },
            }
        ],
    )
    doc = g.to_geojson()
    assert [f["geometry"]["type"] for f in doc["features"]] == ["Point", "Polygon"]
    assert Geography.from_geojson(doc) == g


def test_bad_coordinates_are_reported_with_row_and_column() -> None:
    with pytest.raises(TableError) as err:
        LocationTable.from_rows(
            [
                {"id": "P1", "kind": "building", "lon": 200.0, "lat": 46.0},
                {"id": "P2", "kind": "building", "lon": 131.0, "lat": "north"},
            ]
        )
    locations = [p.location for p in err.value.problems]
    assert locations == ["locations row 1, column lon", "locations row 2, column lat"]


def test_unknown_subjects_and_boundary_areas_are_integrity_problems() -> None:
    with pytest.raises(StructureError) as err:
        Structure.model_validate(
            {
                "areas": [
                    {"id": "S1", "level": "street"},
                    {"id": "C1", "level": "community", "parent": "S1"},
                    {"id": "G1", "level": "grid", "parent": "C1"},
                ],
                "geography": {
                    "points": [
                        {"id": "P1", "kind": "building", "subject": "B9", "lon": 1.0, "lat": 1.0},
                        {"id": "P2", "kind": "tower", "subject": "G1", "lon": 1.0, "lat": 1.0},
                    ],
                    "boundaries": [
                        {
                            "area": "G7",
                            "geometry": {
                                "type": "Polygon",
                                "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]],
                            },
                        }
                    ],
                },
            }
        )
    assert sorted(p.code for p in err.value.problems) == [
        "bad-value",
        "dangling-reference",
        "dangling-reference",
    ]


def test_bad_polygon_is_rejected() -> None:
    with pytest.raises(ValueError, match="GeoJSON Polygon"):
        Geography(
            boundaries=[{"area": "G1", "geometry": {"type": "Polygon", "coordinates": [[[0, 0]]]}}]
        )


def test_structure_dump_and_load_keeps_geography() -> None:
    s = Structure.model_validate(
        {
            "areas": [
                {"id": "S1", "level": "street"},
                {"id": "C1", "level": "community", "parent": "S1"},
                {"id": "G1", "level": "grid", "parent": "C1"},
            ],
            "geography": {
                "points": [
                    {"id": "P1", "kind": "meeting_point", "subject": "G1", "lon": 1.0, "lat": 2.0}
                ]
            },
        }
    )
    again = Structure.model_validate(s.model_dump())
    assert again.geography == s.geography
