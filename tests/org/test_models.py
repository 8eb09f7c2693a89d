"""Tests for the models of gridgov.org: areas, organisations, posts and relations."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pydantic
import pytest
from hypothesis import given
from pydantic import TypeAdapter

from gridgov.errors import StructureError
from gridgov.org import (
    ChairTerm,
    CoBuildingAgreement,
    Compound,
    CrossAppointment,
    Dated,
    EntryPair,
    Grid,
    Household,
    JointCommittee,
    OrgKind,
    PartyBranch,
    Post,
    PostKind,
    Project,
    Sector,
    Street,
    Structure,
)
from gridgov.org.areas import ALLOWED_PARENTS, AREA_CLASSES
from gridgov.org.organisations import ORG_CLASSES, PARTY_PARENTS, Organisation
from gridgov.org.posts import Appointment
from gridgov.org.vocab import AgreementCategory, AgreementStatus, AreaLevel
from gridgov.testing import dates, periods

D = dt.date
ORG = TypeAdapter(Organisation)


# -- dated entities -------------------------------------------------------------------------
@given(periods(), dates())
def test_valid_on_is_membership_of_the_closed_period(
    period: tuple[D | None, D | None], day: D
) -> None:
    start, end = period
    thing = Project(id="X", start=start, end=end)
    expected = (start is None or start <= day) and (end is None or day <= end)
    assert thing.valid_on(day) is expected


def test_end_before_start_is_left_to_the_structure() -> None:
    # Dated models accept it; Structure reports it with every other problem.
    assert Dated(start=D(2024, 2, 1), end=D(2024, 1, 1)).end == D(2024, 1, 1)


def test_models_are_frozen_and_forbid_unknown_fields() -> None:
    grid = Grid(id="G1", parent="C1")
    with pytest.raises(pydantic.ValidationError):
        grid.name = "x"  # type: ignore[misc]
    with pytest.raises(pydantic.ValidationError, match="extra"):
        Grid(id="G1", colour="red")  # type: ignore[call-arg]
    with pytest.raises(pydantic.ValidationError):
        Grid(id="G 1")
    with pytest.raises(pydantic.ValidationError):
        Grid(id="x" * 65)


# -- areas ------------------------------------------------------------------------------------
def test_area_classes_cover_every_level_above_the_household() -> None:
    assert set(AREA_CLASSES) == set(AreaLevel) - {AreaLevel.HOUSEHOLD}
    for level, cls in AREA_CLASSES.items():
        assert cls(id="X").level is level
    with pytest.raises(pydantic.ValidationError):
        Street(id="S1", level="grid")  # type: ignore[arg-type]


def test_allowed_parents_go_up_the_tree() -> None:
    assert set(ALLOWED_PARENTS) == set(AreaLevel)
    for level, parents in ALLOWED_PARENTS.items():
        for parent in parents:
            assert parent is None or parent.depth < level.depth
    assert AreaLevel.STREET not in ALLOWED_PARENTS[AreaLevel.GRID]  # a grid needs a community


def test_household_residents_are_bounded() -> None:
    assert Household(id="H1", parent="U1").residents == 1
    for bad in (-1, 101):
        with pytest.raises(pydantic.ValidationError):
            Household(id="H1", parent="U1", residents=bad)


def test_compound_groups_buildings_across_grids() -> None:
    c = Compound(id="CP1", buildings=("B1", "B2"), property_company="PC1")
    assert c.buildings == ("B1", "B2")
    assert not c.self_governed


# -- organisations ------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", list(OrgKind), ids=str)
def test_every_kind_validates_to_its_class(kind: OrgKind) -> None:
    org = ORG.validate_python({"id": "O1", "kind": kind.value})
    assert type(org) is ORG_CLASSES[kind]
    assert org.kind is kind
    assert org.effective_sector is kind.default_sector
    assert ORG.validate_json(ORG.dump_json(org)) == org


def test_unknown_kind_is_rejected() -> None:
    with pytest.raises(pydantic.ValidationError, match="kind"):
        ORG.validate_python({"id": "O1", "kind": "guild"})


def test_sector_override() -> None:
    org = PartyBranch(id="PB1", sector=Sector.ENTERPRISE_PARTY)
    assert org.effective_sector is Sector.ENTERPRISE_PARTY


def test_party_parents_are_party_kinds() -> None:
    assert set(PARTY_PARENTS) == {k for k in OrgKind if k.is_party}
    for parents in PARTY_PARENTS.values():
        assert all(p is None or p.is_party for p in parents)
    assert OrgKind.PARTY_BRANCH in PARTY_PARENTS[OrgKind.GRID_PARTY_GROUP]


def test_service_facility_bounds() -> None:
    ok = ORG.validate_python(
        {"id": "F", "kind": "service_facility", "floor_area_m2": 300, "resident_space_share": 0.6}
    )
    assert ok.floor_area_m2 == 300  # type: ignore[union-attr]
    for bad in ({"resident_space_share": 1.5}, {"floor_area_m2": -1}, {"floor_area_m2": "inf"}):
        with pytest.raises(pydantic.ValidationError):
            ORG.validate_python({"id": "F", "kind": "service_facility", **bad})


# -- posts ------------------------------------------------------------------------------------
def test_post_defaults_and_bounds() -> None:
    post = Post(id="T1", kind="grid_leader", organisation="RC1", area="G1")
    assert (post.kind, post.max_holders) == (PostKind.GRID_LEADER, 1)
    with pytest.raises(pydantic.ValidationError):
        Post(id="T1", kind="grid_leader", organisation="RC1", max_holders=0)


def test_cross_appointment_direction() -> None:
    a = Appointment(id="A1", person="P1", post="T1")
    b = Appointment(id="A2", person="P1", post="T2")
    x = CrossAppointment(
        person="P1",
        first=a,
        second=b,
        first_organisation="RC1",
        second_organisation="EPO",
        sectors=(Sector.COMMUNITY, Sector.ENTERPRISE_PARTY),
    )
    assert x.direction == "community → enterprise_party"


@pytest.mark.parametrize(
    ("to_company", "to_community", "two_way", "kind"),
    [
        (1, 1, True, "two-way"),
        (2, 0, False, "community-to-company"),
        (0, 3, False, "company-to-community"),
    ],
)
def test_entry_pair_kind(to_company: int, to_community: int, two_way: bool, kind: str) -> None:
    pair = EntryPair(
        community="C1",
        company="PC1",
        community_to_company=to_company,
        company_to_community=to_community,
    )
    assert pair.two_way is two_way
    assert pair.kind == kind


# -- relations --------------------------------------------------------------------------------
def committee(*terms: ChairTerm, members: tuple[str, ...] = ("O1", "O2")) -> JointCommittee:
    return JointCommittee(id="JC", community="C1", members=members, chair_rotation=terms)


def term(org: str, start: D | None, end: D | None) -> ChairTerm:
    return ChairTerm(organisation=org, start=start, end=end)


H1, H2 = (D(2024, 1, 1), D(2024, 6, 30)), (D(2024, 7, 1), D(2024, 12, 31))


@pytest.mark.parametrize(
    ("terms", "expected"),
    [
        ((), []),
        ((term("O1", *H1), term("O2", *H2)), []),
        ((term("O1", *H1), term("O2", D(2024, 7, 1), None)), []),  # the last may stay open
        ((term("O1", *H1), term("O2", D(2024, 7, 3), None)), ["gap of 2 day(s) before 2024-07-03"]),
        (
            (term("O1", *H1), term("O2", D(2024, 6, 1), None)),
            ["overlap of 30 day(s) at 2024-06-01"],
        ),
        (
            (term("O1", *H1), term("O9", *H2)),
            ["chair O9 is not a member", "member O2 never chairs"],
        ),
        (
            (term("O1", H1[0], None), term("O2", *H2)),
            ["term of O1 is open but another follows"],
        ),
        ((term("O1", None, H1[1]), term("O2", *H2)), ["term of O1 has no start"]),
    ],
)
def test_rotation_problems(terms: tuple[ChairTerm, ...], expected: list[str]) -> None:
    assert committee(*terms).rotation_problems() == expected


def test_agreement_with_projects() -> None:
    ag = CoBuildingAgreement(
        id="AG1",
        unit="U1",
        community="C1",
        category="governance",
        projects=(Project(id="PR1", problems_solved=12), Project(id="PR2", status="completed")),
    )
    assert ag.category is AgreementCategory.GOVERNANCE
    assert ag.status is AgreementStatus.ACTIVE
    assert sum(p.problems_solved for p in ag.projects) == 12
    with pytest.raises(pydantic.ValidationError):
        Project(id="PR3", problems_solved=-1)


@pytest.mark.parametrize(
    "data",
    [
        {"posts": [{"id": "P1", "kind": "volunteer", "organisation": "O1", "max_holders": 10**30}]},
        {"people": [{"id": "P1", "birth_year": 10**30}]},
        {"organisations": [{"id": "O1", "kind": "social_organisation", "members": 10**30}]},
    ],
)
def test_a_huge_integer_field_says_it_is_out_of_range(data: dict[str, Any]) -> None:
    # issue 8: 10**30 must read as out of range (with the range), not as a wrong type
    with pytest.raises(StructureError) as info:
        Structure.model_validate(data)
    [problem] = [p for p in info.value.problems if p.code != "dangling-reference"]
    assert problem.code == "less-than-equal"
    assert "less than or equal to" in problem.message
