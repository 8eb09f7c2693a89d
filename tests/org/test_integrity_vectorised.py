"""The vectorised integrity checks of households and links against straightforward Python.

gridgov.org._integrity checks the household and link tables with whole-column operations and
the households' key index (each id column hashed once). Here each check is written again the
plain way — sets, dicts and loops over rows — and both must report exactly the same problems,
with the same messages, in the same order, on generated structures broken in many places at
once: repeated households (same or another parent), ids shared by a household and an area,
person or post, links to missing members and households, people living in missing
households, appointments outside their post's or organisation's period, over-filled posts,
two posts sharing an id. Ids added here start with ``~``, which generated ids never contain.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gridgov.errors import Problem
from gridgov.org import Appointment, Structure
from gridgov.org._integrity import (
    MAX_PER_CODE,
    _appointments,
    _duplicates,
    _links,
    _nesting,
    _outside,
    _references,
    max_concurrent,
)
from gridgov.testing import ID_ALPHABET, structures

SOME = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)
assert "~" not in ID_ALPHABET


# -- the straightforward path -----------------------------------------------------------------
def capped(code: str, where: str, items: Sequence[tuple[str, str]]) -> list[Problem]:
    out = [Problem(code, loc, msg) for loc, msg in items[:MAX_PER_CODE]]
    if len(items) > MAX_PER_CODE:
        out.append(Problem(code, where, f"and {len(items) - MAX_PER_CODE} more like these"))
    return out


def plain_duplicates(s: Structure) -> list[Problem]:
    households = s.households.to_rows()
    seen_hh: dict[str, None] = {}
    for h in households:
        seen_hh.setdefault(h["id"], None)
    kinds: dict[str, list[str]] = {}
    for kind, ids in (
        ("area", [a["id"] for a in s.areas.to_rows()]),
        ("household", list(seen_hh)),
        ("organisation", [o.id for o in s.organisations]),
        ("person", [p.id for p in s.people]),
        ("post", [p.id for p in s.posts]),
        ("joint_committee", [j.id for j in s.joint_committees]),
    ):
        for i in ids:
            kinds.setdefault(i, []).append(kind)
    items = [
        (f"{k[0]}:{i}", f"id used {len(k)} times ({', '.join(sorted(set(k)))})")
        for i, k in sorted(kinds.items())
        if len(k) > 1
    ]
    out = capped("duplicate-id", "ids", items)
    counts = Counter(h["id"] for h in households)
    parents: dict[str, list[str]] = {}
    for h in households:
        if counts[h["id"]] > 1 and h["parent"] not in parents.setdefault(h["id"], []):
            parents[h["id"]].append(h["parent"])
    two = [(f"household:{h}", f"lies in {', '.join(p)}") for h, p in sorted(parents.items())
           if len(p) > 1]  # fmt: skip
    same = [(f"household:{h}", "repeated with the same parent")
            for h, p in sorted(parents.items()) if len(p) == 1]  # fmt: skip
    out += capped("household-multiple-parents", "households", two)
    out += capped("duplicate-id", "households", same)
    for name, ids in (
        ("appointment", [a.id for a in s.appointments]),
        ("agreement", [a.id for a in s.agreements]),
        ("project", [p.id for a in s.agreements for p in a.projects]),
        ("report_back", [r.id for r in s.report_backs]),
        ("compound", [c.id for c in s.compounds]),
    ):
        met: set[str] = set()
        for i in ids:
            if i in met:
                out.append(Problem("duplicate-id", f"{name}:{i}", "id used more than once"))
            met.add(i)
    return out


def plain_links(s: Structure) -> list[Problem]:
    people = {p.id for p in s.people}
    homes = {h["id"] for h in s.households.to_rows()}
    links = s.linked_households.to_rows()
    members = [
        (f"linked_household:{r['member']}", f"member {r['member']!r} does not exist")
        for r in links
        if r["member"] not in people
    ]
    households = [
        (f"linked_household:{r['member']}", f"household {r['household']!r} does not exist")
        for r in links
        if r["household"] not in homes
    ]
    return capped("dangling-reference", "linked_households", members) + capped(
        "dangling-reference", "linked_households", households
    )


def plain_homes(s: Structure) -> list[Problem]:
    homes = {h["id"] for h in s.households.to_rows()}
    return [
        Problem("dangling-reference", f"person:{p.id}", f"household {p.household!r} does not exist")
        for p in s.people
        if p.household is not None and p.household not in homes
    ]


def plain_appointments(s: Structure) -> list[Problem]:
    """The appointment checks as a loop over appointments (gridgov's former code)."""
    out: list[Problem] = []
    posts = {p.id: p for p in s.posts}
    orgs = {o.id: o for o in s.organisations}

    def within(inner: Any, outer: Any) -> bool:
        if outer.start is not None and (inner.start is None or inner.start < outer.start):
            return False
        return not (outer.end is not None and (inner.end is None or inner.end > outer.end))

    by_post: dict[str, list[tuple[dt.date | None, dt.date | None]]] = defaultdict(list)
    for a in s.appointments:
        post = posts.get(a.post)
        if post is None:
            continue
        by_post[a.post].append((a.start, a.end))
        loc = f"appointment:{a.id}"
        if not within(a, post):
            out.append(Problem("appointment-outside-post", loc,
                               f"{a.start}…{a.end} lies outside post {post.id} "
                               f"({post.start}…{post.end})"))  # fmt: skip
        org = orgs.get(post.organisation)
        if org is not None and not within(a, org):
            out.append(Problem("appointment-outside-org", loc,
                               f"{a.start}…{a.end} lies outside organisation {org.id} "
                               f"({org.start}…{org.end})"))  # fmt: skip
    for pid, periods in by_post.items():
        if len(periods) <= posts[pid].max_holders:
            continue
        n = max_concurrent(periods)
        if n > posts[pid].max_holders:
            out.append(Problem("over-filled-post", f"post:{pid}",
                               f"{n} concurrent holders; at most {posts[pid].max_holders} "
                               "allowed"))  # fmt: skip
    return out


def homes_reported(s: Structure) -> list[Problem]:
    return [
        p
        for p in _references(s, s.index, frozenset())
        if p.location.startswith("person:") and p.message.startswith("household ")
    ]


# -- structures broken in many places at once -------------------------------------------------
@st.composite
def broken(draw: st.DrawFn) -> Structure:
    s = draw(structures(max_households=25))
    hh = s.households.frame
    area_ids = s.areas.frame.get_column("id").to_list()
    hh_ids = hh.get_column("id").to_list()
    rows = hh.to_dicts()
    if rows:
        for k in draw(st.lists(st.integers(0, len(rows) - 1), max_size=4)):
            copy = dict(rows[k])
            if draw(st.booleans()):
                copy["parent"] = draw(st.sampled_from(area_ids))
            rows.append(copy)
    households = type(s.households)(pl.DataFrame(rows, schema=hh.schema))
    areas = s.areas
    people = list(s.people)
    posts = list(s.posts)
    if hh_ids:
        if draw(st.booleans()) and areas.frame.height:  # an area taking a household's id
            frame = areas.frame.with_row_index()
            k = draw(st.integers(0, frame.height - 1))
            taken = draw(st.sampled_from(hh_ids))
            frame = frame.with_columns(
                id=pl.when(pl.col("index") == k).then(pl.lit(taken)).otherwise(pl.col("id"))
            ).drop("index")
            areas = type(areas)(frame)
        if people and draw(st.booleans()):
            k = draw(st.integers(0, len(people) - 1))
            people[k] = people[k].model_copy(update={"id": draw(st.sampled_from(hh_ids))})
        if posts and draw(st.booleans()):
            k = draw(st.integers(0, len(posts) - 1))
            posts[k] = posts[k].model_copy(update={"id": draw(st.sampled_from(hh_ids))})
    for k in draw(st.lists(st.integers(0, max(len(people) - 1, 0)), max_size=3)):
        if people:
            people[k] = people[k].model_copy(update={"household": f"~gone{k}"})
    links = s.linked_households.frame.to_dicts()
    member_ids = [p.id for p in people] or ["~nobody"]
    for j in range(draw(st.integers(0, 4))):
        links.append(
            {
                "member": draw(st.sampled_from([*member_ids, f"~nobody{j}"])),
                "household": draw(st.sampled_from([*hh_ids, f"~nowhere{j}"])),
                "start": None,
                "end": None,
            }
        )
    link_table = type(s.linked_households)(
        pl.DataFrame(links, schema=s.linked_households.frame.schema)
    )
    appointments = list(s.appointments)
    post_ids = [p.id for p in posts] or ["~none"]
    person_ids = [p.id for p in people] or ["~nobody"]
    for j in range(draw(st.integers(0, 6))):  # extra holders, some outside every period
        start = draw(st.one_of(st.none(), st.dates(dt.date(2000, 1, 1), dt.date(2040, 1, 1))))
        end = draw(st.one_of(st.none(), st.dates(dt.date(2000, 1, 1), dt.date(2040, 1, 1))))
        appointments.append(
            Appointment(
                id=f"~appt{j}",
                person=draw(st.sampled_from(person_ids)),
                post=draw(st.sampled_from([*post_ids, "~gone"])),
                start=start,
                end=end if start is None or end is None or end >= start else start,
            )
        )
    for k in draw(st.lists(st.integers(0, max(len(posts) - 1, 0)), max_size=2)):
        if posts:  # a post of a missing organisation, or for a missing area
            field = draw(st.sampled_from(["organisation", "area"]))
            posts[k] = posts[k].model_copy(update={field: f"~no{field}{k}"})
    for k in draw(st.lists(st.integers(0, max(len(people) - 1, 0)), max_size=2)):
        party = people[k].party if people else None
        if party is not None:  # a member of a missing branch
            people[k] = people[k].model_copy(
                update={"party": party.model_copy(update={"organisation": f"~nobranch{k}"})}
            )
    if len(posts) > 1 and draw(st.booleans()):  # two posts sharing an id
        posts[1] = posts[1].model_copy(update={"id": posts[0].id})
    return s._derive(
        appointments=tuple(appointments),
        areas=areas,
        households=households,
        people=tuple(people),
        posts=tuple(posts),
        linked_households=link_table,
    )


@SOME
@given(broken())
def test_vectorised_checks_report_what_the_plain_loops_report(s: Structure) -> None:
    assert _duplicates(s) == plain_duplicates(s)
    assert _links(s, frozenset()) == plain_links(s)
    assert homes_reported(s) == plain_homes(s)
    assert _appointments(s) == plain_appointments(s)


@SOME
@given(structures(max_households=25))
def test_a_valid_structure_has_none_of_these_problems(s: Structure) -> None:
    assert _duplicates(s) == plain_duplicates(s) == []
    assert _links(s, frozenset()) == plain_links(s) == []
    assert homes_reported(s) == []
    assert _appointments(s) == plain_appointments(s) == []


# -- after the hardening: link periods and the references of people, posts, appointments -----
def joined_link_periods(s: Structure) -> list[Problem]:
    """Links dated outside their household, through a join (the former code)."""
    lf, hf = s.linked_households.frame, s.households.frame
    if not lf.height:
        return []
    joined = lf.join(
        hf.select("id", "start", "end").unique("id", keep="first", maintain_order=True),
        left_on="household", right_on="id", how="inner", suffix="_h", maintain_order="left",
    )  # fmt: skip
    return _outside(
        "linked_household", "household", joined["member"], joined["household"],
        joined.select("start", "end"),
        joined.select(pl.col("start_h").alias("start"), pl.col("end_h").alias("end")),
    )  # fmt: skip


def plain_references(s: Structure) -> list[Problem]:
    """References of people, posts and appointments, one lookup per reference (former code)."""
    out: list[Problem] = []
    orgs = {o.id for o in s.organisations}
    people = {p.id for p in s.people}
    posts = {p.id for p in s.posts}
    areas = set(s.areas.frame.get_column("id").to_list())

    def need(loc: str, what: str, ref: str | None, table: set[str]) -> None:
        if ref is not None and ref not in table:
            out.append(Problem("dangling-reference", loc, f"{what} {ref!r} does not exist"))

    for p in s.people:
        if p.party is not None:
            need(f"person:{p.id}", "party organisation", p.party.organisation, orgs)
            need(f"person:{p.id}", "employer", p.party.employer, orgs)
    for post in s.posts:
        need(f"post:{post.id}", "organisation", post.organisation, orgs)
        need(f"post:{post.id}", "area", post.area, areas)
    for a in s.appointments:
        need(f"appointment:{a.id}", "person", a.person, people)
        need(f"appointment:{a.id}", "post", a.post, posts)
    return out


def references_reported(s: Structure) -> list[Problem]:
    return [
        p
        for p in _references(s, s.index, frozenset())
        if p.location.split(":")[0] in {"post", "appointment"}
        or (p.location.startswith("person:") and not p.message.startswith("household "))
    ]


@SOME
@given(broken())
def test_link_periods_and_references_as_the_former_code(s: Structure) -> None:
    periods = [p for p in _nesting(s, s.index) if p.location.startswith("linked_household")]
    assert periods == joined_link_periods(s)
    assert references_reported(s) == plain_references(s)


# -- compounds and report-backs: the comprehension that skips the fine ones ------------------
def plain_compounds_and_report_backs(s: Structure) -> list[Problem]:
    """The former loop: every compound and report-back through every lookup."""
    from gridgov.org.vocab import AreaLevel, OrgKind

    out: list[Problem] = []
    orgs = {o.id: o for o in s.organisations}
    people = {p.id for p in s.people}
    level: dict[str, str] = {}
    for a, lvl in s.areas.frame.select("id", "level").iter_rows():
        level.setdefault(a, lvl)

    def need(loc: str, what: str, ref: str | None, table: Any) -> bool:
        if ref is None:
            return False
        if ref not in table:
            out.append(Problem("dangling-reference", loc, f"{what} {ref!r} does not exist"))
            return False
        return True

    def kind(loc: str, what: str, ref: str, ok: bool, expected: str) -> None:
        if not ok:
            out.append(Problem("wrong-reference-kind", loc, f"{what} {ref!r} is not {expected}"))

    for c in s.compounds:
        loc = f"compound:{c.id}"
        for b in c.buildings:
            if need(loc, "building", b, level):
                kind(loc, "building", b, level[b] == AreaLevel.BUILDING.value, "a building")
        if need(loc, "property company", c.property_company, orgs) and c.property_company:
            ok = orgs[c.property_company].kind is OrgKind.PROPERTY_COMPANY
            kind(loc, "property company", c.property_company, ok, "a property company")
        if c.self_governed and c.property_company is not None:
            message = "is marked self-governed but names a property company"
            out.append(Problem("compound-contradiction", loc, message))
    for r in s.report_backs:
        loc = f"report_back:{r.id}"
        need(loc, "member", r.member, people)
        if need(loc, "grid", r.grid, level):
            ok = level[r.grid] in {AreaLevel.GRID.value, AreaLevel.MICRO_GRID.value}
            kind(loc, "grid", r.grid, ok, "a grid")
    return out


@st.composite
def broken_compounds_and_report_backs(draw: st.DrawFn) -> Structure:
    s = draw(broken())
    area_ids = s.areas.frame.get_column("id").to_list() or ["~none"]
    org_ids = [o.id for o in s.organisations] or ["~none"]
    compounds = list(s.compounds)
    for k in draw(st.lists(st.integers(0, max(len(compounds) - 1, 0)), max_size=3)):
        if compounds:
            buildings = [*compounds[k].buildings, draw(st.sampled_from([*area_ids, "~nob"]))]
            company = draw(st.sampled_from([None, *org_ids, "~noco"]))
            compounds[k] = compounds[k].model_copy(
                update={"buildings": tuple(buildings), "property_company": company}
            )
    report_backs = list(s.report_backs)
    people = [p.id for p in s.people] or ["~nobody"]
    for k in draw(st.lists(st.integers(0, max(len(report_backs) - 1, 0)), max_size=3)):
        if report_backs:
            update = {
                "member": draw(st.sampled_from([*people, "~gone"])),
                "grid": draw(st.sampled_from([*area_ids, "~nogrid"])),
            }
            report_backs[k] = report_backs[k].model_copy(update=update)
    return s._derive(compounds=tuple(compounds), report_backs=tuple(report_backs))


@SOME
@given(broken_compounds_and_report_backs())
def test_compound_and_report_back_references_as_the_former_loop(s: Structure) -> None:
    reported = [
        p
        for p in _references(s, s.index, frozenset())
        if p.location.split(":")[0] in {"compound", "report_back"}
    ]
    assert reported == plain_compounds_and_report_backs(s)
