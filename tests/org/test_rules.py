"""Tests for gridgov.org.rules: the catalogue, check(), the registry and findings."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gridgov.errors import ProfileError, RuleError
from gridgov.org import HouseholdTable, Structure
from gridgov.org import rules as rules_module
from gridgov.org.codes import CJT349_20
from gridgov.org.profiles import Profile, load_profile
from gridgov.org.rules import (
    Finding,
    FunctionRule,
    NoParams,
    RuleContext,
    available_rules,
    check,
    get_rule,
    register_rule,
    rule,
    validate_profile,
)
from gridgov.testing import structures

REF = dt.date(2024, 6, 30)
EARLY = dt.date(2023, 1, 1)
LATER = dt.date(2023, 6, 1)
CJK = re.compile(r"[\u4e00-\u9fff]")

CATALOGUE = [
    "building_head_per_building",
    "company_party_building",
    "company_publishes_service_items",
    "compound_has_manager",
    "grid_codes_valid",
    "grid_household_band",
    "grid_worker_per_grid",
    "in_service_members_registered",
    "party_group_leader_is_member",
    "party_group_per_grid",
    "service_centre_area",
    "two_way_entry",
    "unit_head_per_unit",
]

# grid id -> buildings -> households per unit. Youyi's band is 200-300 households per grid
# (seed report, 友谊县: 以200—300户为单位).
VALID: dict[str, list[list[int]]] = {"G1": [[60, 60], [60, 60]], "G2": [[105, 105]]}


def _code(community: int = 0, grid: int = 0) -> str:
    return CJT349_20.format(
        service_object="100100", district="230522", street=100, community=community, grid=grid
    )


def build(
    spec: Mapping[str, Sequence[Sequence[int]]] = VALID,
    *,
    drop: Iterable[str] = (),
    code_scheme: str | None = "cjt349_20",
) -> dict[str, Any]:
    """Plain data of a structure that passes every youyi and bozhou rule.

    Every grid gets a code, a grid party group with a leader who is a party member, a filled
    full-time grid-worker post; every building and unit a head; an in-service party member
    living in the first household of each grid reports back to that grid. Compound CP1 is
    managed by PC1 (which hosts party organisation EP1 and has party building in its charter),
    CP2 governs itself. X and Y are cross-appointed between residents' committee RC1 and PC1 in
    both directions. ``drop`` removes entities by id (with the posts and appointments that
    depend on them).
    """
    areas: list[dict[str, Any]] = [
        {"id": "S1", "level": "street", "name": "桂花桥街道", "code": _code()},
        {"id": "C1", "level": "community", "parent": "S1", "name": "遵南社区", "code": _code(1)},
    ]
    hh: dict[str, list[Any]] = {"id": [], "parent": [], "residents": []}
    orgs: list[dict[str, Any]] = [
        {"id": "WC1", "kind": "working_committee", "area": "C1"},
        {"id": "PB1", "kind": "party_branch", "parent": "WC1", "area": "C1"},
        {"id": "RC1", "kind": "residents_committee", "area": "C1"},
        {
            "id": "SC1",
            "kind": "service_facility",
            "area": "C1",
            "facility_kind": "party_mass_service_centre",
            "floor_area_m2": 350.0,
            "resident_space_share": 0.85,
        },
        {"id": "IPC", "kind": "industry_party_committee"},
        {
            "id": "PC1",
            "kind": "property_company",
            "charter_includes_party_building": True,
            "publishes_service_items": True,
        },
        {"id": "EP1", "kind": "enterprise_party_org", "parent": "IPC", "host": "PC1"},
    ]
    people: list[dict[str, Any]] = []
    posts: list[dict[str, Any]] = []
    appointments: list[dict[str, Any]] = []
    report_backs: list[dict[str, Any]] = []
    buildings: list[str] = []

    def staff(post_id: str, kind: str, org: str, area: str | None, *, member: bool) -> None:
        person = f"P-{post_id}"
        posts.append({"id": post_id, "kind": kind, "organisation": org, "area": area})
        people.append({"id": person, "party": {"service": "retired"} if member else None})
        appointments.append({"id": f"A-{post_id}", "person": person, "post": post_id})

    for g, (grid, blds) in enumerate(spec.items(), start=1):
        areas.append({"id": grid, "level": "grid", "parent": "C1", "code": _code(1, g)})
        orgs.append({"id": f"PG-{grid}", "kind": "grid_party_group", "parent": "PB1", "area": grid})
        staff(f"PGL-{grid}", "party_group_leader", f"PG-{grid}", None, member=True)
        staff(f"GW-{grid}", "grid_worker", "RC1", grid, member=False)
        for b, units in enumerate(blds, start=1):
            building = f"B-{grid}-{b}"
            buildings.append(building)
            areas.append({"id": building, "level": "building", "parent": grid})
            staff(f"BH-{building}", "building_head", "RC1", building, member=False)
            for u, count in enumerate(units, start=1):
                unit = f"{building}-{u}"
                areas.append({"id": unit, "level": "unit", "parent": building})
                staff(f"UH-{unit}", "unit_head", "RC1", unit, member=False)
                for k in range(count):
                    hh["id"].append(f"H-{unit}-{k}")
                    hh["parent"].append(unit)
                    hh["residents"].append(1 + k % 4)
        first = next(h for h, p in zip(hh["id"], hh["parent"], strict=True) if grid in p)
        people.append(
            {
                "id": f"M-{grid}",
                "name": "李四",
                "household": first,
                "party": {"service": "in_service", "employer": "IPC"},
            }
        )
        report_backs.append({"id": f"RB-{grid}", "member": f"M-{grid}", "grid": grid})

    # two-way entry between community C1 (RC1) and company PC1 (EP1 is hosted by PC1)
    people += [{"id": "X", "party": {"service": "retired"}}, {"id": "Y"}]
    posts += [
        {"id": "RC1-MEMBER", "kind": "committee_member", "organisation": "RC1"},
        {"id": "EP1-BOARD", "kind": "board_member", "organisation": "EP1"},
        {"id": "PC1-MANAGER", "kind": "manager", "organisation": "PC1"},
        {"id": "RC1-LIAISON", "kind": "liaison", "organisation": "RC1"},
    ]
    appointments += [
        {"id": "AX1", "person": "X", "post": "RC1-MEMBER", "start": EARLY},
        {"id": "AX2", "person": "X", "post": "EP1-BOARD", "start": LATER},
        {"id": "AY1", "person": "Y", "post": "PC1-MANAGER", "start": EARLY},
        {"id": "AY2", "person": "Y", "post": "RC1-LIAISON", "start": LATER},
    ]
    compounds = [
        {"id": "CP1", "name": "佳慧小区", "buildings": buildings[:1], "property_company": "PC1"},
        {"id": "CP2", "buildings": buildings[1:], "self_governed": True},
    ]

    gone = set(drop)
    gone |= {p["id"] for p in posts if p["organisation"] in gone}
    gone |= {a["id"] for a in appointments if a["post"] in gone}

    def keep(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [x for x in items if x["id"] not in gone]

    return {
        "name": "test county",
        "code_scheme": code_scheme,
        "reference_date": REF,
        "areas": areas,
        "households": HouseholdTable.from_columns(hh),
        "organisations": keep(orgs),
        "people": people,
        "posts": keep(posts),
        "appointments": keep(appointments),
        "report_backs": keep(report_backs),
        "compounds": keep(compounds),
    }


def structure(spec: Mapping[str, Sequence[Sequence[int]]] = VALID, **kw: Any) -> Structure:
    return Structure.model_validate(build(spec, **kw))


def edit(data: dict[str, Any], field: str, item_id: str, **changes: Any) -> dict[str, Any]:
    """Replace fields of the item ``item_id`` in the list ``data[field]``."""
    items = data[field]
    at = next(i for i, x in enumerate(items) if x["id"] == item_id)
    items[at] = {**items[at], **changes}
    return data


def pairs(findings: Iterable[Finding]) -> list[tuple[str, str]]:
    return [(f.rule, f.subject) for f in findings]


@pytest.fixture(scope="module")
def valid() -> Structure:
    return structure()


# -- the whole catalogue ----------------------------------------------------------------------


def test_catalogue_is_registered() -> None:
    assert set(CATALOGUE) <= set(available_rules())
    for rid in CATALOGUE:
        r = get_rule(rid)
        assert r.id == rid
        assert r.label_en
        assert CJK.search(r.label_zh)
        assert r.severity in {"error", "warning", "info"}


@pytest.mark.parametrize("name", ["bozhou", "default", "huanan", "youyi"])
def test_every_shipped_profile_resolves_its_rules(name: str) -> None:
    resolved = validate_profile(name)
    assert set(resolved) == set(load_profile(name).enabled_rules())


def test_valid_structure_passes_every_youyi_rule(valid: Structure) -> None:
    youyi = load_profile("youyi")
    assert len(youyi.enabled_rules()) >= 11
    assert check(valid, "youyi") == []
    assert valid.check(profile="youyi") == []


def test_valid_structure_passes_every_rule_of_the_catalogue(valid: Structure) -> None:
    profile = load_profile(
        {
            "name": "everything",
            "extends": "huanan",
            "values": {
                "grid.households": {"value": [200, 300], "source": "t", "confidence": "assumed"}
            },
            "rules": {rid: {"enabled": True} for rid in CATALOGUE},
        }
    )
    assert sorted(profile.enabled_rules()) == CATALOGUE
    assert check(valid, profile) == []


def test_the_three_findings_of_the_issue() -> None:
    # a 320-household grid, a grid without a party group, a building without a head
    spec = {"G1": [[160, 160]], "G2": [[105, 105]], "G3": [[120, 120]]}
    s = structure(spec, drop={"PG-G3", "A-BH-B-G2-1"})
    assert pairs(check(s, "youyi")) == [
        ("building_head_per_building", "B-G2-1"),
        ("grid_household_band", "G1"),
        ("party_group_per_grid", "G3"),
    ]
    assert pairs(s.check("youyi")) == pairs(check(s, "youyi"))


def test_findings_are_sorted_and_bilingual() -> None:
    data = build({"G1": [[10]], "G2": [[400]]}, drop={"PG-G1", "A-GW-G2", "RB-G1", "CP2"})
    edit(data, "people", "P-PGL-G2", party=None)
    found = check(Structure.model_validate(data), "youyi")
    assert found == sorted(found, key=Finding.sort_key)
    assert found[0].severity == "error"
    assert {f.rule for f in found} >= {
        "grid_household_band",
        "party_group_per_grid",
        "grid_worker_per_grid",
        "party_group_leader_is_member",
        "in_service_members_registered",
    }
    for f in found:
        assert CJK.search(f.message_zh), f
        # English apart from the names of things, which are given in parentheses
        assert not CJK.search(re.sub(r"\(.*?\)", "", f.message)), f
        assert f.text("zh").startswith(("错误", "警告", "提示"))
        assert f.text() == str(f)


# -- one test per rule ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "expected"),
    [(199, "fewer"), (200, None), (250, None), (300, None), (301, "more")],
)
def test_grid_household_band(count: int, expected: str | None) -> None:
    s = structure({"G1": [[count]], "G2": [[250]]})
    found = get_rule("grid_household_band")(s, "youyi")
    if expected is None:
        assert found == []
        return
    [f] = found
    assert (f.rule, f.subject, f.severity) == ("grid_household_band", "G1", "warning")
    assert f"{count} households, {expected} than the band 200–300" in f.message
    assert f"{count} 户" in f.message_zh
    assert f.data == {"households": count, "band": [200, 300]}


def test_grid_household_band_counts_only_households_valid_on_the_day() -> None:
    data = build({"G1": [[201]], "G2": [[250]]})
    frame = data["households"].frame
    moved_out = pl.col("id").is_in(["H-B-G1-1-1-0", "H-B-G1-1-1-1", "H-B-G1-1-1-2"])
    data["households"] = HouseholdTable(
        frame.with_columns(end=pl.when(moved_out).then(dt.date(2024, 1, 1)).otherwise(None))
    )
    found = check(Structure.model_validate(data), "youyi")
    assert pairs(found) == [("grid_household_band", "G1")]
    assert found[0].data["households"] == 198


def test_party_group_per_grid(valid: Structure) -> None:
    r = get_rule("party_group_per_grid")
    assert r(valid, "youyi") == []
    missing = r(structure(drop={"PG-G2"}), "youyi")
    assert pairs(missing) == [("party_group_per_grid", "G2")]
    assert "no grid party group" in missing[0].message
    assert "没有建立网格党小组" in missing[0].message_zh

    data = build()
    data["organisations"].append(
        {"id": "PG-extra", "kind": "grid_party_group", "parent": "PB1", "area": "G1"}
    )
    data["organisations"].append({"id": "PG-nowhere", "kind": "grid_party_group", "parent": "PB1"})
    found = r(Structure.model_validate(data), "youyi")
    assert pairs(found) == [("party_group_per_grid", "G1"), ("party_group_per_grid", "PG-nowhere")]
    assert "2 grid party groups (PG-G1, PG-extra), expected 1" in found[0].message
    assert found[1].message == "grid party group PG-nowhere covers no grid (its area is not set)"


def test_grid_worker_per_grid(valid: Structure) -> None:
    r = get_rule("grid_worker_per_grid")
    assert r(valid, "youyi") == []
    vacant = r(structure(drop={"A-GW-G1"}), "youyi")
    assert pairs(vacant) == [("grid_worker_per_grid", "G1")]
    assert "vacant post(s): GW-G1" in vacant[0].message
    assert "空缺岗位" in vacant[0].message_zh
    none = r(structure(drop={"GW-G2"}), "youyi")
    assert pairs(none) == [("grid_worker_per_grid", "G2")]
    assert "0 full-time grid worker(s) in post" in none[0].message


def test_grid_worker_post_may_take_its_grid_from_its_organisation() -> None:
    data = build(drop={"GW-G1"})
    data["organisations"].append({"id": "STATION-G1", "kind": "social_organisation", "area": "G1"})
    data["posts"].append({"id": "GW-X", "kind": "grid_worker", "organisation": "STATION-G1"})
    data["people"].append({"id": "W"})
    data["appointments"].append({"id": "A-GW-X", "person": "W", "post": "GW-X"})
    assert get_rule("grid_worker_per_grid")(Structure.model_validate(data), "youyi") == []


def test_building_head_per_building(valid: Structure) -> None:
    r = get_rule("building_head_per_building")
    assert r(valid, "youyi") == []
    found = r(structure(drop={"BH-B-G1-2"}), "youyi")
    assert pairs(found) == [("building_head_per_building", "B-G1-2")]
    assert found[0].message == "building B-G1-2 has no building head"
    assert found[0].message_zh == "楼栋 B-G1-2 没有楼长"


def test_unit_head_per_unit(valid: Structure) -> None:
    r = get_rule("unit_head_per_unit")
    assert r(valid, "youyi") == []
    found = r(structure(drop={"A-UH-B-G2-1-2"}), "youyi")
    assert pairs(found) == [("unit_head_per_unit", "B-G2-1-2")]
    assert "单元长" in found[0].message_zh


def test_party_group_leader_is_member(valid: Structure) -> None:
    r = get_rule("party_group_leader_is_member")
    assert r(valid, "default") == []
    data = edit(build(), "people", "P-PGL-G1", party=None, name="王五")
    [f] = r(Structure.model_validate(data), "default")
    assert (f.subject, f.severity) == ("P-PGL-G1", "error")
    assert "P-PGL-G1 (王五) holds party-group leader post PGL-G1 of PG-G1" in f.message
    assert "不是党员" in f.message_zh


def test_in_service_members_registered(valid: Structure) -> None:
    r = get_rule("in_service_members_registered")
    assert r(valid, "youyi") == []
    missing = r(structure(drop={"RB-G1"}), "youyi")
    assert pairs(missing) == [("in_service_members_registered", "M-G1")]
    assert "has not reported back to grid G1" in missing[0].message
    elsewhere = edit(build(), "report_backs", "RB-G2", grid="G1")
    [f] = r(Structure.model_validate(elsewhere), "youyi")
    assert f.subject == "M-G2"
    assert "reported back to G1, not to grid G2" in f.message
    homeless = edit(build(), "people", "M-G2", household=None)
    [f] = r(Structure.model_validate(homeless), "youyi")
    assert "no household" in f.message
    # retired members need not report back
    retired = edit(build(drop={"RB-G1"}), "people", "M-G1", party={"service": "retired"})
    assert r(Structure.model_validate(retired), "youyi") == []


def test_service_centre_area(valid: Structure) -> None:
    r = get_rule("service_centre_area")
    assert r(valid, "huanan") == []
    assert r(valid, "youyi") == []
    small = edit(build(), "organisations", "SC1", floor_area_m2=250.0, resident_space_share=0.7)
    s = Structure.model_validate(small)
    [f] = r(s, "huanan")  # 桦南县: ≥ 300 m², ≥ 80 % service area
    assert f.subject == "SC1"
    assert "floor area 250 m² is below 300 m²" in f.message
    assert "resident space share 70% is below 80%" in f.message
    assert r(s, "youyi") == []  # 友谊县: ≥ 60 % for residents, no floor area
    unknown = edit(build(), "organisations", "SC1", floor_area_m2=None)
    [f] = r(Structure.model_validate(unknown), "huanan")
    assert "floor area not recorded" in f.message


def test_service_centre_area_needs_a_threshold() -> None:
    with pytest.raises(RuleError, match=r"service_centre_area.*min_floor_area_m2"):
        get_rule("service_centre_area")(structure(), "default")


def test_compound_has_manager(valid: Structure) -> None:
    r = get_rule("compound_has_manager")
    assert r(valid, "default") == []
    data = edit(build(), "compounds", "CP2", self_governed=False)
    [f] = r(Structure.model_validate(data), "default")
    assert f.subject == "CP2"
    assert "not marked self-governed" in f.message
    ended = edit(build(), "compounds", "CP1", property_company="PC2")
    ended["organisations"].append(
        {"id": "PC2", "kind": "property_company", "end": dt.date(2024, 1, 1)}
    )
    [f] = r(Structure.model_validate(ended), "default")
    assert f.subject == "CP1"
    assert "not active on 2024-06-30" in f.message


def test_grid_codes_valid(valid: Structure) -> None:
    r = get_rule("grid_codes_valid")
    assert r(valid, "youyi") == []
    # youyi codes its grids (赋码管理): a grid without a code is a finding; default does not care
    uncoded = edit(build(), "areas", "G2", code=None)
    s = Structure.model_validate(uncoded)
    assert pairs(r(s, "youyi")) == [("grid_codes_valid", "G2")]
    assert r(s, "default") == []
    # a structure that names no scheme is checked under the profile's
    data = build(code_scheme=None)
    edit(data, "areas", "G1", code="12345")
    edit(data, "areas", "G2", code=_code())  # a street code, not a grid code
    data["areas"].append({"id": "G3", "level": "grid", "parent": "C1", "code": _code(2, 3)})
    data["areas"].append({"id": "G4", "level": "grid", "parent": "C1", "code": _code(1, 7)})
    data["areas"].append({"id": "G5", "level": "grid", "parent": "C1", "code": _code(1, 7)})
    found = r(Structure.model_validate(data), "default")
    assert pairs(found) == [("grid_codes_valid", g) for g in ("G1", "G2", "G3", "G4", "G5")]
    assert "expected 20" in found[0].message
    assert "not a grid" in found[1].message
    assert "prefix" in found[2].message
    assert "shared by 2 grids" in found[4].message
    # grid part 00 (CJ/T 349: an undivided community) is valid only for a community's one grid
    undivided = edit(build(code_scheme=None), "areas", "G1", code=_code(1))
    [f] = r(Structure.model_validate(undivided), "default")
    assert "undivided community (one grid), but the community has 2 grids" in f.message
    alone = build({"G1": [[250]]}, code_scheme=None)
    assert r(Structure.model_validate(edit(alone, "areas", "G1", code=_code(1))), "youyi") == []
    assert all(f.severity == "error" for f in found)


@settings(max_examples=10, deadline=None, database=None)
@given(structures(code_scheme="db11_15"))
def test_grid_codes_are_checked_under_the_structures_own_scheme(s: Structure) -> None:
    # issue 8: a valid 15-digit (db11_15) structure got "expected 20" errors under a profile
    # whose code.scheme is cjt349_20
    assert load_profile("youyi").get("code.scheme") == "cjt349_20"
    found = [f for f in check(s, "youyi") if f.rule == "grid_codes_valid"]
    assert all("has no code" in f.message for f in found), found[:3]


def test_grid_codes_valid_refuses_a_scheme_without_grids() -> None:
    profile = load_profile(
        {
            "name": "civil",
            "extends": "default",
            "values": {
                "code.scheme": {"value": "civil_affairs_12", "source": "t", "confidence": "assumed"}
            },
        }
    )
    with pytest.raises(RuleError, match="civil_affairs_12' does not code grids"):
        check(structure(), profile)


def test_two_way_entry(valid: Structure) -> None:
    r = get_rule("two_way_entry")
    assert r(valid, "bozhou") == []
    [f] = r(structure(drop={"AY2"}), "bozhou")
    assert (f.subject, f.severity) == ("PC1", "warning")
    assert "only from the community to the company (1)" in f.message
    assert "未实现双向进入" in f.message_zh
    assert r(structure(drop={"AY2"}), "default")[0].severity == "info"


def test_company_party_building(valid: Structure) -> None:
    r = get_rule("company_party_building")
    assert r(valid, "bozhou") == []
    data = edit(build(drop={"EP1"}), "organisations", "PC1", charter_includes_party_building=False)
    [f] = r(Structure.model_validate(data), "bozhou")
    assert f.subject == "PC1"
    assert "no party organisation of its own and has not written party building" in f.message
    assert f.message_zh == "物业企业 PC1 未建立物业党组织，未将党建工作写入公司章程"


def test_company_publishes_service_items(valid: Structure) -> None:
    r = get_rule("company_publishes_service_items")
    assert r(valid, "bozhou") == []
    data = edit(build(), "organisations", "PC1", publishes_service_items=False)
    assert pairs(r(Structure.model_validate(data), "bozhou")) == [
        ("company_publishes_service_items", "PC1")
    ]


# -- invariants -------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    counts=st.lists(st.integers(0, 60), min_size=1, max_size=8),
    lo=st.integers(0, 40),
    width=st.integers(0, 30),
)
def test_band_findings_are_exactly_the_grids_outside(
    counts: list[int], lo: int, width: int
) -> None:
    hi = lo + width
    grids = [f"G{i}" for i in range(len(counts))]
    areas = [{"id": "S", "level": "street"}, {"id": "C", "level": "community", "parent": "S"}]
    areas += [{"id": g, "level": "grid", "parent": "C"} for g in grids]
    parents = [g for g, n in zip(grids, counts, strict=True) for _ in range(n)]
    s = Structure(
        areas=areas,
        households=HouseholdTable.from_columns(
            {"id": [f"H{i}" for i in range(len(parents))], "parent": parents}
        ),
    )
    profile = load_profile(
        {
            "name": "band",
            "values": {
                "grid.households": {"value": [lo, hi], "source": "t", "confidence": "assumed"}
            },
            "rules": {"grid_household_band": {}},
        }
    )
    found = check(s, profile)
    outside = {g for g, n in zip(grids, counts, strict=True) if not lo <= n <= hi}
    assert {f.subject for f in found} == outside
    assert len(found) == len(outside)
    assert all(f.data["households"] == counts[grids.index(f.subject)] for f in found)


# -- the registry and errors ------------------------------------------------------------------


def test_get_rule_unknown_lists_available() -> None:
    with pytest.raises(RuleError, match="did you mean 'grid_household_band'") as info:
        get_rule("grid_households_band")
    assert "available: building_head_per_building" in str(info.value)


def test_profile_naming_an_unknown_rule_is_refused() -> None:
    typo = {"name": "typo", "rules": {"party_groups_per_grid": {}}}
    # a profile file (or mapping) is refused as it loads, with the closest rule id
    with pytest.raises(ProfileError, match="did you mean 'party_group_per_grid'"):
        load_profile(typo)
    # a Profile built in code is taken as resolved: check() still refuses it
    with pytest.raises(RuleError, match=r"unknown rule.*party_groups_per_grid"):
        check(structure(), Profile.model_validate(typo))


def test_bad_parameter_names_the_profile_key() -> None:
    profile = load_profile(
        {
            "name": "bad",
            "extends": "youyi",
            "values": {
                "grid.households": {"value": [300, 200], "source": "t", "confidence": "assumed"}
            },
        }
    )
    with pytest.raises(RuleError, match=r"grid_household_band.*'bad'.*grid\.households"):
        check(structure(), profile)


def test_rule_params_override_profile_values(valid: Structure) -> None:
    profile = load_profile(
        {
            "name": "strict",
            "extends": "youyi",
            "rules": {"grid_household_band": {"severity": "error", "params": {"band": [230, 300]}}},
        }
    )
    [f] = check(valid, profile)
    assert (f.rule, f.subject, f.severity) == ("grid_household_band", "G2", "error")


def test_disabled_rules_do_not_run() -> None:
    s = structure({"G1": [[1000]]})
    profile = load_profile(
        {"name": "quiet", "extends": "youyi", "rules": {"grid_household_band": {"enabled": False}}}
    )
    assert "grid_household_band" not in profile.enabled_rules()
    assert check(s, profile) == []


def test_unexpected_exception_becomes_rule_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(ctx: RuleContext[NoParams]) -> list[Finding]:
        return [ctx.finding("x", "x", "x")] if 1 / 0 else []

    broken = FunctionRule("exploding", "explodes", "爆炸", "error", NoParams, {}, explode)
    monkeypatch.setitem(rules_module._REGISTRY, "exploding", broken)
    profile = load_profile({"name": "boom", "rules": {"exploding": {}}})
    with pytest.raises(RuleError, match=r"rule 'exploding' failed.*ZeroDivisionError") as info:
        check(structure(), profile)
    assert isinstance(info.value.__cause__, ZeroDivisionError)


class _PluginRule:
    """A third-party rule written as a plain class, not with the decorator."""

    id = "plugin_rule"
    label_en = "plugin"
    label_zh = "插件规则"
    severity = "info"
    params = NoParams
    profile_keys: Mapping[str, str] = {}

    def __call__(
        self, structure: Structure, profile: Any, /, *, on: dt.date | None = None
    ) -> list[Finding]:
        raise KeyError("no such thing")


def test_a_plain_class_rule_registers_and_its_failure_is_wrapped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(rules_module, "_REGISTRY", dict(rules_module._REGISTRY))
    register_rule(_PluginRule())
    profile = load_profile({"name": "p", "rules": {"plugin_rule": {}}})
    with pytest.raises(RuleError, match=r"rule 'plugin_rule' failed.*KeyError") as info:
        check(structure(), profile)
    assert isinstance(info.value.__cause__, KeyError)


def test_rule_decorator_registers_and_refuses_duplicates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rules_module, "_REGISTRY", dict(rules_module._REGISTRY))

    @rule("streets_named", label_en="streets are named", label_zh="街道有名称", severity="info")
    def streets_named(ctx: RuleContext[NoParams]) -> list[Finding]:
        """Streets without a name."""
        frame = ctx.structure.areas.frame.filter(level="street", name="")
        return [
            ctx.finding(i, f"street {i} has no name", f"街道 {i} 没有名称") for i in frame["id"]
        ]

    assert "streets_named" in available_rules()
    assert streets_named.description == "Streets without a name."
    s = Structure(areas=[{"id": "S9", "level": "street"}])
    [f] = check(s, load_profile({"name": "n", "rules": {"streets_named": {}}}))
    assert (f.rule, f.subject, f.severity) == ("streets_named", "S9", "info")
    assert f.text("zh") == "提示：[街道有名称] 街道 S9 没有名称"
    with pytest.raises(RuleError, match="already registered"):
        register_rule(streets_named)
    assert register_rule(streets_named, replace=True) is streets_named


def test_register_rule_checks_the_protocol() -> None:
    with pytest.raises(RuleError, match="lacks part of the Rule protocol"):
        register_rule(object())  # type: ignore[arg-type]  # the point of the test
    bad_id = FunctionRule("Bad-Id", "x", "x", "error", NoParams, {}, lambda ctx: [])
    with pytest.raises(RuleError, match="snake_case"):
        register_rule(bad_id)
    bad_key = FunctionRule("bad_key", "x", "x", "error", NoParams, {"nope": "a.b"}, lambda ctx: [])
    with pytest.raises(RuleError, match="unknown parameter"):
        register_rule(bad_key)


def test_finding_text_in_both_languages() -> None:
    f = Finding(
        rule="grid_household_band",
        severity="warning",
        subject="G1",
        message="grid G1 has 320 households",
        message_zh="网格 G1 有 320 户",
    )
    assert f.text("en") == "warning: [grid_household_band] grid G1 has 320 households"
    assert f.text("zh") == "警告：[网格户数在规定范围内] 网格 G1 有 320 户"
    with pytest.raises(ValueError, match="frozen"):
        f.subject = "G2"  # type: ignore[misc]  # the point of the test


def test_check_on_a_past_day() -> None:
    data = build()
    for item in data["appointments"]:
        if item["id"] == "A-GW-G1":
            item["start"] = dt.date(2024, 1, 1)
    s = Structure.model_validate(data)
    assert check(s, "youyi") == []
    assert pairs(check(s, "youyi", on=dt.date(2023, 12, 31))) == [("grid_worker_per_grid", "G1")]
