"""Party organisations and the other bodies of community governance.

All kinds form one discriminated union, :data:`Organisation`, keyed on ``kind``; a file row
``{"kind": "grid_party_group", ...}`` becomes a :class:`GridPartyGroup`.

Three references tie an organisation into the structure:

``parent``
    the organisation it reports to (a grid party group's branch; a branch's working committee);
``area``
    the area it serves (a grid party group's grid, a branch's community);
``host``
    the body it belongs to (a property company's own party organisation is hosted by the company).

``sector`` defaults from the kind (:attr:`OrgKind.default_sector`) and decides what counts as
a cross-appointment.

Examples
--------
>>> from pydantic import TypeAdapter
>>> org = TypeAdapter(Organisation).validate_python(
...     {"id": "P1", "kind": "property_company", "charter_includes_party_building": True})
>>> type(org).__name__, org.effective_sector.label_zh
('PropertyCompany', '企业')
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from gridgov.org._base import Dated, Id
from gridgov.org.vocab import OrgKind, Sector

__all__ = [
    "ORG_CLASSES",
    "PARTY_PARENTS",
    "CoBuildingUnit",
    "Department",
    "EnterprisePartyOrg",
    "GeneralBranch",
    "GridPartyGroup",
    "IndustryAssociation",
    "IndustryPartyCommittee",
    "OrgBase",
    "Organisation",
    "OwnersCommittee",
    "PartyBranch",
    "PartyCommittee",
    "PartyMemberHome",
    "PropertyCompany",
    "ResidentsCommittee",
    "ServiceFacility",
    "SocialOrganisation",
    "StreetOffice",
    "WorkingCommittee",
]


class OrgBase(Dated):
    """Fields every organisation has."""

    id: Id
    kind: OrgKind
    name: str = ""
    parent: Id | None = Field(default=None, description="Organisation it reports to.")
    area: Id | None = Field(default=None, description="Area it serves.")
    host: Id | None = Field(default=None, description="Body it belongs to.")
    sector: Sector | None = Field(default=None, description="Overrides the kind's sector.")

    @property
    def effective_sector(self) -> Sector:
        """``sector`` if given, else the default sector of ``kind``."""
        return self.sector if self.sector is not None else self.kind.default_sector


class PartyCommittee(OrgBase):
    """A party committee (党委), e.g. a county committee."""

    kind: Literal[OrgKind.PARTY_COMMITTEE] = OrgKind.PARTY_COMMITTEE


class IndustryPartyCommittee(OrgBase):
    """An industry party committee (行业党委), e.g. for property management."""

    kind: Literal[OrgKind.INDUSTRY_PARTY_COMMITTEE] = OrgKind.INDUSTRY_PARTY_COMMITTEE
    industry: str = ""


class WorkingCommittee(OrgBase):
    """A party working committee (党工委) of a street or community."""

    kind: Literal[OrgKind.WORKING_COMMITTEE] = OrgKind.WORKING_COMMITTEE


class GeneralBranch(OrgBase):
    """A general party branch (党总支)."""

    kind: Literal[OrgKind.GENERAL_BRANCH] = OrgKind.GENERAL_BRANCH


class PartyBranch(OrgBase):
    """A party branch (党支部)."""

    kind: Literal[OrgKind.PARTY_BRANCH] = OrgKind.PARTY_BRANCH


class GridPartyGroup(OrgBase):
    """A grid party group (网格党小组); it covers the grid named by ``area``."""

    kind: Literal[OrgKind.GRID_PARTY_GROUP] = OrgKind.GRID_PARTY_GROUP


class PartyMemberHome(OrgBase):
    """A party member home (党员之家): a venue and cell under a party group."""

    kind: Literal[OrgKind.PARTY_MEMBER_HOME] = OrgKind.PARTY_MEMBER_HOME


class EnterprisePartyOrg(OrgBase):
    """The party organisation of an enterprise (e.g. 物业党组织); ``host`` is the enterprise."""

    kind: Literal[OrgKind.ENTERPRISE_PARTY_ORG] = OrgKind.ENTERPRISE_PARTY_ORG


class StreetOffice(OrgBase):
    """A street office (街道办事处)."""

    kind: Literal[OrgKind.STREET_OFFICE] = OrgKind.STREET_OFFICE


class ResidentsCommittee(OrgBase):
    """A residents' committee (居委会); with the community party organisation, the 两委."""

    kind: Literal[OrgKind.RESIDENTS_COMMITTEE] = OrgKind.RESIDENTS_COMMITTEE


class OwnersCommittee(OrgBase):
    """An owners' committee (业委会) of a compound."""

    kind: Literal[OrgKind.OWNERS_COMMITTEE] = OrgKind.OWNERS_COMMITTEE
    compound: Id | None = None


class PropertyCompany(OrgBase):
    """A property-management company (物业企业)."""

    kind: Literal[OrgKind.PROPERTY_COMPANY] = OrgKind.PROPERTY_COMPANY
    charter_includes_party_building: bool = Field(
        default=False, description="Party building written into the charter (党建入章程)."
    )
    publishes_service_items: bool = Field(
        default=False, description="Service items, standards and scope published."
    )


