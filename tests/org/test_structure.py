"""Tests for gridgov.org.structure: round trips, hierarchy queries, roll-ups, as_of, posts."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gridgov.errors import ReferenceNotFoundError, StructureError
from gridgov.org import (
    Appointment,
    AreaLevel,
    EnterprisePartyOrg,
    Grid,
    Household,
    LinkedHousehold,
    PartyBranch,
    PartyMembership,
    Person,
    Post,
    PropertyCompany,
    ResidentsCommittee,
    Sector,
    Structure,
    WorkingCommittee,
)
from gridgov.org._base import is_valid_on
from gridgov.testing import dates, structures

# Structures cost tens of milliseconds each to build and validate; these counts keep the
# module at a few seconds while still exploring every kind of entity.
FEW = settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)
SCHEMES = st.sampled_from([None, "civil_affairs_12", "db11_15", "cjt349_20"])
DATED_FIELDS = (
    "compounds",
    "organisations",
    "posts",
    "appointments",
    "report_backs",
    "joint_committees",
    "supervision",
)
GRID_AND_ABOVE = (AreaLevel.DISTRICT, AreaLevel.STREET, AreaLevel.COMMUNITY, AreaLevel.GRID)


def cleared(s: Structure) -> Structure:
    """``s`` with every personal field set to None (what a default dump keeps)."""
    people = tuple(p.model_copy(update={"id_number": None, "phone": None}) for p in s.people)
    return s.model_copy(update={"people": people})


def assert_same_fields(a: Structure, b: Structure) -> None:
    for name in Structure.model_fields:
        assert getattr(a, name) == getattr(b, name), f"field {name} differs"


# -- round trips ----------------------------------------------------------------------------
@FEW
@given(structures(code_scheme=SCHEMES))
def test_round_trip_through_python_keeps_everything(s: Structure) -> None:
    back = Structure.model_validate(s.model_dump(context={"include_personal": True}))
    assert_same_fields(back, s)
    assert back == s


@FEW
@given(structures(code_scheme=SCHEMES))
def test_round_trip_through_json_keeps_everything(s: Structure) -> None:
    text = s.model_dump_json(context={"include_personal": True})
    back = Structure.model_validate_json(text)
    assert_same_fields(back, s)
    assert back == s


@FEW
@given(structures(code_scheme=SCHEMES))
def test_default_dump_round_trip_drops_only_personal_fields(s: Structure) -> None:
    expected = cleared(s)
    back = Structure.model_validate(s.model_dump())
    assert_same_fields(back, expected)
    assert back == expected
    back_json = Structure.model_validate_json(s.model_dump_json())
    assert_same_fields(back_json, expected)


def test_structures_compare_by_content_not_by_cached_indexes() -> None:
    a = Structure.model_validate({"areas": [{"id": "S1", "level": "street"}]})
    b = Structure.model_validate({"areas": [{"id": "S1", "level": "street"}]})
    c = Structure.model_validate({"areas": [{"id": "S2", "level": "street"}]})
    assert a == b
    assert a != c


# -- naive reference implementations ---------------------------------------------------------
class Naive:
    """Plain-Python answers to hierarchy questions, from the rows alone."""

    def __init__(self, s: Structure) -> None:
        rows = s.areas.to_rows()
        self.level = {r["id"]: AreaLevel(r["level"]) for r in rows}
        self.parent: dict[str, str | None] = {r["id"]: r["parent"] for r in rows}
        for h in s.households.to_rows():
            self.parent[h["id"]] = h["parent"]
            self.level[h["id"]] = AreaLevel.HOUSEHOLD
        self.area_ids = [r["id"] for r in rows]
        self.household_ids = [h["id"] for h in s.households.to_rows()]

    def ancestors(self, node: str) -> list[str]:
        out: list[str] = []
        cur = self.parent[node]
        while cur is not None:
            out.append(cur)
            cur = self.parent[cur]
        return out

    def at(self, node: str, level: AreaLevel) -> str | None:
        """Ancestor-or-self of ``node`` at ``level``."""
        for a in [node, *self.ancestors(node)]:
            if self.level[a] is level:
                return a
        return None


# -- hierarchy --------------------------------------------------------------------------------
@FEW
@given(structures(code_scheme=SCHEMES))
def test_parent_children_ancestors_agree(s: Structure) -> None:
    naive = Naive(s)
    for node in naive.area_ids + naive.household_ids:
        parent = s.parent(node)
        assert parent == naive.parent[node]
        ancestors = s.ancestors(node)
        assert ancestors == naive.ancestors(node)
        assert node not in ancestors
        assert len(set(ancestors)) == len(ancestors)  # acyclic
        if parent is None:
            assert ancestors == []
        else:
            assert ancestors == [parent, *s.ancestors(parent)]
            assert node in s.children(parent)
    for area in naive.area_ids:
        kids = s.children(area)
        assert len(kids) == len(set(kids))
        assert all(s.parent(k) == area for k in kids)
        # levels go strictly deeper down the tree
        assert all(naive.level[k].depth > naive.level[area].depth for k in kids)


@FEW
@given(structures(), st.sampled_from([None, *AreaLevel]))
def test_descendants_are_what_has_the_area_as_ancestor(
    s: Structure, level: AreaLevel | None
) -> None:
    naive = Naive(s)
    for area in naive.area_ids:
        got = s.descendants(area, level)
        expected = [
            n
            for n in naive.area_ids + naive.household_ids
            if area in naive.ancestors(n) and (level is None or naive.level[n] is level)
        ]
        assert sorted(got) == sorted(expected)
        assert len(got) == len(set(got))


@FEW
@given(structures())
def test_households_in_area(s: Structure) -> None:
    naive = Naive(s)
    for area in naive.area_ids:
        got = s.households_in(area).frame.get_column("id").to_list()
        assert got == [h for h in naive.household_ids if area in naive.ancestors(h)]


def test_hierarchy_queries_reject_unknown_ids() -> None:
    s = hand_built()
    for query in (s.parent, s.children, s.descendants, s.households_in, s.area):
        with pytest.raises(ReferenceNotFoundError, match="NOPE"):
            query("NOPE")
    with pytest.raises(ReferenceNotFoundError):
        s.household("NOPE")
    with pytest.raises(LookupError):  # ReferenceNotFoundError is also a LookupError
        s.person("NOPE")


# -- roll-ups ---------------------------------------------------------------------------------
@FEW
@given(structures(code_scheme=SCHEMES))
def test_rollup_totals_equal_household_count_at_every_level(s: Structure) -> None:
    total = len(s.households)
    residents = int(s.households.frame.get_column("residents").sum())
    for level in (AreaLevel.STREET, AreaLevel.COMMUNITY, AreaLevel.GRID):
        frame = s.rollup(level)
        assert frame.get_column("households").sum() == total
        assert frame.get_column("residents").sum() == residents
        assert set(frame.get_column("level").to_list()) <= {level.value}
    districts = s.rollup("district")
    if len(districts):
        assert districts.get_column("households").sum() == total


@FEW
@given(structures(), dates(dt.date(2012, 1, 1), dt.date(2033, 12, 31)), st.sampled_from(AreaLevel))
def test_rollup_equals_naive_counts(s: Structure, day: dt.date, level: AreaLevel) -> None:
    if level is AreaLevel.HOUSEHOLD:
        with pytest.raises(ValueError, match="households"):
            s.rollup(level)
        return
    naive = Naive(s)
    hh = s.households.to_rows()
    orgs = {o.id: o for o in s.organisations}
    by_hh = {h["id"]: naive.at(h["id"], level) for h in hh}
    want: dict[str, Counter[str]] = {
        a: Counter() for a in naive.area_ids if naive.level[a] is level
    }
    for h in hh:
        unit = by_hh[h["id"]]
        if unit is not None:
            want[unit]["households"] += 1
            want[unit]["residents"] += h["residents"]
    for p in s.people:
        if p.party is not None and p.household is not None and by_hh.get(p.household):
            want[by_hh[p.household]]["party_members"] += 1
    linked = {
        r["household"]
        for r in s.linked_households.to_rows()
        if is_valid_on(r["start"], r["end"], day)
    }
    for h in linked:
        if by_hh.get(h):
            want[by_hh[h]]["linked_households"] += 1
    for post in s.posts:
        org = orgs[post.organisation]
        target = post.area or org.area
        unit = naive.at(target, level) if target is not None else None
        if unit is None:
            continue
        filled = any(a.post == post.id and a.valid_on(day) for a in s.appointments)
        want[unit]["posts"] += 1
        want[unit]["posts_filled"] += int(filled)
        want[unit]["posts_vacant"] += int(not filled)
    frame = s.rollup(level, on=day)
    assert frame.get_column("id").to_list() == list(want)
    columns = ("households", "residents", "party_members", "linked_households")
    got = {row["id"]: {c: row[c] for c in columns} for row in frame.iter_rows(named=True)}
    assert got == {a: {c: want[a][c] for c in columns} for a in want}
    # posts: a post responsible for an area counts for every unit containing that area
    posts_cols = ("posts", "posts_filled", "posts_vacant")
    got_posts = {row["id"]: {c: row[c] for c in posts_cols} for row in frame.iter_rows(named=True)}
    assert got_posts == {a: {c: want[a][c] for c in posts_cols} for a in want}


# -- posts and coverage against naive answers ------------------------------------------------
@FEW
@given(structures(), dates(dt.date(2012, 1, 1), dt.date(2033, 12, 31)))
def test_holders_vacancies_and_coverage_equal_naive_answers(s: Structure, day: dt.date) -> None:
    holders = {
        p.id: [a.person for a in s.appointments if a.post == p.id and a.valid_on(day)]
        for p in s.posts
    }
    for post in s.posts:
        assert [x.id for x in s.holders_of(post.id, on=day)] == holders[post.id]
    assert [(p.id, free) for p, free in s.vacancies(on=day)] == [
        (p.id, p.max_holders - len(holders[p.id]))
        for p in s.posts
        if p.valid_on(day) and len(holders[p.id]) < p.max_holders
    ]
    for level, head in (("building", "building_head"), ("unit", "unit_head")):
        covered = {p.area for p in s.posts if p.kind.value == head and holders[p.id]}
        rows = s.areas.to_rows()
        expected = [r["id"] for r in rows if r["level"] == level and r["id"] not in covered]
        assert s.uncovered(level, on=day) == expected
    linked = {
        r["household"]
        for r in s.linked_households.to_rows()
        if is_valid_on(r["start"], r["end"], day)
    }
    assert s.uncovered("household", on=day) == [h for h in s.households.ids() if h not in linked]
    for person in s.people:
        got = [a.id for a, _ in s.posts_of(person.id, on=day)]
        assert got == [a.id for a in s.appointments if a.person == person.id and a.valid_on(day)]


@FEW
@given(structures())
def test_cross_appointments_are_concurrent_and_cross_sectors(s: Structure) -> None:
    orgs = {o.id: o for o in s.organisations}
    posts = {p.id: p for p in s.posts}
    found = {(x.person, x.first.id, x.second.id) for x in s.cross_appointments()}
    expected = set()
    for a in s.appointments:
        for b in s.appointments:
            if a.person != b.person or a.id == b.id:
                continue
            sa = orgs[posts[a.post].organisation].effective_sector
            sb = orgs[posts[b.post].organisation].effective_sector
            lo = max(a.start or dt.date.min, b.start or dt.date.min)
            hi = min(a.end or dt.date.max, b.end or dt.date.max)
            first_key = (a.start or dt.date.min, a.id) < (b.start or dt.date.min, b.id)
            if sa is not sb and lo <= hi and first_key:
                expected.add((a.person, a.id, b.id))
    assert found == expected
    for x in s.cross_appointments():
        assert x.sectors[0] is not x.sectors[1]
    for pair in s.entry_pairs():
        assert pair.community_to_company + pair.company_to_community > 0


# -- as_of ----------------------------------------------------------------------------------
@FEW
@given(structures(), dates(dt.date(2008, 1, 1), dt.date(2037, 12, 31)))
def test_as_of_holds_exactly_the_entities_valid_that_day(s: Structure, day: dt.date) -> None:
    t = s.as_of(day)
    assert t.reference_date == day
    for name in DATED_FIELDS:
        assert getattr(t, name) == tuple(x for x in getattr(s, name) if x.valid_on(day)), name
    expected_agreements = [a for a in s.agreements if a.valid_on(day)]
    assert [a.id for a in t.agreements] == [a.id for a in expected_agreements]
    for got, orig in zip(t.agreements, expected_agreements, strict=True):
        assert got.projects == tuple(p for p in orig.projects if p.valid_on(day))
        assert got.model_copy(update={"projects": orig.projects}) == orig
    for table in ("areas", "households", "linked_households"):
        rows = getattr(s, table).to_rows()
        assert getattr(t, table).to_rows() == [
            r for r in rows if is_valid_on(r["start"], r["end"], day)
        ], table
    assert t.people == s.people  # people are not dated
    assert (t.name, t.code_scheme) == (s.name, s.code_scheme)


@FEW
@given(structures(), dates())
def test_as_of_is_idempotent(s: Structure, day: dt.date) -> None:
    once = s.as_of(day)
    assert_same_fields(once.as_of(day), once)


# -- a small hand-built structure with known answers ----------------------------------------
D = dt.date
DAY = D(2024, 6, 30)


def hand_built() -> Structure:
    """One street, one community, two grids; a property company with its party organisation.

    Expected answers in the tests below are worked out by hand from this listing.
    """
    return Structure(
        name="hand-built",
        reference_date=DAY,
        # rows as dicts: a list of Area models is covered in tests/org/test_tables.py
        areas=[
            {"id": "S1", "level": "street"},
            {"id": "C1", "level": "community", "parent": "S1"},
            {"id": "G1", "level": "grid", "parent": "C1", "name": "一网格"},
            {"id": "G2", "level": "grid", "parent": "C1", "name": "二网格"},
            {"id": "B1", "level": "building", "parent": "G1"},
            {"id": "B2", "level": "building", "parent": "G1"},
            {"id": "U1", "level": "unit", "parent": "B1"},
            {"id": "U2", "level": "unit", "parent": "B1"},
            {"id": "U3", "level": "unit", "parent": "B2"},
        ],
        households=[
            Household(id="H1", parent="U1", residents=3),
            Household(id="H2", parent="U1", residents=2),
            Household(id="H3", parent="U2", residents=4),
            Household(id="H4", parent="G2", residents=1),
        ],
        organisations=[
            WorkingCommittee(id="WC1", area="S1"),
            PartyBranch(id="PB1", parent="WC1", area="C1"),
            ResidentsCommittee(id="RC1", area="C1"),
            PropertyCompany(id="PCO", area="C1"),
            EnterprisePartyOrg(id="EPO", parent="WC1", host="PCO"),
        ],
        people=[
            Person(id="P1", household="H1", party=PartyMembership(organisation="PB1")),
            Person(
                id="P2",
                household="H4",
                party=PartyMembership(service="in_service", employer="PCO"),
            ),
            Person(id="P3", household="H3"),
            Person(id="P4"),
        ],
        posts=[
            Post(id="SEC", kind="secretary", organisation="PB1"),
            Post(id="CM", kind="committee_member", organisation="RC1", max_holders=3),
            Post(id="BOARD", kind="board_member", organisation="EPO", max_holders=2),
            Post(id="MGR", kind="manager", organisation="PCO"),
            Post(id="BH1", kind="building_head", organisation="RC1", area="B1"),
            Post(id="BH2", kind="building_head", organisation="RC1", area="B2"),
            Post(id="UH1", kind="unit_head", organisation="RC1", area="U1"),
            Post(id="UH2", kind="unit_head", organisation="RC1", area="U2"),
            Post(id="UH3", kind="unit_head", organisation="RC1", area="U3"),
        ],
        appointments=[
            Appointment(id="A1", person="P1", post="SEC", start=D(2020, 1, 1)),
            Appointment(id="A2", person="P1", post="BOARD", start=D(2022, 1, 1)),
            Appointment(id="A3", person="P2", post="MGR", start=D(2019, 1, 1)),
            Appointment(id="A4", person="P2", post="CM", start=D(2021, 1, 1), end=D(2023, 12, 31)),
            Appointment(id="A5", person="P3", post="BH1", start=D(2020, 1, 1)),
            Appointment(id="A6", person="P3", post="CM", start=D(2020, 1, 1)),
            Appointment(id="A7", person="P4", post="UH1", start=D(2024, 1, 1)),
            Appointment(id="A8", person="P4", post="UH2", start=D(2020, 1, 1), end=D(2023, 12, 31)),
            Appointment(id="A9", person="P4", post="CM", start=D(2024, 7, 1)),
        ],
        linked_households=[
            LinkedHousehold(member="P1", household="H1", start=D(2020, 1, 1)),
            LinkedHousehold(member="P1", household="H2", start=D(2020, 1, 1), end=D(2023, 12, 31)),
            LinkedHousehold(member="P2", household="H4"),
        ],
    )


def ids_of(items: list[Any]) -> list[str]:
    return [x.id for x in items]


def test_posts_of_known_answers() -> None:
    s = hand_built()
    assert [(a.id, p.id) for a, p in s.posts_of("P1")] == [("A1", "SEC"), ("A2", "BOARD")]
    assert [a.id for a, _ in s.posts_of("P4")] == ["A7", "A8", "A9"]
    assert [a.id for a, _ in s.posts_of("P4", on=DAY)] == ["A7"]
    assert s.posts_of("P3", on=D(2019, 12, 31)) == []
    with pytest.raises(ReferenceNotFoundError):
        s.posts_of("NOPE")


def test_holders_of_known_answers() -> None:
    s = hand_built()
    assert ids_of(s.holders_of("CM")) == ["P3"]  # the reference date: A4 over, A9 not begun
    assert ids_of(s.holders_of("CM", on=D(2022, 6, 1))) == ["P2", "P3"]
    assert ids_of(s.holders_of("CM", on=D(2024, 7, 1))) == ["P3", "P4"]
    assert s.holders_of("BH2") == []
    with pytest.raises(ReferenceNotFoundError):
        s.holders_of("NOPE")


def test_vacancies_known_answers() -> None:
    s = hand_built()
    got = [(p.id, free) for p, free in s.vacancies()]
    assert got == [("CM", 2), ("BOARD", 1), ("BH2", 1), ("UH2", 1), ("UH3", 1)]
    # before anyone was appointed every post is vacant in full
    early = [(p.id, free) for p, free in s.vacancies(on=D(2018, 1, 1))]
    assert early == [(p.id, p.max_holders) for p in s.posts]


def test_cross_appointments_known_answers() -> None:
    s = hand_built()
    crosses = s.cross_appointments()
    # P1: party branch (community) then company party board; P2: company manager then RC.
    assert [(x.person, x.first.id, x.second.id) for x in crosses] == [
        ("P1", "A1", "A2"),
        ("P2", "A3", "A4"),
    ]
    assert crosses[0].sectors == (Sector.COMMUNITY, Sector.ENTERPRISE_PARTY)
    assert crosses[0].direction == "community → enterprise_party"
    assert (crosses[1].first_organisation, crosses[1].second_organisation) == ("PCO", "RC1")
    assert [x.person for x in s.cross_appointments(on=DAY)] == ["P1"]


def test_entry_pairs_detect_two_way_entry() -> None:
    s = hand_built()
    (pair,) = s.entry_pairs()
    assert (pair.community, pair.company) == ("C1", "PCO")
    assert (pair.community_to_company, pair.company_to_community) == (1, 1)
    assert pair.two_way
    assert pair.kind == "two-way"
    (one_way,) = s.entry_pairs(on=DAY)  # P2's committee seat ended in 2023
    assert (one_way.community_to_company, one_way.company_to_community) == (1, 0)
    assert not one_way.two_way
    assert one_way.kind == "community-to-company"


def test_uncovered_known_answers() -> None:
    s = hand_built()
    assert s.uncovered("building") == ["B2"]
    assert s.uncovered("unit") == ["U2", "U3"]  # U2's head left at the end of 2023
    assert s.uncovered("unit", on=D(2022, 1, 1)) == ["U1", "U3"]
    assert s.uncovered(AreaLevel.HOUSEHOLD) == ["H2", "H3"]
    assert s.uncovered("household", on=D(2022, 1, 1)) == ["H3"]
    with pytest.raises(ValueError, match="grid"):
        s.uncovered("grid")


def test_rollup_known_answers() -> None:
    s = hand_built()
    grids = s.rollup("grid").rows(named=True)
    assert [(g["id"], g["name"], g["households"], g["residents"]) for g in grids] == [
        ("G1", "一网格", 3, 9),
        ("G2", "二网格", 1, 1),
    ]
    # G1 holds BH1, BH2, UH1, UH2, UH3; on the reference date BH1 and UH1 are filled.
    assert [(g["posts"], g["posts_filled"], g["posts_vacant"]) for g in grids] == [
        (5, 2, 3),
        (0, 0, 0),
    ]
    assert [(g["party_members"], g["linked_households"]) for g in grids] == [(1, 1), (1, 1)]
    (c1,) = s.rollup("community").rows(named=True)
    assert (c1["households"], c1["residents"], c1["party_members"]) == (4, 10, 2)
    # C1 also holds the posts of the organisations serving it: SEC (PB1), CM (RC1), MGR (PCO).
    assert (c1["posts"], c1["posts_filled"], c1["posts_vacant"]) == (8, 5, 3)
    units = s.rollup("unit").rows(named=True)
    assert [(u["id"], u["households"]) for u in units] == [("U1", 2), ("U2", 1), ("U3", 0)]


@pytest.mark.parametrize(
    ("day", "expected"),
    [(D(2018, 12, 31), []), (D(2020, 1, 1), ["A1", "A3", "A5", "A6", "A8"])],
)
def test_as_of_known_answers(day: dt.date, expected: list[str]) -> None:
    assert [a.id for a in hand_built().as_of(day).appointments] == expected


def test_lookups_materialise_models() -> None:
    s = hand_built()
    assert isinstance(s.area("G1"), Grid)
    assert s.household("H1").residents == 3
    assert s.organisation("PCO").kind.value == "property_company"
    assert s.post("SEC").kind.value == "secretary"
    assert s.person("P2").party is not None


def test_repr_is_a_short_summary() -> None:
    text = repr(hand_built())
    assert text == str(hand_built())
    assert "areas=9" in text
    assert "households=4" in text


def test_integrity_failure_is_a_structure_error_not_a_validation_error() -> None:
    with pytest.raises(StructureError) as info:
        Structure(areas=[{"id": "G1", "level": "grid", "parent": "S0"}])
    assert info.value.codes == ["dangling-reference"]


# -- every problem in one pass (issue 8) --------------------------------------------------
def test_field_problems_do_not_hide_integrity_problems() -> None:
    # issue 8: a file with 5 problems reported 1 (the field problem) until it was fixed
    data: dict[str, Any] = {
        "areas": [
            {"id": "S1", "level": "street"},
            {"id": "C1", "level": "community", "parent": "S1"},
            {"id": "G1", "level": "grid", "parent": "C1"},
            {"id": "G2", "level": "grid", "parent": "C9"},  # 2: dangling
        ],
        "households": [
            {"id": "H1", "parent": "G1", "residents": "one"},  # 1: field problem
            {"id": "H2", "parent": "G9"},  # 3: dangling
        ],
        "people": [{"id": "P1", "household": "H8", "party": {}}],  # 4: dangling
        "posts": [{"id": "PO1", "kind": "liaison", "organisation": "O9"}],  # 5: dangling
        "linked_households": [{"member": "P1", "household": "H1"}],  # H1 left out: not dangling
    }
    for attempt in (
        lambda: Structure.model_validate(data),
        lambda: Structure(**data),
        lambda: Structure.model_validate_json(json.dumps(data)),
    ):
        with pytest.raises(StructureError) as info:
            attempt()
        assert [(p.code, p.location) for p in info.value.problems] == [
            ("bad-type", "households row 1, column residents"),
            ("dangling-reference", "area:G2"),
            ("dangling-reference", "household:H2"),
            ("dangling-reference", "person:P1"),
            ("dangling-reference", "post:PO1"),
        ]
        assert type(info.value.__cause__).__name__ == "ValidationError"


def test_an_entity_left_out_for_a_field_problem_is_not_a_dangling_target() -> None:
    data = {
        "organisations": [{"id": "O1", "kind": "no_such_kind"}],
        "posts": [{"id": "PO1", "kind": "liaison", "organisation": "O1"}],
        "people": [{"id": "P1", "birth_year": 1500}],
        "appointments": [{"id": "A1", "person": "P1", "post": "PO1"}],
    }
    with pytest.raises(StructureError) as info:
        Structure.model_validate(data)
    codes = info.value.codes
    assert "dangling-reference" not in codes
    assert all(c == c.lower() and "_" not in c for c in codes), codes  # kebab-case
    assert {p.location.split(".")[0] for p in info.value.problems} == {
        "organisations[0]",
        "people[0]",
    }


def test_an_empty_structure_is_valid_and_says_so() -> None:
    assert Structure.model_validate({}).is_empty
    assert Structure(name="nothing yet").is_empty
    one = Structure.model_validate({"areas": [{"id": "S1", "level": "street"}]})
    assert not one.is_empty


@FEW
@given(structures(min_households=1, max_households=30), st.data())
def test_one_bad_cell_or_field_is_the_only_problem_reported(
    s: Structure, draw: st.DataObject
) -> None:
    # the parts left out for field problems raise no integrity problems of their own
    data = s.model_dump(context={"include_personal": True})
    data["households"] = list(data["households"])
    row = draw.draw(st.integers(0, len(data["households"]) - 1), label="household row")
    data["households"][row] = {**data["households"][row], "residents": "many"}
    with pytest.raises(StructureError) as info:
        Structure.model_validate(data)
    assert [(p.code, p.location) for p in info.value.problems] == [
        ("bad-type", f"households row {row + 1}, column residents")
    ]
    if s.organisations:
        data = s.model_dump(context={"include_personal": True})
        k = draw.draw(st.integers(0, len(s.organisations) - 1), label="organisation")
        data["organisations"] = list(data["organisations"])
        data["organisations"][k] = {**data["organisations"][k], "kind": "no_such_kind"}
        with pytest.raises(StructureError) as info:
            Structure.model_validate(data)
        assert {p.location.split(".")[0] for p in info.value.problems} == {f"organisations[{k}]"}
