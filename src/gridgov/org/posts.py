"""Posts (positions an organisation offers) and dated appointments of people to them.

A :class:`Post` has a kind, an organisation, a maximum number of concurrent holders and,
optionally, the area it is responsible for (a building head's building). An
:class:`Appointment` is one person holding one post over a period. A
:class:`CrossAppointment` is derived by :meth:`gridgov.org.Structure.cross_appointments`.

Examples
--------
>>> Post(id="POST1", kind="building_head", organisation="RC1", area="B1").max_holders
1
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from gridgov.org._base import Dated, GridgovModel, Id
from gridgov.org.vocab import PostKind, Sector

__all__ = ["Appointment", "CrossAppointment", "EntryPair", "Post"]


class Post(Dated):
    """A post in an organisation, valid over a period."""

    id: Id
    kind: PostKind
    organisation: Id
    max_holders: Annotated[int, Field(ge=1, le=100_000)] = 1  # bounded: 10**30 is a typo
    area: Id | None = Field(default=None, description="Area the post is responsible for.")
    title: str = ""


class Appointment(Dated):
    """A person holding a post from ``start`` to ``end``."""

    id: Id
    person: Id
    post: Id


class CrossAppointment(GridgovModel):
    """One person holding concurrent posts in organisations of two different sectors.

    ``direction`` reads "from the sector of the earlier appointment to the later one", e.g. a
    community two-committee member who joins a company's party board is
    ``community → enterprise_party``.
    """

    person: Id
    first: Appointment
    second: Appointment
    first_organisation: Id
    second_organisation: Id
    sectors: tuple[Sector, Sector]

    @property
    def direction(self) -> str:
        """``"<sector of first> → <sector of second>"``."""
        return f"{self.sectors[0].value} → {self.sectors[1].value}"


class EntryPair(GridgovModel):
    """Cross-appointments between one community and one property company."""

    community: Id
    company: Id
    community_to_company: int = 0
    company_to_community: int = 0

    @property
    def two_way(self) -> bool:
        """Both directions exist (双向进入)."""
        return self.community_to_company > 0 and self.company_to_community > 0

    @property
    def kind(self) -> Literal["two-way", "community-to-company", "company-to-community"]:
        """Which directions exist."""
        if self.two_way:
            return "two-way"
        return "community-to-company" if self.community_to_company else "company-to-community"
