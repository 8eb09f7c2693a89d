"""Tests for gridgov.io.popolo: every bundled example exports, validates and round-trips."""

from __future__ import annotations

import copy
from typing import Any

import pytest

import gridgov
from gridgov.errors import SpecError, StructureError
from gridgov.io import from_popolo, to_data, to_popolo, validate_popolo
from gridgov.org import Structure

KEY = b"popolo test key of 16+ bytes"
EXAMPLES = ["youyi", "huanan", "bozhou"]


@pytest.fixture(scope="module", params=EXAMPLES)
def example(request: pytest.FixtureRequest) -> Structure:
    s: Structure = gridgov.datasets.load(request.param)
    return s


def _full(s: Structure) -> dict[str, Any]:
    return to_data(s, include_personal=True)


def test_every_example_validates_and_round_trips(example: Structure) -> None:
    doc = to_popolo(example, privacy="full")
    validate_popolo(doc)
    assert len(doc["persons"]) == len(example.people)
    assert len(doc["memberships"]) == len(example.appointments)
    back = from_popolo(doc)
    # Popolo → gridgov → Popolo keeps everything, and gridgov → Popolo → gridgov too
    assert to_popolo(back, privacy="full") == doc
    assert _full(back) == _full(example)


@pytest.mark.parametrize("level", ["public", "research", "internal"])
def test_every_level_validates(example: Structure, level: str) -> None:
    doc = to_popolo(example, privacy=level, key=KEY)
    validate_popolo(doc)
    assert doc["gridgov"]["privacy"] == level
    assert to_popolo(from_popolo(doc), privacy="full") == {
        **doc,
        "gridgov": {**doc["gridgov"], "privacy": "full"},
    }


def test_extension_fields_hold_gridgov_facts() -> None:
    s = gridgov.datasets.load("youyi")
    doc = to_popolo(s, privacy="internal")
    member = next(p for p in doc["persons"] if "party" in p.get("gridgov", {}))
    assert member["gridgov"]["party"]["status"] in {"full", "probationary"}
    grid = next(a for a in doc["areas"] if a["classification"] == "grid")
    assert grid["identifier"] == s.area(grid["id"]).code  # the grid code
    by_id = {m["id"]: m for m in doc["memberships"]}
    crosses = [
        (m["id"], x)
        for m in doc["memberships"]
        for x in m.get("gridgov", {}).get("cross_appointment", [])
    ]
    assert len(crosses) == 2 * len(s.cross_appointments()) > 0
    for here, x in crosses:  # each direction is written on both ends, reversed
        there, back = x["direction"].split("->")
        mirror = by_id[x["with"]]["gridgov"]["cross_appointment"]
        assert {"with": here, "direction": f"{back}->{there}"} in mirror
    # core fields are Popolo's own: no gridgov code hides in them
    assert all(set(p) <= {"id", "name", "gender", "birth_date", "gridgov"} for p in doc["persons"])


def test_foreign_popolo_document_reads() -> None:
    doc = {
        "areas": [
            {"id": "S1", "name": "街道", "classification": "street"},
            {"id": "C1", "name": "社区", "classification": "community", "parent_id": "S1"},
        ],
        "organizations": [{"id": "RC1", "classification": "residents_committee", "area_id": "C1"}],
        "persons": [{"id": "X1", "name": "王五", "birth_date": "1970-05-01"}],
        "posts": [{"id": "PO1", "role": "committee_member", "organization_id": "RC1"}],
        "memberships": [{"id": "M1", "person_id": "X1", "post_id": "PO1"}],
    }
    s = from_popolo(doc)
    assert s.person("X1").birth_year == 1970
    assert s.appointments[0].post == "PO1"


def test_bad_documents_name_the_place() -> None:
    doc = to_popolo(gridgov.datasets.load("huanan"), privacy="internal")
    bad = copy.deepcopy(doc)
    bad["persons"][2]["birth_date"] = "the seventies"
    bad["memberships"][1]["person_id"] = 7
    with pytest.raises(SpecError) as info:
        validate_popolo(bad, source="x.json")
    where = [p.location for p in info.value.problems]
    assert where == ["x.json persons[2].birth_date", "x.json memberships[1].person_id"]
    post = copy.deepcopy(doc)
    del post["memberships"][0]["post_id"]
    with pytest.raises(SpecError, match=r"memberships\[0\]\.post_id"):
        from_popolo(post)
    dangling = copy.deepcopy(doc)
    dangling["memberships"][0]["person_id"] = "NOBODY"
    with pytest.raises(StructureError, match="NOBODY"):
        from_popolo(dangling)
