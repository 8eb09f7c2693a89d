"""The governance model: areas, organisations, people, posts, relations and the Structure.

Everything here is re-exported from one place; see each module for its concept:
:mod:`~gridgov.org.vocab` (bilingual enums), :mod:`~gridgov.org.areas`,
:mod:`~gridgov.org.organisations`, :mod:`~gridgov.org.people`, :mod:`~gridgov.org.posts`,
:mod:`~gridgov.org.relations`, :mod:`~gridgov.org.tables` (columnar rows),
:mod:`~gridgov.org.codes` (grid-code schemes) and :mod:`~gridgov.org.structure`.
"""

import importlib
from typing import TYPE_CHECKING, Any

from gridgov.org._base import Dated, GridgovModel, Id
from gridgov.org.areas import (
    Area,
    Building,
    Community,
    Compound,
    District,
    Grid,
    Household,
    MicroGrid,
    Street,
    Unit,
)
from gridgov.org.organisations import (
    CoBuildingUnit,
    Department,
    EnterprisePartyOrg,
    GeneralBranch,
    GridPartyGroup,
    IndustryAssociation,
    IndustryPartyCommittee,
    Organisation,
    OrgBase,
    OwnersCommittee,
    PartyBranch,
    PartyCommittee,
    PartyMemberHome,
    PropertyCompany,
    ResidentsCommittee,
    ServiceFacility,
    SocialOrganisation,
    StreetOffice,
    WorkingCommittee,
)
from gridgov.org.people import PartyMembership, Person
from gridgov.org.posts import Appointment, CrossAppointment, EntryPair, Post
from gridgov.org.relations import (
    ChairTerm,
    CoBuildingAgreement,
    JointCommittee,
    LinkedHousehold,
    Project,
    ReportBack,
    Supervision,
)
from gridgov.org.structure import Structure
from gridgov.org.tables import AreaTable, HouseholdTable, LinkTable
from gridgov.org.vocab import (
    AgreementCategory,
    AgreementStatus,
    AreaLevel,
    MemberService,
    MemberStatus,
    OrgKind,
    PostKind,
    Sector,
)

if TYPE_CHECKING:  # pragma: no cover - imported lazily below, on first use
    from gridgov.org.codes import CodeScheme, ParsedCode, available_schemes, get_scheme
    from gridgov.org.profiles import Profile, SourcedValue, available_profiles, load_profile
    from gridgov.org.rules import Finding, available_rules

# Code schemes, profiles and rules are not needed to build or query a Structure: they load
# on first use (PEP 562), so ``from gridgov import Structure`` stays fast.
_LAZY = {
    "CodeScheme": "gridgov.org.codes",
    "ParsedCode": "gridgov.org.codes",
    "available_schemes": "gridgov.org.codes",
    "get_scheme": "gridgov.org.codes",
    "Profile": "gridgov.org.profiles",
    "SourcedValue": "gridgov.org.profiles",
    "available_profiles": "gridgov.org.profiles",
    "load_profile": "gridgov.org.profiles",
    "Finding": "gridgov.org.rules",
    "available_rules": "gridgov.org.rules",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'gridgov.org' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = [
    "AgreementCategory",
    "AgreementStatus",
    "Appointment",
    "Area",
    "AreaLevel",
    "AreaTable",
    "Building",
    "ChairTerm",
    "CoBuildingAgreement",
    "CoBuildingUnit",
    "CodeScheme",
    "Community",
    "Compound",
    "CrossAppointment",
    "Dated",
    "Department",
    "District",
    "EnterprisePartyOrg",
    "EntryPair",
    "Finding",
    "GeneralBranch",
    "Grid",
    "GridPartyGroup",
    "GridgovModel",
    "Household",
    "HouseholdTable",
    "Id",
    "IndustryAssociation",
    "IndustryPartyCommittee",
    "JointCommittee",
    "LinkTable",
    "LinkedHousehold",
    "MemberService",
    "MemberStatus",
    "MicroGrid",
    "OrgBase",
    "OrgKind",
    "Organisation",
    "OwnersCommittee",
    "ParsedCode",
    "PartyBranch",
    "PartyCommittee",
    "PartyMemberHome",
    "PartyMembership",
    "Person",
    "Post",
    "PostKind",
    "Profile",
    "Project",
    "PropertyCompany",
    "ReportBack",
    "ResidentsCommittee",
    "Sector",
    "ServiceFacility",
    "SocialOrganisation",
    "SourcedValue",
    "Street",
    "StreetOffice",
    "Structure",
    "Supervision",
    "Unit",
    "WorkingCommittee",
    "available_profiles",
    "available_rules",
    "available_schemes",
    "get_scheme",
    "load_profile",
]
