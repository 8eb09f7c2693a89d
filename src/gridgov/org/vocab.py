"""Bilingual vocabularies: every value has a stable code, an English name and ``label_zh``.

The code is the enum's string value and is what files store; labels are for reports, so a
report can be printed in English or Chinese (``member.label("zh")``).

Examples
--------
>>> AreaLevel.GRID.value, AreaLevel.GRID.label_en, AreaLevel.GRID.label_zh
('grid', 'grid', '网格')
>>> OrgKind("grid_party_group").label("zh")
'网格党小组'
>>> AreaLevel.GRID.depth > AreaLevel.COMMUNITY.depth
True
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal, Self

__all__ = [
    "AgreementCategory",
    "AgreementStatus",
    "AreaLevel",
    "BilingualEnum",
    "Lang",
    "MemberService",
    "MemberStatus",
    "OrgKind",
    "PostKind",
    "Sector",
]

Lang = Literal["en", "zh"]


class BilingualEnum(StrEnum):
    """A string enum whose members carry an English and a Chinese label.

    Members are declared as ``NAME = "code", "English name", "中文"``.
    """

    label_en: str
    label_zh: str

    def __new__(cls, code: str, label_en: str = "", label_zh: str = "") -> Self:
        """Create a member from its code and labels."""
        obj = str.__new__(cls, code)
        obj._value_ = code
        obj.label_en = label_en or code.replace("_", " ")
        obj.label_zh = label_zh
        return obj

    def label(self, lang: Lang = "en") -> str:
        """The label in ``lang`` (``"en"`` or ``"zh"``)."""
        return self.label_zh if lang == "zh" else self.label_en


class AreaLevel(BilingualEnum):
    """Levels of the spatial tree, from the district down to the household."""

    DISTRICT = "district", "district / county", "区/县"
    STREET = "street", "street / town", "街道/镇"
    COMMUNITY = "community", "community", "社区"
    GRID = "grid", "grid", "网格"
    MICRO_GRID = "micro_grid", "micro-grid", "微网格"
    BUILDING = "building", "building", "楼栋"
    UNIT = "unit", "unit (stairwell)", "单元"
    HOUSEHOLD = "household", "household", "户"

    @property
    def depth(self) -> int:
        """0 for the district, growing towards the household."""
        return _LEVEL_ORDER.index(self)


_LEVEL_ORDER = list(AreaLevel)


class Sector(BilingualEnum):
    """The sector an organisation belongs to; posts in two sectors make a cross-appointment."""

    PARTY = "party", "party and government leadership", "党委政府"
    COMMUNITY = "community", "community (two committees, grid)", "社区"
    GOVERNMENT = "government", "government department", "职能部门"
    ENTERPRISE = "enterprise", "enterprise management", "企业"
    ENTERPRISE_PARTY = "enterprise_party", "party organisation of an enterprise", "企业党组织"
    RESIDENTS = "residents", "residents' self-organisation", "居民自治"
    SOCIETY = "society", "social organisation", "社会组织"
    CO_BUILDING = "co_building", "co-building unit", "共建单位"


class OrgKind(BilingualEnum):
    """Kinds of organisation; each has a default sector (:attr:`default_sector`)."""

    PARTY_COMMITTEE = "party_committee", "party committee", "党委"
    INDUSTRY_PARTY_COMMITTEE = "industry_party_committee", "industry party committee", "行业党委"
    WORKING_COMMITTEE = "working_committee", "party working committee", "党工委"
    GENERAL_BRANCH = "general_branch", "general party branch", "党总支"
    PARTY_BRANCH = "party_branch", "party branch", "党支部"
    GRID_PARTY_GROUP = "grid_party_group", "grid party group", "网格党小组"
    PARTY_MEMBER_HOME = "party_member_home", "party member home", "党员之家"
    ENTERPRISE_PARTY_ORG = "enterprise_party_org", "enterprise party organisation", "企业党组织"
    STREET_OFFICE = "street_office", "street office", "街道办事处"
    RESIDENTS_COMMITTEE = "residents_committee", "residents' committee", "居民委员会"
    OWNERS_COMMITTEE = "owners_committee", "owners' committee", "业主委员会"
    PROPERTY_COMPANY = "property_company", "property-management company", "物业企业"
    INDUSTRY_ASSOCIATION = "industry_association", "industry association", "行业协会"
    CO_BUILDING_UNIT = "co_building_unit", "co-building unit", "共驻共建单位"
    DEPARTMENT = "department", "functional department", "职能部门"
    SOCIAL_ORGANISATION = "social_organisation", "social organisation or team", "社会组织"
    SERVICE_FACILITY = "service_facility", "service facility", "服务阵地"

    @property
    def default_sector(self) -> Sector:
        """The sector an organisation of this kind belongs to unless it says otherwise."""
        return _DEFAULT_SECTOR[self]

    @property
    def is_party(self) -> bool:
        """Whether this kind is a party organisation."""
        return self in _PARTY_KINDS


_PARTY_KINDS = frozenset(
    {
        OrgKind.PARTY_COMMITTEE,
        OrgKind.INDUSTRY_PARTY_COMMITTEE,
        OrgKind.WORKING_COMMITTEE,
        OrgKind.GENERAL_BRANCH,
        OrgKind.PARTY_BRANCH,
        OrgKind.GRID_PARTY_GROUP,
        OrgKind.PARTY_MEMBER_HOME,
        OrgKind.ENTERPRISE_PARTY_ORG,
    }
)

_DEFAULT_SECTOR = {
    OrgKind.PARTY_COMMITTEE: Sector.PARTY,
    OrgKind.INDUSTRY_PARTY_COMMITTEE: Sector.PARTY,
    OrgKind.WORKING_COMMITTEE: Sector.PARTY,
    OrgKind.GENERAL_BRANCH: Sector.COMMUNITY,
    OrgKind.PARTY_BRANCH: Sector.COMMUNITY,
    OrgKind.GRID_PARTY_GROUP: Sector.COMMUNITY,
    OrgKind.PARTY_MEMBER_HOME: Sector.COMMUNITY,
    OrgKind.ENTERPRISE_PARTY_ORG: Sector.ENTERPRISE_PARTY,
    OrgKind.STREET_OFFICE: Sector.GOVERNMENT,
    OrgKind.RESIDENTS_COMMITTEE: Sector.COMMUNITY,
    OrgKind.OWNERS_COMMITTEE: Sector.RESIDENTS,
    OrgKind.PROPERTY_COMPANY: Sector.ENTERPRISE,
    OrgKind.INDUSTRY_ASSOCIATION: Sector.SOCIETY,
    OrgKind.CO_BUILDING_UNIT: Sector.CO_BUILDING,
    OrgKind.DEPARTMENT: Sector.GOVERNMENT,
    OrgKind.SOCIAL_ORGANISATION: Sector.SOCIETY,
    OrgKind.SERVICE_FACILITY: Sector.COMMUNITY,
}


class PostKind(BilingualEnum):
    """Kinds of post (position) an organisation offers."""

    SECRETARY = "secretary", "secretary", "书记"
    DEPUTY_SECRETARY = "deputy_secretary", "deputy secretary", "副书记"
    COMMITTEE_MEMBER = "committee_member", "two-committee member", "两委成员"
    DIRECTOR = "director", "director / chair", "主任"
    BOARD_MEMBER = "board_member", "party board member", "党组织班子成员"
    MANAGER = "manager", "management member", "管理层"
    GRID_LEADER = "grid_leader", "grid leader", "网格长"
    GRID_WORKER = "grid_worker", "full-time grid worker", "专职网格员"
    BUILDING_HEAD = "building_head", "building head", "楼长"
    UNIT_HEAD = "unit_head", "unit head", "单元长"
    PARTY_GROUP_LEADER = "party_group_leader", "party group leader", "党小组长"
    INSTRUCTOR = "instructor", "party-building instructor", "党建指导员"
    LIAISON = "liaison", "liaison", "联络员"
    MEDIATOR = "mediator", "mediator", "调解员"
    VOLUNTEER = "volunteer", "volunteer", "志愿者"


class MemberStatus(BilingualEnum):
    """Party membership status."""

    FULL = "full", "full member", "正式党员"
    PROBATIONARY = "probationary", "probationary member", "预备党员"


class MemberService(BilingualEnum):
    """Where a party member stands with respect to work."""

    IN_SERVICE = "in_service", "in service (with an employer)", "在职"
    RETIRED = "retired", "retired", "退休"
    FLOWING = "flowing", "flowing (away from registered branch)", "流动"


class AgreementStatus(BilingualEnum):
    """State of a co-building agreement or project."""

    PLANNED = "planned", "planned", "计划"
    ACTIVE = "active", "active", "进行中"
    COMPLETED = "completed", "completed", "已完成"
    TERMINATED = "terminated", "terminated", "已终止"


class AgreementCategory(BilingualEnum):
    """The "three links" (三联) and other categories of joint building."""

    ORGANISATIONAL = "organisational", "organisational joint-building", "组织联建"
    INDUSTRY = "industry", "industry joint-management", "行业联管"
    GOVERNANCE = "governance", "joint governance", "治理联抓"
    SERVICE = "service", "joint service", "服务共做"
    RESOURCE = "resource", "resource sharing", "资源共享"
