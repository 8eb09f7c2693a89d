"""Relations: linked households, report-backs, co-building, joint committees, supervision.

Linked households (党员联系户) are many (a million-household city has hundreds of thousands),
so a :class:`~gridgov.org.Structure` stores them as columns; :class:`LinkedHousehold` is one row.

Examples
--------
>>> import datetime as dt
>>> jc = JointCommittee(id="JC1", community="C1", members=("O1", "O2"), chair_rotation=(
...     ChairTerm(organisation="O1", start=dt.date(2024, 1, 1), end=dt.date(2024, 6, 30)),
...     ChairTerm(organisation="O2", start=dt.date(2024, 7, 1), end=dt.date(2024, 12, 31))))
>>> jc.rotation_problems()
[]
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Annotated

from pydantic import Field

from gridgov.org._base import Dated, Id
from gridgov.org.vocab import AgreementCategory, AgreementStatus

__all__ = [
    "ChairTerm",
    "CoBuildingAgreement",
    "JointCommittee",
    "LinkedHousehold",
    "Project",
    "ReportBack",
    "Supervision",
]


class LinkedHousehold(Dated):
    """A party member linked to a household he or she looks after (党员联系户)."""

    member: Id
    household: Id


class ReportBack(Dated):
    """An in-service party member registered with the grid of residence (在职党员回社区报到)."""

    id: Id
    member: Id
    grid: Id
    principle: str = Field(default="", description="就近、就便… why this grid was chosen.")


class Project(Dated):
    """A co-building project carried out under an agreement."""

    id: Id
    name: str = ""
    category: str = ""
    status: AgreementStatus = AgreementStatus.ACTIVE
    problems_solved: Annotated[int, Field(ge=0, le=10_000_000)] = 0  # bounded: 10**30 is a typo


class CoBuildingAgreement(Dated):
    """A joint-building agreement (共驻共建协议) between a co-building unit and a community."""

    id: Id
    unit: Id = Field(description="Id of the co-building unit (an organisation).")
    community: Id = Field(description="Id of the community (an area).")
    category: AgreementCategory = AgreementCategory.ORGANISATIONAL
    status: AgreementStatus = AgreementStatus.ACTIVE
    projects: tuple[Project, ...] = ()


class ChairTerm(Dated):
    """One member organisation's turn as rotating chair (轮值主席)."""

    organisation: Id


class JointCommittee(Dated):
    """A joint party committee (大党委) of a community with member organisations."""

    id: Id
    name: str = ""
    community: Id
    lead: Id | None = Field(default=None, description="The community party organisation.")
    members: tuple[Id, ...] = ()
    chair_rotation: tuple[ChairTerm, ...] = ()

    def rotation_problems(self) -> list[str]:
        """Problems with the chair rotation: non-members, gaps, overlaps, members never chairing.

        Terms must be closed periods except possibly the last; each follows the previous one
        on the next day.
        """
        problems: list[str] = []
        members = set(self.members)
        terms = sorted(self.chair_rotation, key=lambda t: t.start or dt.date.min)
        for term in terms:
            if term.organisation not in members:
                problems.append(f"chair {term.organisation} is not a member")
            if term.start is None:
                problems.append(f"term of {term.organisation} has no start")
        for prev, nxt in itertools.pairwise(terms):
            if prev.end is None or nxt.start is None:
                problems.append(f"term of {prev.organisation} is open but another follows")
                continue
            gap = (nxt.start - prev.end).days
            if gap > 1:
                problems.append(f"gap of {gap - 1} day(s) before {nxt.start.isoformat()}")
            elif gap < 1:
                problems.append(f"overlap of {1 - gap} day(s) at {nxt.start.isoformat()}")
        if terms:
            chaired = {t.organisation for t in terms}
            problems.extend(f"member {m} never chairs" for m in self.members if m not in chaired)
        return problems


class Supervision(Dated):
    """A supervision link: an industry committee over companies, a street over communities."""

    supervisor: Id
    subject: Id
    label: str = ""
