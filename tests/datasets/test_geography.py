"""The synthetic town: near the county seat, every building located inside its grid."""

from __future__ import annotations

import numpy as np
import pytest

from gridgov import datasets
from gridgov.analysis import geography_findings
from gridgov.datasets import SEATS, place


@pytest.mark.parametrize("name", ["youyi", "huanan", "bozhou"])
def test_bundled_examples_have_geography_near_their_seat(name: str) -> None:
    s = datasets.load(name)
    geo = s.geography
    assert geo is not None
    f = geo.points.frame.filter(kind="building")
    buildings = s.areas.frame.filter(level="building").height
    assert f.height == buildings
    lon, lat = SEATS[name]
    # the town fits within ~10 km of the seat: 0.1° of latitude is 11 km
    assert np.abs(f.get_column("lat").to_numpy() - lat).max() < 0.1
    assert np.abs(f.get_column("lon").to_numpy() - lon).max() < 0.15
    assert geography_findings(s) == []


def test_place_is_deterministic_and_seed_dependent() -> None:
    base = datasets.synthetic_city(households=900, seed=5)
    a = place(base, centre=(130.55, 46.24), seed=1)
    b = place(base, centre=(130.55, 46.24), seed=1)
    c = place(base, centre=(130.55, 46.24), seed=2)
    assert a == b
    assert a != c


def test_every_grid_has_a_meeting_point_and_every_community_a_centre() -> None:
    s = datasets.load("youyi")
    assert s.geography is not None
    f = s.geography.points.frame
    grids = set(s.areas.frame.filter(level="grid").get_column("id").to_list())
    assert set(f.filter(kind="meeting_point").get_column("subject").to_list()) == grids
    communities = set(s.areas.frame.filter(level="community").get_column("id").to_list())
    centres = f.filter(kind="facility", facility="party_mass_service_centre")
    assert set(centres.get_column("subject").to_list()) == communities