class IndustryAssociation(OrgBase):
    """An industry association (行业协会)."""

    kind: Literal[OrgKind.INDUSTRY_ASSOCIATION] = OrgKind.INDUSTRY_ASSOCIATION


class CoBuildingUnit(OrgBase):
    """A co-building unit (共驻共建单位): an agency, enterprise or school resident in the area."""

    kind: Literal[OrgKind.CO_BUILDING_UNIT] = OrgKind.CO_BUILDING_UNIT
    category: str = Field(default="", description="agency, enterprise, school, hospital…")


class Department(OrgBase):
    """A functional department (职能部门), e.g. police station, judicial office, tribunal."""

    kind: Literal[OrgKind.DEPARTMENT] = OrgKind.DEPARTMENT
    function: str = ""


class SocialOrganisation(OrgBase):
    """A social organisation or team: volunteers, vanguard team, art troupe, mediators."""

    kind: Literal[OrgKind.SOCIAL_ORGANISATION] = OrgKind.SOCIAL_ORGANISATION
    team_kind: str = ""
    # bounded above so that a typo (10**30) is an out-of-range error, not a silent number
    members: Annotated[int, Field(ge=0, le=10_000_000)] | None = None


class ServiceFacility(OrgBase):
    """A service facility (阵地): a party-and-mass service centre, grid station, micro-station."""

    kind: Literal[OrgKind.SERVICE_FACILITY] = OrgKind.SERVICE_FACILITY
    facility_kind: str = ""
    floor_area_m2: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None
    resident_space_share: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)] | None = None


#: Any organisation; validated by ``kind``.
Organisation = Annotated[
    PartyCommittee
    | IndustryPartyCommittee
    | WorkingCommittee
    | GeneralBranch
    | PartyBranch
    | GridPartyGroup
    | PartyMemberHome
    | EnterprisePartyOrg
    | StreetOffice
    | ResidentsCommittee
    | OwnersCommittee
    | PropertyCompany
    | IndustryAssociation
    | CoBuildingUnit
    | Department
    | SocialOrganisation
    | ServiceFacility,
    Field(discriminator="kind"),
]

#: The class of each kind.
ORG_CLASSES: dict[OrgKind, type[OrgBase]] = {
    OrgKind.PARTY_COMMITTEE: PartyCommittee,
    OrgKind.INDUSTRY_PARTY_COMMITTEE: IndustryPartyCommittee,
    OrgKind.WORKING_COMMITTEE: WorkingCommittee,
    OrgKind.GENERAL_BRANCH: GeneralBranch,
    OrgKind.PARTY_BRANCH: PartyBranch,
    OrgKind.GRID_PARTY_GROUP: GridPartyGroup,
    OrgKind.PARTY_MEMBER_HOME: PartyMemberHome,
    OrgKind.ENTERPRISE_PARTY_ORG: EnterprisePartyOrg,
    OrgKind.STREET_OFFICE: StreetOffice,
    OrgKind.RESIDENTS_COMMITTEE: ResidentsCommittee,
    OrgKind.OWNERS_COMMITTEE: OwnersCommittee,
    OrgKind.PROPERTY_COMPANY: PropertyCompany,
    OrgKind.INDUSTRY_ASSOCIATION: IndustryAssociation,
    OrgKind.CO_BUILDING_UNIT: CoBuildingUnit,
    OrgKind.DEPARTMENT: Department,
    OrgKind.SOCIAL_ORGANISATION: SocialOrganisation,
    OrgKind.SERVICE_FACILITY: ServiceFacility,
}

_K = OrgKind
#: Which kinds a party organisation's ``parent`` may be (``None``: may be a root).
PARTY_PARENTS: dict[OrgKind, frozenset[OrgKind | None]] = {
    _K.PARTY_COMMITTEE: frozenset({None, _K.PARTY_COMMITTEE}),
    _K.INDUSTRY_PARTY_COMMITTEE: frozenset({None, _K.PARTY_COMMITTEE}),
    _K.WORKING_COMMITTEE: frozenset({None, _K.PARTY_COMMITTEE, _K.WORKING_COMMITTEE}),
    _K.GENERAL_BRANCH: frozenset(
        {_K.PARTY_COMMITTEE, _K.WORKING_COMMITTEE, _K.INDUSTRY_PARTY_COMMITTEE}
    ),
    _K.PARTY_BRANCH: frozenset(
        {
            _K.PARTY_COMMITTEE,
            _K.WORKING_COMMITTEE,
            _K.INDUSTRY_PARTY_COMMITTEE,
            _K.GENERAL_BRANCH,
        }
    ),
    _K.GRID_PARTY_GROUP: frozenset({_K.PARTY_BRANCH, _K.GENERAL_BRANCH}),
    _K.PARTY_MEMBER_HOME: frozenset({_K.GRID_PARTY_GROUP, _K.PARTY_BRANCH, _K.GENERAL_BRANCH}),
    _K.ENTERPRISE_PARTY_ORG: frozenset(
        {_K.PARTY_COMMITTEE, _K.INDUSTRY_PARTY_COMMITTEE, _K.WORKING_COMMITTEE}
    ),
}
