"""Tests for gridgov.org.people: personal fields stay secret everywhere but where asked for."""

from __future__ import annotations

import json
from typing import Any

import pydantic
import pytest
from hypothesis import HealthCheck, given, settings

from gridgov.errors import StructureError
from gridgov.org import PartyMembership, Person, Structure
from gridgov.org.people import PERSONAL_FIELDS
from gridgov.org.vocab import MemberService, MemberStatus
from gridgov.testing import persons, structures

FEW = settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)
ID_NUMBER = "SYN-440000000001"
PHONE = "SYN-13800000000"


def secrets_of(people: tuple[Person, ...] | list[Person]) -> list[str]:
    out = []
    for p in people:
        for name in PERSONAL_FIELDS:
            value = getattr(p, name)
            if value is not None:
                out.append(value.get_secret_value())
    return out


def assert_hidden(text: str, secrets: list[str]) -> None:
    leaked = [x for x in secrets if x in text]
    assert not leaked, f"personal values leaked: {leaked}"


@FEW
@given(structures(max_households=20))
def test_secrets_never_appear_in_repr_str_or_default_dumps(s: Structure) -> None:
    secrets = secrets_of(s.people)
    assert_hidden(repr(s), secrets)
    assert_hidden(str(s), secrets)
    assert_hidden(str(s.model_dump()), secrets)
    assert_hidden(s.model_dump_json(), secrets)
    assert_hidden(json.dumps(s.model_dump(mode="json")), secrets)
    for p in s.people:
        assert_hidden(repr(p), secrets)
        assert_hidden(str(p), secrets)
        assert_hidden(p.model_dump_json(), secrets)
        assert_hidden(str(p.model_dump()), secrets)
    # asked for explicitly, they are all there (so the search above is meaningful)
    full = s.model_dump_json(context={"include_personal": True})
    assert all(x in full for x in secrets)


@FEW
@given(persons())
def test_generated_secrets_are_synthetic(p: Person) -> None:
    for value in secrets_of([p]):
        assert value.startswith("SYN-")
        assert value[4:].isdigit()


def test_personal_fields_dump_only_when_asked() -> None:
    p = Person(id="P1", id_number=ID_NUMBER, phone=PHONE)
    assert p.model_dump()["id_number"] is None
    assert p.model_dump()["phone"] is None
    full = p.model_dump(context={"include_personal": True})
    assert (full["id_number"], full["phone"]) == (ID_NUMBER, PHONE)
    assert json.loads(p.model_dump_json(context={"include_personal": True}))["phone"] == PHONE
    assert Person.model_validate(full) == p
    assert p.model_dump(context={"include_personal": False})["phone"] is None
    assert p.model_dump(context="yes")["phone"] is None  # only a mapping can ask


BAD_PEOPLE: list[dict[str, Any]] = [
    {"name": "no id", "id_number": ID_NUMBER, "phone": PHONE},  # missing id: whole row as input
    {"id": "P1", "phone": 13800000000, "id_number": ID_NUMBER},  # phone not a string
    {"id": "P1", "id_number": ID_NUMBER, "phone": PHONE, "birth_year": "old"},
    {"id": "P1", "id_number": ID_NUMBER, "phone": PHONE, "colour": "red"},  # extra field
    {"id": "P 1", "id_number": ID_NUMBER, "phone": PHONE},  # bad id
]
SECRETS = [ID_NUMBER, PHONE, "13800000000"]


@pytest.mark.parametrize("bad", BAD_PEOPLE)
def test_validation_errors_of_a_bad_person_hide_personal_values(bad: dict[str, Any]) -> None:
    with pytest.raises(pydantic.ValidationError) as info:
        Person.model_validate(bad)
    assert_hidden(str(info.value), SECRETS)
    assert_hidden(repr(info.value), SECRETS)


@pytest.mark.parametrize("bad", BAD_PEOPLE)
def test_validation_errors_of_a_structure_with_a_bad_person_hide_personal_values(
    bad: dict[str, Any],
) -> None:
    for attempt in (
        lambda: Structure.model_validate({"people": [bad]}),
        lambda: Structure.model_validate_json(json.dumps({"people": [bad]})),
        lambda: Structure(people=[bad]),
    ):
        with pytest.raises(StructureError) as info:
            attempt()
        assert_hidden(str(info.value), SECRETS)
        assert isinstance(info.value.__cause__, pydantic.ValidationError)


def test_party_membership() -> None:
    assert not Person(id="P1").is_party_member
    p = Person(
        id="P2",
        party=PartyMembership(status="probationary", service="in_service", employer="CO1"),
    )
    assert p.is_party_member
    assert p.party is not None
    assert p.party.status is MemberStatus.PROBATIONARY
    assert p.party.service is MemberService.IN_SERVICE
    default = PartyMembership()
    assert (default.status, default.service) == (MemberStatus.FULL, MemberService.RETIRED)
    with pytest.raises(pydantic.ValidationError):
        PartyMembership(status="honorary")  # type: ignore[arg-type]


def test_person_fields_are_checked() -> None:
    with pytest.raises(pydantic.ValidationError):
        Person(id="P1", birth_year=1800)
    with pytest.raises(pydantic.ValidationError):
        Person(id="P1", gender="unknown")  # type: ignore[arg-type]
    with pytest.raises(pydantic.ValidationError):
        Person(id="")
