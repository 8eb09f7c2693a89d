"""Tests of the bundled examples: calibration to DOMAIN.md, rules, privacy, errors.

Every expected number is a figure of the seed reports restated in DOMAIN.md; the comment on
each assertion quotes the seed sentence it comes from.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from functools import cache

import polars as pl
import pytest

from gridgov.datasets import available, load, synthetic_city
from gridgov.errors import GridgovError, UnknownDatasetError
from gridgov.org import AreaLevel, MemberService, OrgKind, PostKind, Sector, Structure

DAY = dt.date(2024, 6, 30)  # the reference date of every bundled example


def holders(s: Structure, kind: PostKind) -> set[str]:
    """People holding a post of ``kind`` on the reference date."""
    posts = {p.id for p in s.posts if p.kind is kind}
    return {a.person for a in s.appointments if a.post in posts and a.valid_on(DAY)}


def filled_posts(s: Structure, kind: PostKind) -> set[str]:
    posts = {p.id for p in s.posts if p.kind is kind}
    return {a.post for a in s.appointments if a.post in posts and a.valid_on(DAY)}


def orgs(s: Structure, kind: OrgKind) -> list[object]:
    return [o for o in s.organisations if o.kind is kind]


def facilities(s: Structure, facility_kind: str) -> list[object]:
    return [o for o in s.organisations if getattr(o, "facility_kind", None) == facility_kind]


def count_level(s: Structure, level: AreaLevel) -> int:
    return sum(1 for d in s.index.depth if int(d) == level.depth)


# -- the catalogue ----------------------------------------------------------------------------
def test_available_and_cached() -> None:
    assert available() == ["bozhou", "huanan", "youyi"]
    assert load("youyi") is load("youyi")
    assert all(load(n).reference_date == DAY for n in available())


def test_unknown_dataset_lists_the_names() -> None:
    with pytest.raises(UnknownDatasetError, match="available: bozhou, huanan, youyi") as err:
        load("shanghai")
    assert isinstance(err.value, LookupError)
    assert isinstance(err.value, GridgovError)
    with pytest.raises(UnknownDatasetError, match="did you mean 'huanan'"):
        load("hunan")


# -- youyi ------------------------------------------------------------------------------------
@cache
def youyi() -> Structure:
    return load("youyi")


def test_youyi_grids_workers_groups_homes() -> None:
    s = youyi()
    # 「以200—300户为单位，统一划分网格76个，实行赋码管理，配备专职网格员76名，
    #   建立党小组76个、党员之家145个」
    assert count_level(s, AreaLevel.GRID) == 76
    grid_hh = s.rollup("grid").get_column("households")
    assert grid_hh.min() >= 200
    assert grid_hh.max() <= 300
    assert len(holders(s, PostKind.GRID_WORKER)) == 76
    assert len(orgs(s, OrgKind.GRID_PARTY_GROUP)) == 76
    assert len(orgs(s, OrgKind.PARTY_MEMBER_HOME)) == 145
    codes = [a.code for a in s.areas if a.level is AreaLevel.GRID]
    assert all(codes)
    assert len(set(codes)) == 76


def test_youyi_three_heads() -> None:
    s = youyi()
    # 「推行“三长制”，配备楼长377人、单元长1697人」
    assert len(holders(s, PostKind.BUILDING_HEAD)) == 377
    assert len(holders(s, PostKind.UNIT_HEAD)) == 1_697
    assert count_level(s, AreaLevel.BUILDING) == 377
    assert count_level(s, AreaLevel.UNIT) == 1_697
    assert s.uncovered("building") == []
    assert s.uncovered("unit") == []


def test_youyi_report_backs() -> None:
    s = youyi()
    # 「推动300余名在职党员回居住地网格报到」: 300-odd
    assert 300 <= len(s.report_backs) < 400
    in_service = [
        p.id
        for p in s.people
        if p.party is not None and p.party.service is MemberService.IN_SERVICE
    ]
    assert sorted(in_service) == sorted(rb.member for rb in s.report_backs)
    assert {rb.principle for rb in s.report_backs} <= {"就地", "就近", "就便", "就亲", "就熟"}


def test_youyi_compounds_and_facilities() -> None:
    s = youyi()
    # 「持续探索无物业小区居民自治，截至目前，已有80余个小区…」: 80-odd self-governed
    self_governed = [c for c in s.compounds if c.self_governed]
    assert 80 <= len(self_governed) < 90
    assert all(c.property_company is None for c in self_governed)
    # 「将60%以上的空间用于居民活动」
    centres = facilities(s, "party_mass_service_centre")
    assert centres
    assert all(c.resident_space_share >= 0.6 for c in centres)  # type: ignore[attr-defined]
    # 「在居民区设立“友小驿”微驿站38处」 (the 友小驿 brand and the section place it in 友谊县)
    micro = facilities(s, "micro_station")
    assert len(micro) == 38
    assert all(m.name.startswith("友小驿") for m in micro)  # type: ignore[attr-defined]
    # 「全覆盖吸收退休党员、居民代表、物业公司和志愿者等多元力量1000余人」
    volunteers = [o for o in orgs(s, OrgKind.SOCIAL_ORGANISATION) if o.team_kind == "volunteer"]  # type: ignore[attr-defined]
    assert 1_000 <= sum(o.members for o in volunteers) < 1_100  # type: ignore[attr-defined]
    # 「继续发挥“友谊大妈团”…调解作用」
    assert any(o.name == "友谊大妈团" for o in orgs(s, OrgKind.SOCIAL_ORGANISATION))  # type: ignore[attr-defined]


def test_youyi_four_level_party_tree() -> None:
    s = youyi()
    # 「“党委+党支部+党小组+党员之家”四级党建网格化管理体系」
    assert len(orgs(s, OrgKind.GENERAL_BRANCH)) == 0
    assert len(orgs(s, OrgKind.PARTY_BRANCH)) == count_level(s, AreaLevel.COMMUNITY)


def test_youyi_passes_every_youyi_rule() -> None:
    findings = youyi().check(profile="youyi")
    assert [f for f in findings if f.severity in {"error", "warning"}] == []
    assert findings == []


def test_youyi_has_no_vacancies_among_counted_posts() -> None:
    assert youyi().vacancies() == []


# -- huanan -----------------------------------------------------------------------------------
@cache
def huanan() -> Structure:
    return load("huanan")


def test_huanan_communities_groups() -> None:
    s = huanan()
    # 「科学划分城市社区网格并建立党小组252个」; 「1+21+N」, 「与21个社区」
    assert count_level(s, AreaLevel.COMMUNITY) == 21
    assert len(orgs(s, OrgKind.GRID_PARTY_GROUP)) == 252
    assert count_level(s, AreaLevel.GRID) == 252
    # 「“社区党工委—社区党支部—网格党小组—党员联系户”一贯到底的党组织架构」
    by_id = {o.id: o for o in s.organisations}
    for group in orgs(s, OrgKind.GRID_PARTY_GROUP):
        branch = by_id[group.parent]  # type: ignore[attr-defined]
        assert branch.kind is OrgKind.PARTY_BRANCH
        committee = by_id[branch.parent]  # type: ignore[index]
        assert committee.kind is OrgKind.WORKING_COMMITTEE
        assert committee.area == branch.area  # the community's own 党工委
    assert len(s.linked_households) > 0


def test_huanan_co_building() -> None:
    s = huanan()
    # 「全县120家共驻共建单位与21个社区签订共建项目221个」
    assert len(orgs(s, OrgKind.CO_BUILDING_UNIT)) == 120
    assert len({a.unit for a in s.agreements}) == 120
    assert len({a.community for a in s.agreements}) == 21
    assert sum(len(a.projects) for a in s.agreements) == 221
    # 「截至目前已解决实际问题730余件」
    solved = sum(p.problems_solved for a in s.agreements for p in a.projects)
    assert 730 <= solved < 740
    # 「探索完善“大党委”轮值主席制度」
    assert len(s.joint_committees) == 21
    assert all(jc.rotation_problems() == [] for jc in s.joint_committees)


def test_huanan_service_positions() -> None:
    s = huanan()
    # 「办公及活动场所全部达到300平方米，其中9个面积超过1000平方米，服务区域面积均在80%以上」
    centres = facilities(s, "party_mass_service_centre")
    assert len(centres) == 21
    assert all(c.floor_area_m2 >= 300 for c in centres)  # type: ignore[attr-defined]
    assert sum(c.floor_area_m2 > 1000 for c in centres) == 9  # type: ignore[attr-defined]
    assert all(c.resident_space_share >= 0.8 for c in centres)  # type: ignore[attr-defined]
    # 「成立社区网格服务站21个，在重要商圈、密集楼宇投入使用商圈网格服务站3个」
    assert len(facilities(s, "grid_service_station")) == 21
    assert len(facilities(s, "business_district_station")) == 3
    # 「增设户外劳动者服务站、青年志愿服务站等服务场所21个」
    assert len(facilities(s, "service_station")) == 21
    # 「组建群英艺术团、社区民乐队、印象老街健身队等社区组织15个」
    teams = [o for o in orgs(s, OrgKind.SOCIAL_ORGANISATION) if o.team_kind == "culture"]  # type: ignore[attr-defined]
    assert len(teams) == 15


def test_huanan_passes_the_huanan_rules() -> None:
    assert huanan().check(profile="huanan") == []


# -- bozhou -----------------------------------------------------------------------------------
@cache
def bozhou() -> Structure:
    return load("bozhou")


def test_bozhou_companies() -> None:
    s = bozhou()
    companies = orgs(s, OrgKind.PROPERTY_COMPANY)
    # 「指导督促76家物业企业…全面公开、动态更新所有服务项目、标准、范围等内容」
    assert len(companies) == 76
    assert all(c.publishes_service_items for c in companies)  # type: ignore[attr-defined]
    # 「推动69家物业企业将党建工作写入公司章程」
    assert sum(c.charter_includes_party_building for c in companies) == 69  # type: ignore[attr-defined]
    # 「物业行业党委+街道党工委+社区党组织+物业党组织」: the industry committee supervises them
    (ipc,) = orgs(s, OrgKind.INDUSTRY_PARTY_COMMITTEE)
    supervised = {sv.subject for sv in s.supervision if sv.supervisor == ipc.id}  # type: ignore[attr-defined]
    assert supervised == {c.id for c in companies}  # type: ignore[attr-defined]
    # 「成立3支共160人的物业服务先锋队」
    vanguard = [o for o in orgs(s, OrgKind.SOCIAL_ORGANISATION) if o.team_kind == "vanguard"]  # type: ignore[attr-defined]
    assert len(vanguard) == 3
    assert sum(o.members for o in vanguard) == 160  # type: ignore[attr-defined]


def test_bozhou_cross_appointments() -> None:
    s = bozhou()
    crosses = s.cross_appointments(on=DAY)
    # 「5名社区“两委”成员担任物业企业党组织班子成员」
    community_on_board = {
        x.person for x in crosses if x.sectors == (Sector.COMMUNITY, Sector.ENTERPRISE_PARTY)
    }
    assert len(community_on_board) == 5
    committee = holders(s, PostKind.COMMITTEE_MEMBER) | holders(s, PostKind.SECRETARY)
    assert community_on_board <= committee
    # 「48名物业企业党组织班子成员与企业管理层实现交叉任职」
    board_and_management = {
        x.person for x in crosses if set(x.sectors) == {Sector.ENTERPRISE, Sector.ENTERPRISE_PARTY}
    }
    assert len(board_and_management) == 48
    # 「党组织与物业服务“双向进入、交叉任职”」: every pair two-way
    pairs = s.entry_pairs(on=DAY)
    assert len(pairs) == 5
    assert all(p.two_way for p in pairs)


def test_bozhou_rules_only_flag_the_seven_companies_without_charter() -> None:
    # 69 of 76 companies have party building in the charter (seed figure), while the bozhou
    # profile requires it of every company: the seven others are the only findings.
    findings = bozhou().check(profile="bozhou")
    assert Counter(f.rule for f in findings) == {"company_party_building": 7}
    no_charter = {
        c.id  # type: ignore[attr-defined]
        for c in orgs(bozhou(), OrgKind.PROPERTY_COMPANY)
        if not c.charter_includes_party_building  # type: ignore[attr-defined]
    }
    assert {f.subject for f in findings} == no_charter


def test_youyi_cross_appointment_pairs_are_two_way() -> None:
    pairs = youyi().entry_pairs(on=DAY)
    assert pairs
    assert all(p.two_way for p in pairs)


# -- invariants of every example --------------------------------------------------------------
@pytest.mark.parametrize("name", ["youyi", "huanan", "bozhou"])
def test_every_appointment_is_valid_on_the_reference_date(name: str) -> None:
    s = load(name)
    assert all(a.valid_on(DAY) for a in s.appointments)
    by_grid: dict[str, set[str]] = defaultdict(set)
    for o in orgs(s, OrgKind.GRID_PARTY_GROUP):
        by_grid[o.area].add(o.id)  # type: ignore[attr-defined]
    assert len(by_grid) == count_level(s, AreaLevel.GRID)
    assert filled_posts(s, PostKind.PARTY_GROUP_LEADER) == {
        p.id for p in s.posts if p.kind is PostKind.PARTY_GROUP_LEADER
    }


# 18-digit resident identity number (GB 11643) and 11-digit mainland mobile number
_ID_NUMBER = re.compile(r"(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9])")
_MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
# the same for polars (its regex engine has no look-around)
_ID_NUMBER_RS = r"(^|[^0-9])[1-9][0-9]{16}[0-9Xx]([^0-9]|$)"
_MOBILE_RS = r"(^|[^0-9])1[3-9][0-9]{9}([^0-9]|$)"


@pytest.mark.parametrize("name", ["youyi", "huanan", "bozhou", "synthetic"])
def test_no_value_looks_like_an_id_number_or_a_mobile(name: str) -> None:
    s = synthetic_city(households=3_000, seed=5) if name == "synthetic" else load(name)
    big = {"households", "linked_households"}  # many rows of ids, counts and dates
    text = s.model_dump_json(context={"include_personal": True}, exclude=big)
    assert _ID_NUMBER.search(text) is None
    assert _MOBILE.search(text) is None
    assert all(p.id_number is None and p.phone is None for p in s.people)
    for table in (s.households, s.linked_households):
        cells = table.frame.select(pl.all().cast(pl.String))
        for pattern in (_ID_NUMBER_RS, _MOBILE_RS):
            hits = cells.select(pl.any_horizontal(pl.all().str.contains(pattern).any()))
            assert not hits.item()


def test_the_patterns_would_catch_real_looking_numbers() -> None:
    assert _ID_NUMBER.search('"x": "11010519491231002X"')
    assert _MOBILE.search('"phone": "13800138000"')
    assert _ID_NUMBER.search("10010099010100100100") is None  # a 20-digit grid code
    cells = pl.DataFrame({"a": ["P13800138000", "S01C02G03B04U01H05", "11010519491231002X"]})
    assert cells.select(pl.col("a").str.contains(_MOBILE_RS)).to_series().to_list() == [
        True,
        False,
        False,
    ]
    assert cells.select(pl.col("a").str.contains(_ID_NUMBER_RS)).to_series().to_list() == [
        False,
        False,
        True,
    ]
