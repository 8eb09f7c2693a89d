"""Service circles on the bundled examples and on a hand-made town."""

from __future__ import annotations

import numpy as np
import pytest

from gridgov import datasets
from gridgov.analysis import geography_findings, service_circles
from gridgov.org import Structure


def _town(facility_x: float) -> Structure:
    # one grid, two buildings 0 m and 1000 m east of a clinic placed at facility_x metres
    m_per_deg = 111_320.0 * np.cos(np.radians(46.77))
    pts = [
        {"id": "L1", "kind": "building", "subject": "B1", "lon": 131.8, "lat": 46.77},
        {
            "id": "L2",
            "kind": "building",
            "subject": "B2",
            "lon": 131.8 + 1000 / m_per_deg,
            "lat": 46.77,
        },
        {
            "id": "F1",
            "kind": "facility",
            "subject": "C1",
            "facility": "clinic",
            "lon": 131.8 + facility_x / m_per_deg,
            "lat": 46.77,
        },
    ]
    return Structure.model_validate(
        {
            "areas": [
                {"id": "S1", "level": "street"},
                {"id": "C1", "level": "community", "parent": "S1"},
                {"id": "G1", "level": "grid", "parent": "C1"},
                {"id": "B1", "level": "building", "parent": "G1"},
                {"id": "B2", "level": "building", "parent": "G1"},
            ],
            "geography": {"points": pts},
        }
    )


def test_levels_and_coverage_on_a_hand_made_town() -> None:
    c = service_circles(_town(0.0), kinds=["clinic", "kindergarten"])
    f = c.to_frame()
    # B1 sits on the clinic: 0 min, level 5; B2 is 1000 m × 1.3 / 60 = 21.7 min: no level
    assert f.get_column("clinic_level").to_list() == [5.0, None]
    assert f.get_column("kindergarten_minutes").to_list() == [None, None]
    assert c.uncovered("clinic") == ["B2"]
    cov = c.coverage().filter(kind="clinic")
    assert cov.get_column("share_buildings").to_list() == [0.5]
    assert cov.get_column("uncovered").to_list() == [["B2"]]


def test_huanan_walk_circle_rule_reads_the_profile() -> None:
    s = datasets.load("huanan")
    c = service_circles(s, profile="huanan")
    found = {f.subject for f in c.findings() if f.rule == "party_mass_walk_circle"}
    assert found == set(c.uncovered("party_mass_service_centre", 10.0))
    assert found  # the synthetic town has buildings beyond the 10-minute circle


def test_youyi_life_circle_rule_covers_every_kind() -> None:
    c = service_circles(datasets.load("youyi"), profile="youyi")
    findings = [f for f in c.findings() if f.rule == "community_life_circle"]
    expected = sum(len(c.uncovered(k, 15.0)) for k in c.kinds)
    assert len(findings) == expected
    assert "15" in findings[0].message_zh


def test_explain_is_bilingual() -> None:
    c = service_circles(_town(0.0), kinds=["clinic"])
    assert "clinic 0.0 min" in c.explain("B1")
    assert "楼栋 B1" in c.explain("B1", lang="zh")


def test_building_outside_its_grid_is_a_finding() -> None:
    s = datasets.load("youyi")
    assert geography_findings(s) == []
    geo = s.geography
    assert geo is not None
    frame = geo.points.frame
    moved = frame.with_columns(
        lon=np.where(
            frame.get_column("subject").to_numpy() == "S01C01G01B01",
            0.0,
            frame.get_column("lon").to_numpy(),
        )
    )
    s2 = s.model_copy(
        update={"geography": geo.model_copy(update={"points": type(geo.points)(moved)})}
    )
    found = geography_findings(s2)
    assert [f.subject for f in found] == ["S01C01G01B01"]
    assert found[0].rule == "building_outside_grid"


def test_no_geography_is_a_typed_error() -> None:
    from gridgov.errors import StructureError

    with pytest.raises(StructureError, match="no-geography"):
        service_circles(Structure.model_validate({"areas": [{"id": "S1", "level": "street"}]}))
