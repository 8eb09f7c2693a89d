"""Tests for gridgov.testing: the strategies generate valid, varied, synthetic structures."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from pydantic import TypeAdapter

import gridgov.testing as testing
from gridgov.org import (
    AreaLevel,
    MemberService,
    MemberStatus,
    OrgKind,
    PartyMembership,
    Person,
    PostKind,
    Structure,
)
from gridgov.org._base import Id
from gridgov.org._integrity import max_concurrent
from gridgov.org.codes import get_scheme
from gridgov.testing import (
    FIRST_DAY,
    LAST_DAY,
    dates,
    ids,
    party_memberships,
    periods,
    persons,
    secrets,
    structures,
)

FEW = settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)
SCHEMES = ["civil_affairs_12", "db11_15", "cjt349_20"]
ID = TypeAdapter(Id)


def test_public_names_are_sorted_and_resolve() -> None:
    assert testing.__all__ == sorted(testing.__all__)
    for name in testing.__all__:
        assert getattr(testing, name) is not None


def test_import_gridgov_does_not_import_hypothesis() -> None:
    code = "import sys, gridgov, gridgov.org; print('hypothesis' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# -- building blocks --------------------------------------------------------------------------
@given(ids())
def test_ids_are_valid_ids(value: str) -> None:
    assert ID.validate_python(value) == value
    assert "~" not in value


@given(periods(), dates())
def test_periods_are_ordered_and_in_range(period: tuple[dt.date | None, ...], day: dt.date) -> None:
    start, end = period
    assert start is None or FIRST_DAY <= start <= LAST_DAY
    assert start is None or end is None or start <= end
    assert FIRST_DAY <= day <= LAST_DAY


@given(periods(open_start=False, open_end=False))
def test_closed_periods(period: tuple[dt.date | None, dt.date | None]) -> None:
    assert None not in period


@given(secrets())
def test_secrets_are_obviously_synthetic(value: str) -> None:
    assert value.startswith("SYN-")
    assert value[4:].isdigit()


@given(party_memberships(organisations=["PB1"], employers=["CO1"]))
def test_party_memberships_reference_what_they_are_given(m: PartyMembership) -> None:
    assert m.organisation == "PB1"
    if m.service is not MemberService.IN_SERVICE:
        assert m.employer is None


@given(persons(households=["H1", "H2"], party_organisations=["PB1"], with_personal=False))
def test_persons_without_personal_fields(p: Person) -> None:
    assert p.id_number is None
    assert p.phone is None
    assert p.household in {None, "H1", "H2"}


@pytest.mark.parametrize(
    "make",
    [
        lambda: ids(max_size=65),
        lambda: ids(min_size=0),
        lambda: structures(min_households=5, max_households=4),
        lambda: structures(min_households=-1),
        lambda: structures(code_scheme="db11_16"),
    ],
)
def test_bad_arguments_are_rejected_early(make: Callable[[], object]) -> None:
    with pytest.raises(InvalidArgument):
        make()


# -- structures ---------------------------------------------------------------------------
@FEW
@given(structures(min_households=3, max_households=7, with_personal=False))
def test_size_bounds_and_no_personal_fields(s: Structure) -> None:
    assert 3 <= len(s.households) <= 7
    assert all(p.id_number is None and p.phone is None for p in s.people)
    levels = {row["level"] for row in s.areas.to_rows()}
    assert {"street", "community", "grid"} <= levels


@FEW
@given(structures(code_scheme=st.sampled_from(SCHEMES)))
def test_codes_agree_with_the_hierarchy(s: Structure) -> None:
    assert s.code_scheme is not None
    scheme = get_scheme(s.code_scheme)
    rows = {r["id"]: r for r in s.areas.to_rows()}
    for row in rows.values():
        coded = row["level"] in scheme.levels
        assert (row["code"] is not None) is coded, row
        if not coded:
            continue
        parsed = scheme.parse(row["code"])
        assert parsed.level == row["level"]
        parent = rows.get(row["parent"]) if row["parent"] else None
        if parent is not None and parent["code"] is not None:
            assert scheme.check_child(parent["code"], row["code"], immediate=True) is None


@FEW
@given(structures())
def test_generated_structures_respect_their_own_rules(s: Structure) -> None:
    # Nothing here is checked by Structure itself; the generator promises it anyway.
    for jc in s.joint_committees:
        assert jc.rotation_problems() == []
    for cp in s.compounds:
        assert not (cp.self_governed and cp.property_company is not None)
    people = {p.id: p for p in s.people}
    for link in s.linked_households:
        assert people[link.member].party is not None
    for rb in s.report_backs:
        party = people[rb.member].party
        assert party is not None
        assert party.service is MemberService.IN_SERVICE
    for post in s.posts:
        seats = [(a.start, a.end) for a in s.appointments if a.post == post.id]
        assert max_concurrent(seats) <= post.max_holders


@FEW
@given(structures(max_households=20))
def test_generation_is_a_function_of_the_draws(s: Structure) -> None:
    # the same structure dumped and rebuilt compares equal field by field (no hidden state)
    back = Structure.model_validate(s.model_dump(context={"include_personal": True}))
    for name in Structure.model_fields:
        assert getattr(back, name) == getattr(s, name)


def test_every_kind_of_entity_appears() -> None:
    seen: set[object] = set()

    @settings(max_examples=60, deadline=None, derandomize=True, database=None)
    @given(structures(max_households=30))
    def collect(s: Structure) -> None:
        seen.update(AreaLevel(r["level"]) for r in s.areas.to_rows())
        seen.update(o.kind for o in s.organisations)
        seen.update(p.kind for p in s.posts)
        for p in s.people:
            if p.party is None:
                seen.add("non-member")
            else:
                seen.update((p.party.status, p.party.service))
            if p.phone is not None:
                seen.add("personal")
        seen.update("self-governed" if c.self_governed else "compound" for c in s.compounds)
        seen.add("households" if len(s.households) else "no-households")
        for name in ("appointments", "report_backs", "agreements", "joint_committees"):
            if getattr(s, name):
                seen.add(name)
        if any(a.projects for a in s.agreements):
            seen.add("projects")
        if len(s.linked_households):
            seen.add("linked_households")
        if s.supervision:
            seen.add("supervision")
        if s.cross_appointments():
            seen.add("cross_appointments")
        if any(o.start is not None or o.end is not None for o in s.organisations):
            seen.add("dated organisation")

    collect()
    expected: set[object] = {*AreaLevel, *OrgKind, *PostKind, *MemberStatus, *MemberService}
    expected -= {AreaLevel.HOUSEHOLD}
    expected |= {
        "non-member",
        "personal",
        "self-governed",
        "compound",
        "households",
        "no-households",
        "appointments",
        "report_backs",
        "agreements",
        "projects",
        "joint_committees",
        "linked_households",
        "supervision",
        "cross_appointments",
        "dated organisation",
    }
    assert expected - seen == set()


@settings(max_examples=3, deadline=None, database=None)
@given(structures(min_households=150, max_households=200, code_scheme="cjt349_20"))
def test_larger_structures(s: Structure) -> None:
    assert 150 <= len(s.households) <= 200
    assert s.rollup("street").get_column("households").sum() == len(s.households)
