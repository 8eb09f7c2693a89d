"""Tests of the synthetic-city generator: determinism, structure, shares, codes, scale."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from functools import cache

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gridgov.datasets import CityParams, synthetic_city
from gridgov.datasets.synthetic import REFERENCE_DATE
from gridgov.org import AreaLevel, MemberService, OrgKind, PostKind, Structure
from gridgov.org.codes import get_scheme
from gridgov.org.profiles import load_profile

DAY = REFERENCE_DATE


@cache
def city(households: int = 3_000, seed: int = 7, profile: str = "default") -> Structure:
    return synthetic_city(households=households, seed=seed, profile=profile)


@cache
def smoke() -> Structure:
    # the scale smoke test of the brief: 20 000 households under the youyi band (200-300)
    return synthetic_city(households=20_000, seed=11, profile="youyi", vacancy_rate=0.0)


def areas_at(s: Structure, level: str) -> list[str]:
    frame = s.areas.frame
    return frame.filter(frame["level"] == level).get_column("id").to_list()


def holders_on(s: Structure, day: dt.date = DAY) -> dict[str, set[str]]:
    """Post id -> people holding it on the day."""
    out: dict[str, set[str]] = defaultdict(set)
    for a in s.appointments:
        if a.valid_on(day):
            out[a.post].add(a.person)
    return out


# -- determinism ------------------------------------------------------------------------------
def test_same_seed_gives_equal_dump() -> None:
    a = synthetic_city(households=3_000, seed=7)
    b = synthetic_city(households=3_000, seed=7)
    assert a is not b
    assert a.model_dump() == b.model_dump()


def test_different_seed_gives_different_city() -> None:
    a, b = city(seed=7), city(seed=8)
    assert a.model_dump() != b.model_dump()
    assert len(a.households) == len(b.households) == 3_000


# -- scale smoke (20 000 households) ----------------------------------------------------------
def test_smoke_validates_and_respects_band() -> None:
    s = smoke()
    lo, hi = load_profile("youyi").get("grid.households")  # [200, 300]
    grids = s.rollup("grid")
    assert grids.get_column("households").sum() == 20_000
    assert grids.get_column("households").min() >= lo
    assert grids.get_column("households").max() <= hi
    # re-validating the dump finds no integrity problem either
    again = Structure.model_validate(s.model_dump())
    assert len(again.households) == 20_000


def test_default_profile_band() -> None:
    lo, hi = load_profile("default").get("grid.households")  # [300, 500]
    counts = city().rollup("grid").get_column("households")
    assert counts.min() >= lo
    assert counts.max() <= hi


def test_every_grid_has_a_party_group_and_a_grid_worker() -> None:
    s = smoke()
    grids = set(areas_at(s, "grid"))
    groups = Counter(o.area for o in s.organisations if o.kind is OrgKind.GRID_PARTY_GROUP)
    assert set(groups) == grids
    assert set(groups.values()) == {1}
    held = holders_on(s)
    workers = {p.area for p in s.posts if p.kind is PostKind.GRID_WORKER and held.get(p.id)}
    assert workers == grids


def test_party_tree_reaches_homes() -> None:
    s = city()
    orgs = {o.id: o for o in s.organisations}
    for o in s.organisations:
        if o.kind is OrgKind.PARTY_MEMBER_HOME:
            group = orgs[o.parent or ""]
            branch = orgs[group.parent or ""]
            street = orgs[branch.parent or ""]
            county = orgs[street.parent or ""]
            assert group.kind is OrgKind.GRID_PARTY_GROUP
            assert branch.kind in {OrgKind.PARTY_BRANCH, OrgKind.GENERAL_BRANCH}
            assert street.kind is OrgKind.WORKING_COMMITTEE
            assert county.kind is OrgKind.PARTY_COMMITTEE
            assert county.parent is None


def test_buildings_units_and_households_nest() -> None:
    s = city()
    ix = s.index
    depth = Counter(int(d) for d in ix.depth)
    units = depth[AreaLevel.UNIT.depth]
    buildings = depth[AreaLevel.BUILDING.depth]
    assert 2 <= units / buildings <= 4  # 2-4 units per building (CityParams default)
    per_unit = len(s.households) / units
    assert 10 <= per_unit <= 14  # 5-7 floors x 2 households


# -- shares -----------------------------------------------------------------------------------
def test_party_members_are_six_to_seven_percent_of_residents() -> None:
    s = smoke()
    total = s.rollup("district").row(0, named=True)
    share = total["party_members"] / total["residents"]
    assert 0.06 <= share <= 0.07  # CityParams.party_share = 0.065 (brief: 6-7 %)
    assert 2.5 <= total["residents"] / total["households"] <= 2.7  # ~2.6 per household


def test_members_in_service_and_retired() -> None:
    s = smoke()
    services = Counter(p.party.service for p in s.people if p.party is not None)
    assert services[MemberService.RETIRED] > services[MemberService.IN_SERVICE] > 0
    assert services[MemberService.FLOWING] > 0


def test_report_backs_go_to_the_grid_of_residence() -> None:
    s = city()
    grid_of = s.index.household_ancestor_at(AreaLevel.GRID)
    people = {p.id: p for p in s.people}
    assert s.report_backs
    for rb in s.report_backs:
        person = people[rb.member]
        assert person.party is not None
        assert person.party.service is MemberService.IN_SERVICE
        row = s.households.position(person.household or "")
        assert row is not None
        assert s.index.ids[int(grid_of[row])] == rb.grid


def test_linked_households_per_member_in_own_grid() -> None:
    s = city()
    frame = s.linked_households.frame
    per_member = Counter(frame.get_column("member").to_list())
    assert set(per_member.values()) <= set(range(5, 16))  # 5-15 households each
    grid_of = s.index.household_ancestor_at(AreaLevel.GRID)
    pos = {h: k for k, h in enumerate(s.households.frame.get_column("id").to_list())}
    home = {p.id: pos[p.household] for p in s.people if p.party and p.household}
    for member, household in frame.select("member", "household").head(2_000).iter_rows():
        assert grid_of[pos[household]] == grid_of[home[member]]


def test_realistic_vacancies_in_the_default_city() -> None:
    s = smoke()
    assert s.vacancies() == []  # vacancy_rate=0
    vacant = city().vacancies()
    posts = len(city().posts)
    assert 0 < len(vacant) < 0.06 * posts  # about 3 % of the counted posts


def test_group_leaders_are_members_and_heads_live_there() -> None:
    s = city()
    people = {p.id: p for p in s.people}
    posts = {p.id: p for p in s.posts}
    unit_of = dict(s.households.frame.select("id", "parent").iter_rows())
    for a in s.appointments:
        post = posts[a.post]
        person = people[a.person]
        if post.kind is PostKind.PARTY_GROUP_LEADER:
            assert person.party is not None
        if post.kind is PostKind.UNIT_HEAD:
            assert unit_of[person.household or ""] == post.area


def test_people_per_household_never_exceed_residents() -> None:
    s = city()
    living = Counter(p.household for p in s.people if p.household)
    residents = dict(s.households.frame.select("id", "residents").iter_rows())
    assert all(n <= residents[h] for h, n in living.items())


# -- codes ------------------------------------------------------------------------------------
def test_codes_carry_their_parents_prefix() -> None:
    s = smoke()
    scheme = get_scheme(s.code_scheme or "")
    assert scheme.name == load_profile("youyi").get("code.scheme")
    codes = dict(s.areas.frame.select("id", "code").iter_rows())
    checked = 0
    for area in areas_at(s, "grid") + areas_at(s, "community") + areas_at(s, "street"):
        parent = s.parent(area)
        assert parent is not None
        assert codes[area] is not None
        assert scheme.check_child(codes[parent], codes[area], immediate=True) is None
        assert codes[area].startswith(scheme.parse(codes[parent]).prefix)
        checked += 1
    assert checked > 80
    assert [f for f in s.check(profile="youyi") if f.rule == "grid_codes_valid"] == []


def test_other_scheme() -> None:
    s = synthetic_city(households=1_200, seed=3, code_scheme="db11_15")
    assert s.code_scheme == "db11_15"
    grid_codes = [a.code for a in s.areas if a.level is AreaLevel.GRID]
    assert all(c is not None and len(c) == 15 for c in grid_codes)


# -- relations --------------------------------------------------------------------------------
def test_joint_committees_rotate_validly_and_agreements_cover_communities() -> None:
    s = city(households=20_000, seed=4)
    assert s.joint_committees
    for jc in s.joint_committees:
        assert jc.rotation_problems() == []
        assert any(t.valid_on(DAY) for t in jc.chair_rotation)
    communities = set(areas_at(s, "community"))
    assert {a.community for a in s.agreements} == communities
    assert all(len(a.projects) >= 1 for a in s.agreements)


def test_compounds_are_managed_or_self_governed() -> None:
    s = city()
    assert all((c.property_company is None) == c.self_governed for c in s.compounds)
    assert any(c.self_governed for c in s.compounds)
    assert sum(len(c.buildings) for c in s.compounds) == len(areas_at(s, "building"))


def test_cross_appointments_between_communities_and_companies() -> None:
    s = city(households=20_000, seed=4)
    pairs = s.entry_pairs(on=DAY)
    assert pairs
    assert any(p.two_way for p in pairs)


def test_synthetic_names_and_ids_look_synthetic() -> None:
    s = city()
    assert all(p.id_number is None and p.phone is None for p in s.people)
    assert s.name.startswith("合成市")
    communities = [a.name for a in s.areas if a.level is AreaLevel.COMMUNITY]
    assert all(n.endswith("社区") for n in communities)
    assert len(set(communities)) == len(communities)


# -- parameters and errors --------------------------------------------------------------------
def test_unknown_option_names_the_options() -> None:
    with pytest.raises(TypeError, match=r"unknown option.*party_shar.*options:.*party_share"):
        synthetic_city(households=500, party_shar=0.1)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"households": 0}, "households must be at least 1"),
        ({"party_share": 1.5}, r"party_share must lie in \[0, 1\]"),
        ({"households": 1_000, "grids": 10}, "cannot form 10 grids"),
        ({"reference_date": dt.date(2020, 1, 1)}, "reference_date"),
        ({"seed": -1}, "seed must be a non-negative int"),
    ],
)
def test_invalid_parameters(options: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        synthetic_city(**options)  # type: ignore[arg-type]  # deliberately wrong values


def test_params_are_checked_on_their_own() -> None:
    with pytest.raises(ValueError, match="links_per_member must be a range"):
        CityParams(links_per_member=(9, 3))
    assert CityParams().households == 20_000


def test_progress_is_reported() -> None:
    seen: list[tuple[str, float]] = []
    synthetic_city(households=600, seed=1, progress=lambda stage, f: seen.append((stage, f)))
    fractions = [f for _, f in seen]
    assert fractions == sorted(fractions)
    assert seen[0][1] == 0.0
    assert seen[-1] == ("done", 1.0)


@pytest.mark.parametrize(("households", "grids"), [(40, 1), (501, 2), (599, 2), (600, 2)])
def test_small_cities_still_validate(households: int, grids: int) -> None:
    s = synthetic_city(households=households, seed=2)
    assert len(s.households) == households
    assert s.rollup("grid").height == grids


@settings(max_examples=6, deadline=None)
@given(households=st.integers(min_value=300, max_value=2_500), seed=st.integers(0, 2**31))
def test_any_small_city_validates_and_respects_the_band(households: int, seed: int) -> None:
    s = synthetic_city(households=households, seed=seed)
    counts = s.rollup("grid").get_column("households")
    assert counts.sum() == households
    assert counts.max() <= 500
    fits = -(-households // 500) <= households // 300  # some number of grids fits 300-500
    assert counts.min() >= (300 if fits else households // len(counts))
    held = holders_on(s)
    grids = len(counts)
    assert sum(1 for o in s.organisations if o.kind is OrgKind.GRID_PARTY_GROUP) == grids
    assert len(held) > 0
    assert np.isfinite(counts.to_numpy()).all()


@pytest.mark.parametrize(
    ("households", "seed", "options", "message"),
    [
        (
            99_999_999_999_999,
            0,
            {},
            "households must be at most 10,000,000, got 99,999,999,999,999",
        ),
        ("500", 0, {}, "households must be an int, not str"),
        (True, 0, {}, "households must be an int, not bool"),
        (500, 1.5, {}, "seed must be a non-negative int, got 1.5"),
        (0, -1, {"party_shar": 0.1}, "at least 1.*seed must be.*unknown option"),
    ],
)
def test_arguments_are_refused_before_generating(
    households: object, seed: object, options: dict[str, object], message: str
) -> None:
    from gridgov.datasets.synthetic import check_city_arguments
    from gridgov.errors import DatasetError

    with pytest.raises(DatasetError, match=message) as info:
        synthetic_city(households, seed=seed, **options)  # type: ignore[arg-type]
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, TypeError)
    with pytest.raises(DatasetError, match=message):
        check_city_arguments(households, seed=seed, **options)
