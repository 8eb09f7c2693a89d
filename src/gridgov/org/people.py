"""People and their party membership; personal fields are secret.

``id_number`` and ``phone`` are :class:`pydantic.SecretStr`: they never appear in ``repr``,
``str``, validation error messages or a default dump. A dump includes them only when asked,
with ``model_dump(context={"include_personal": True})`` (what ``gridgov.save(...,
include_personal=True)`` does).

Examples
--------
>>> p = Person(id="P1", name="张三", phone="13800000000")
>>> "13800000000" in repr(p) or "13800000000" in str(p.model_dump())
False
>>> p.model_dump(context={"include_personal": True})["phone"]
'13800000000'
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, SecretStr, SerializationInfo, field_serializer

from gridgov.org._base import GridgovModel, Id
from gridgov.org.vocab import MemberService, MemberStatus

__all__ = ["PERSONAL_FIELDS", "PartyMembership", "Person", "include_personal"]

#: Fields of :class:`Person` that are personal data.
PERSONAL_FIELDS = ("id_number", "phone")


def include_personal(info: SerializationInfo) -> bool:
    """Whether a dump asked for personal fields: ``context={"include_personal": True}``."""
    context = info.context
    return isinstance(context, dict) and bool(context.get("include_personal", False))


class PartyMembership(GridgovModel):
    """A person's party membership."""

    status: MemberStatus = MemberStatus.FULL
    service: MemberService = MemberService.RETIRED
    organisation: Id | None = Field(default=None, description="Branch holding the membership.")
    employer: Id | None = Field(default=None, description="Employer of an in-service member.")
    joined: dt.date | None = None


class Person(GridgovModel):
    """A person: resident, party member, post holder. ``id_number`` and ``phone`` are secret."""

    model_config = ConfigDict(hide_input_in_errors=True)

    id: Id
    name: str = ""
    gender: Literal["female", "male"] | None = None
    birth_year: Annotated[int, Field(ge=1900, le=2100)] | None = None
    household: Id | None = Field(default=None, description="Household of residence.")
    party: PartyMembership | None = None
    id_number: SecretStr | None = Field(default=None, repr=False)
    phone: SecretStr | None = Field(default=None, repr=False)

    @property
    def is_party_member(self) -> bool:
        """Whether the person is a (full or probationary) party member."""
        return self.party is not None

    @field_serializer("id_number", "phone", when_used="always")
    def _secret(self, value: SecretStr | None, info: SerializationInfo) -> str | None:
        if value is None or not include_personal(info):
            return None
        return value.get_secret_value()
