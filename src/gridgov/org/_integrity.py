"""Integrity checks of a structure: every problem found, each with a location and a stable code.

Problem codes (stable; tools and translations key on them):

==============================  ==========================================================
``duplicate-id``                an id used twice (areas, households, organisations, people,
                                posts and joint committees share one namespace)
``household-multiple-parents``  a household listed under two different areas
``dangling-reference``          a reference to an id that does not exist
``wrong-parent-kind``           e.g. a grid directly under a street; a party group under a
                                committee
``wrong-reference-kind``        a reference to an entity of the wrong kind (an agreement's
                                community that is a grid)
``cycle``                       an area or organisation that is its own ancestor
``end-before-start``            a period whose end precedes its start
``appointment-outside-post``    an appointment outside its post's lifetime
``appointment-outside-org``     an appointment outside its organisation's lifetime
``over-filled-post``            more concurrent holders than the post allows
``code-invalid``                an area code that does not parse under the structure's scheme
``code-mismatch``               an area code that does not carry its parent's prefix
``compound-contradiction``      a compound both self-governed and managed by a company
==============================  ==========================================================

Table-sized checks (areas, households, linked households) are vectorised with polars and
numpy; at most :data:`MAX_PER_CODE` problems of one code are listed per table, followed by a
count of the rest.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from gridgov.errors import GridCodeError, Problem
from gridgov.org._index import ROOT, UNKNOWN, AreaIndex, cycle_members
from gridgov.org.areas import ALLOWED_PARENTS
from gridgov.org.organisations import PARTY_PARENTS
from gridgov.org.vocab import AreaLevel, OrgKind

if TYPE_CHECKING:
    from gridgov.org._base import Dated
    from gridgov.org.structure import Structure

__all__ = ["MAX_PER_CODE", "find_problems"]

MAX_PER_CODE = 200
_LEVELS = list(AreaLevel)


def find_problems(s: Structure, index: AreaIndex) -> list[Problem]:
    """Every integrity problem of ``s``, in a stable order."""
    problems: list[Problem] = []
    problems += _duplicates(s)
    problems += _area_tree(s, index)
    problems += _households(s, index)
    problems += _periods(s)
    problems += _references(s, index)
    problems += _organisation_tree(s)
    problems += _appointments(s)
    problems += _codes(s, index)
    if s.geography is not None:
        from gridgov.org.geo import geography_problems

        problems += geography_problems(
            s.geography,
            set(s.areas.ids()),
            {o.id for o in s.organisations},
            {p.id for p in s.people},
        )
    return problems


def _capped(
    code: str, where: str, items: Sequence[tuple[str, str]], total: int | None = None
) -> Iterator[Problem]:
    """At most MAX_PER_CODE problems, then one that counts the rest (of ``total`` if given)."""
    total = len(items) if total is None else total
    for loc, msg in items[:MAX_PER_CODE]:
        yield Problem(code, loc, msg)
    if total > MAX_PER_CODE:
        yield Problem(code, where, f"and {total - MAX_PER_CODE} more like these")


# -- ids ------------------------------------------------------------------------------------
def _duplicates(s: Structure) -> list[Problem]:
    hf = s.households.frame
    hh_ids = hf.get_column("id")
    hh_repeated = hh_ids.is_duplicated()
    any_hh_repeated = bool(hh_repeated.any())

    def tagged(ids: pl.Series | list[str], kind: str) -> pl.DataFrame:
        frame = pl.DataFrame({"id": ids}, schema={"id": pl.String})
        return frame.with_columns(kind=pl.lit(kind, dtype=pl.String))

    frames = [
        tagged(s.areas.frame.get_column("id"), "area"),
        # repeats of a household id are reported below, as households in two places
        tagged(hh_ids.unique() if any_hh_repeated else hh_ids, "household"),
        tagged([o.id for o in s.organisations], "organisation"),
        tagged([p.id for p in s.people], "person"),
        tagged([p.id for p in s.posts], "post"),
        tagged([j.id for j in s.joint_committees], "joint_committee"),
    ]
    everything = pl.concat(frames)
    out: list[Problem] = []
    if bool(everything.get_column("id").is_duplicated().any()):  # the rare slow path
        dup = (
            everything.group_by("id", maintain_order=True)
            .agg(pl.col("kind"), pl.len().alias("n"))
            .filter(pl.col("n") > 1)
            .sort("id")
        )
        items = [
            (f"{kinds[0]}:{i}", f"id used {n} times ({', '.join(sorted(set(kinds)))})")
            for i, kinds, n in dup.iter_rows()
        ]
        out += _capped("duplicate-id", "ids", items)
    if any_hh_repeated:
        # the same id under different parents is a household in two places
        multi = (
            hf.filter(hh_repeated)
            .group_by("id", maintain_order=True)
            .agg(pl.col("parent").unique(maintain_order=True))
            .sort("id")
        )
        rows = multi.rows()
        two = [(f"household:{h}", f"lies in {', '.join(p)}") for h, p in rows if len(p) > 1]
        same = [(f"household:{h}", "repeated with the same parent") for h, p in rows if len(p) == 1]
        out += _capped("household-multiple-parents", "households", two)
        out += _capped("duplicate-id", "households", same)
    for name, items_ in (
        ("appointment", [a.id for a in s.appointments]),
        ("agreement", [a.id for a in s.agreements]),
        ("project", [p.id for a in s.agreements for p in a.projects]),
        ("report_back", [r.id for r in s.report_backs]),
        ("compound", [c.id for c in s.compounds]),
    ):
        seen: set[str] = set()
        for i in items_:
            if i in seen:
                out.append(Problem("duplicate-id", f"{name}:{i}", "id used more than once"))
            seen.add(i)
    return out


# -- spatial tree ---------------------------------------------------------------------------
def _area_tree(s: Structure, ix: AreaIndex) -> list[Problem]:
    out: list[Problem] = []
    af = s.areas.frame
    parents = af.get_column("parent").to_list()
    dangling = np.flatnonzero(ix.parent == UNKNOWN).tolist()
    out += _capped(
        "dangling-reference",
        "areas",
        [(f"area:{ix.ids[i]}", f"parent {parents[i]!r} is not an area") for i in dangling],
    )
    wrong: list[tuple[str, str]] = []
    for depth, level in enumerate(_LEVELS[:-1]):
        allowed = ALLOWED_PARENTS[level]
        sel = np.flatnonzero(ix.depth == depth)
        if not sel.size:
            continue
        par = ix.parent[sel]
        if None not in allowed:
            wrong.extend(
                (f"area:{ix.ids[i]}", f"a {level.value} needs a parent")
                for i in sel[par == ROOT].tolist()
            )
        known = par >= 0
        ok_depths = np.array([p.depth for p in allowed if p is not None], dtype=np.int64)
        bad = sel[known][~np.isin(ix.depth[par[known]], ok_depths)]
        for i in bad.tolist():
            p = int(ix.parent[i])
            where = f"{ix.level_of(p).value} ({ix.ids[p]})"
            wrong.append((f"area:{ix.ids[i]}", f"a {level.value} cannot lie directly in a {where}"))
    out += _capped("wrong-parent-kind", "areas", wrong)
    cyc = ix.cycle_members()
    out += _capped("cycle", "areas", [(f"area:{ix.ids[i]}", "is its own ancestor") for i in cyc])
    return out


def _households(s: Structure, ix: AreaIndex) -> list[Problem]:
    out: list[Problem] = []
    hf = s.households.frame
    ids = hf.get_column("id")
    dangling = np.flatnonzero(ix.hh_parent == UNKNOWN)
    parents = hf.get_column("parent")
    out += _capped(
        "dangling-reference",
        "households",
        [
            (f"household:{ids[int(i)]}", f"parent {parents[int(i)]!r} is not an area")
            for i in dangling[:MAX_PER_CODE]
        ],
        total=int(dangling.size),
    )
    allowed = np.array(
        [p.depth for p in ALLOWED_PARENTS[AreaLevel.HOUSEHOLD] if p is not None], dtype=np.int64
    )
    known = ix.hh_parent >= 0
    bad = np.flatnonzero(known)[~np.isin(ix.depth[ix.hh_parent[known]], allowed)]
    out += _capped(
        "wrong-parent-kind",
        "households",
        [
            (
                f"household:{ids[int(i)]}",
                f"a household cannot lie directly in a {ix.level_of(int(ix.hh_parent[i])).value}",
            )
            for i in bad[:MAX_PER_CODE]
        ],
        total=int(bad.size),
    )
    return out


# -- periods --------------------------------------------------------------------------------
def _dated_models(s: Structure) -> Iterator[tuple[str, Dated]]:
    for c in s.compounds:
        yield f"compound:{c.id}", c
    for o in s.organisations:
        yield f"organisation:{o.id}", o
    for p in s.posts:
        yield f"post:{p.id}", p
    for a in s.appointments:
        yield f"appointment:{a.id}", a
    for r in s.report_backs:
        yield f"report_back:{r.id}", r
    for ag in s.agreements:
        yield f"agreement:{ag.id}", ag
        for pr in ag.projects:
            yield f"project:{pr.id}", pr
    for j in s.joint_committees:
        yield f"joint_committee:{j.id}", j
        for k, t in enumerate(j.chair_rotation):
            yield f"joint_committee:{j.id}:chair[{k}]", t
    for k, sv in enumerate(s.supervision):
        yield f"supervision[{k}]", sv


def _periods(s: Structure) -> list[Problem]:
    out: list[Problem] = []
    for name, table, key in (
        ("area", s.areas, "id"),
        ("household", s.households, "id"),
        ("linked_household", s.linked_households, "member"),
    ):
        f = table.frame
        bad = f.filter(pl.col("end") < pl.col("start"))
        items = [
            (f"{name}:{k}", f"ends {e} before it starts {st}")
            for k, st, e in bad.select(key, "start", "end").iter_rows()
        ]
        out += _capped("end-before-start", f"{name}s", items)
    for loc, m in _dated_models(s):
        if m.start is not None and m.end is not None and m.end < m.start:
            out.append(Problem("end-before-start", loc, f"ends {m.end} before it starts {m.start}"))
    return out


# -- references -----------------------------------------------------------------------------
def _references(s: Structure, ix: AreaIndex) -> list[Problem]:  # noqa: PLR0912, PLR0915  # one pass, one place
    out: list[Problem] = []
    orgs = {o.id: o for o in s.organisations}
    people = {p.id: p for p in s.people}
    posts = {p.id: p for p in s.posts}

    def area_level(a: str) -> AreaLevel | None:
        i = ix.pos.get(a)
        return None if i is None else ix.level_of(i)

    def need(loc: str, what: str, ref: str | None, table: Collection[str] | None) -> bool:
        if ref is None:
            return False
        found = (ref in ix.pos) if table is None else (ref in table)
        if not found:
            out.append(Problem("dangling-reference", loc, f"{what} {ref!r} does not exist"))
        return found

    def kind(loc: str, what: str, ref: str, ok: bool, expected: str) -> None:
        if not ok:
            out.append(Problem("wrong-reference-kind", loc, f"{what} {ref!r} is not {expected}"))

    hh = s.households
    compound_ids = {c.id for c in s.compounds}
    for c in s.compounds:
        loc = f"compound:{c.id}"
        for b in c.buildings:
            if need(loc, "building", b, None):
                kind(loc, "building", b, area_level(b) is AreaLevel.BUILDING, "a building")
        if need(loc, "property company", c.property_company, orgs) and c.property_company:
            ok = orgs[c.property_company].kind is OrgKind.PROPERTY_COMPANY
            kind(loc, "property company", c.property_company, ok, "a property company")
        if c.self_governed and c.property_company is not None:
            out.append(
                Problem(
                    "compound-contradiction",
                    loc,
                    "is marked self-governed but names a property company",
                )
            )
    for o in s.organisations:
        loc = f"organisation:{o.id}"
        need(loc, "parent", o.parent, orgs)
        need(loc, "host", o.host, orgs)
        if need(loc, "area", o.area, None) and o.area and o.kind is OrgKind.GRID_PARTY_GROUP:
            lvl = area_level(o.area)
            ok = lvl in {AreaLevel.GRID, AreaLevel.MICRO_GRID}
            kind(loc, "area", o.area, ok, "a grid")
        compound = getattr(o, "compound", None)
        if isinstance(compound, str):
            need(loc, "compound", compound, compound_ids)
    homes = [(p.id, p.household) for p in s.people if p.household is not None]
    if homes:  # one vectorised membership test instead of a lookup per person
        known = pl.Series([h for _, h in homes], dtype=pl.String).is_in(
            hh.frame.get_column("id").implode()
        )
        out.extend(
            Problem("dangling-reference", f"person:{pid}", f"household {h!r} does not exist")
            for (pid, h), ok in zip(homes, known.to_list(), strict=True)
            if not ok
        )
    for p in s.people:
        loc = f"person:{p.id}"
        if p.party is not None:
            need(loc, "party organisation", p.party.organisation, orgs)
            need(loc, "employer", p.party.employer, orgs)
    for post in s.posts:
        loc = f"post:{post.id}"
        need(loc, "organisation", post.organisation, orgs)
        need(loc, "area", post.area, None)
    for a in s.appointments:
        loc = f"appointment:{a.id}"
        need(loc, "person", a.person, people)
        need(loc, "post", a.post, posts)
    for r in s.report_backs:
        loc = f"report_back:{r.id}"
        need(loc, "member", r.member, people)
        if need(loc, "grid", r.grid, None):
            ok = area_level(r.grid) in {AreaLevel.GRID, AreaLevel.MICRO_GRID}
            kind(loc, "grid", r.grid, ok, "a grid")
    for ag in s.agreements:
        loc = f"agreement:{ag.id}"
        if need(loc, "unit", ag.unit, orgs):
            kind(loc, "unit", ag.unit, orgs[ag.unit].kind is OrgKind.CO_BUILDING_UNIT,
                 "a co-building unit")  # fmt: skip
        if need(loc, "community", ag.community, None):
            ok = area_level(ag.community) is AreaLevel.COMMUNITY
            kind(loc, "community", ag.community, ok, "a community")
    for j in s.joint_committees:
        loc = f"joint_committee:{j.id}"
        need(loc, "community", j.community, None)
        need(loc, "lead", j.lead, orgs)
        for m in j.members:
            need(loc, "member", m, orgs)
        for t in j.chair_rotation:
            need(loc, "chair", t.organisation, orgs)
    for k, sv in enumerate(s.supervision):
        loc = f"supervision[{k}]"
        need(loc, "supervisor", sv.supervisor, orgs)
        if sv.subject not in orgs and sv.subject not in ix.pos:
            out.append(Problem("dangling-reference", loc, f"subject {sv.subject!r} does not exist"))
    out += _links(s)
    return out


def _links(s: Structure) -> list[Problem]:
    lf = s.linked_households.frame
    people = pl.Series("member", [p.id for p in s.people], dtype=pl.String)
    hh = s.households.frame.get_column("id")
    bad_m = lf.filter(~pl.col("member").is_in(people.implode()))
    bad_h = lf.filter(~pl.col("household").is_in(hh.implode()))
    out = list(
        _capped(
            "dangling-reference",
            "linked_households",
            [
                (f"linked_household:{m}", f"member {m!r} does not exist")
                for m in bad_m.get_column("member").to_list()
            ],
        )
    )
    out += _capped(
        "dangling-reference",
        "linked_households",
        [
            (f"linked_household:{m}", f"household {h!r} does not exist")
            for m, h in bad_h.select("member", "household").iter_rows()
        ],
    )
    return out


# -- party tree -----------------------------------------------------------------------------
def _organisation_tree(s: Structure) -> list[Problem]:
    out: list[Problem] = []
    orgs = list(s.organisations)
    pos = {o.id: i for i, o in enumerate(orgs)}
    for o in orgs:
        allowed = PARTY_PARENTS.get(o.kind)
        if allowed is None:
            continue
        parent = orgs[pos[o.parent]] if o.parent in pos else None
        if o.parent is None and None not in allowed:
            out.append(
                Problem(
                    "wrong-parent-kind", f"organisation:{o.id}", f"a {o.kind.value} needs a parent"
                )
            )
        elif parent is not None and parent.kind not in allowed:
            out.append(
                Problem(
                    "wrong-parent-kind",
                    f"organisation:{o.id}",
                    f"a {o.kind.value} cannot report to a {parent.kind.value} ({parent.id})",
                )
            )
    parent_arr = np.array(
        [pos.get(o.parent, -2) if o.parent is not None else -1 for o in orgs], dtype=np.int64
    )
    out.extend(
        Problem("cycle", f"organisation:{orgs[i].id}", "is its own ancestor")
        for i in cycle_members(parent_arr, bound=12)
    )
    return out


# -- appointments ---------------------------------------------------------------------------
def _within(inner: Dated, outer: Dated) -> bool:
    if outer.start is not None and (inner.start is None or inner.start < outer.start):
        return False
    return not (outer.end is not None and (inner.end is None or inner.end > outer.end))


def max_concurrent(periods: Iterable[tuple[dt.date | None, dt.date | None]]) -> int:
    """Largest number of closed periods that share a day (``None`` = open).

    Examples
    --------
    >>> import datetime as dt
    >>> d = dt.date
    >>> max_concurrent([(d(2024, 1, 1), d(2024, 6, 30)), (d(2024, 6, 30), None),
    ...                 (d(2024, 7, 1), None)])
    2
    """
    events: list[tuple[dt.date, int]] = []
    for start, end in periods:
        events.append((start or dt.date.min, 1))
        if end is not None and end < dt.date.max:
            events.append((end + dt.timedelta(days=1), -1))
    events.sort(key=lambda e: (e[0], e[1]))  # a period ending yesterday leaves before one starts
    best = run = 0
    for _, delta in events:
        run += delta
        best = max(best, run)
    return best


def _appointments(s: Structure) -> list[Problem]:
    out: list[Problem] = []
    posts = {p.id: p for p in s.posts}
    orgs = {o.id: o for o in s.organisations}
    by_post: dict[str, list[tuple[dt.date | None, dt.date | None]]] = defaultdict(list)
    for a in s.appointments:
        post = posts.get(a.post)
        if post is None:
            continue
        by_post[a.post].append((a.start, a.end))
        loc = f"appointment:{a.id}"
        if not _within(a, post):
            out.append(
                Problem(
                    "appointment-outside-post",
                    loc,
                    f"{a.start}…{a.end} lies outside post {post.id} ({post.start}…{post.end})",
                )
            )
        org = orgs.get(post.organisation)
        if org is not None and not _within(a, org):
            out.append(
                Problem(
                    "appointment-outside-org",
                    loc,
                    f"{a.start}…{a.end} lies outside organisation {org.id} ({org.start}…{org.end})",
                )
            )
    for pid, periods in by_post.items():
        if len(periods) <= posts[pid].max_holders:
            continue  # cannot be over-filled: skip the sweep (most posts have one holder)
        n = max_concurrent(periods)
        if n > posts[pid].max_holders:
            out.append(
                Problem(
                    "over-filled-post",
                    f"post:{pid}",
                    f"{n} concurrent holders; at most {posts[pid].max_holders} allowed",
                )
            )
    return out


# -- codes ----------------------------------------------------------------------------------
def _codes(s: Structure, ix: AreaIndex) -> list[Problem]:
    if s.code_scheme is None:
        return []
    from gridgov.org.codes import get_scheme

    try:
        scheme = get_scheme(s.code_scheme)
    except GridCodeError as exc:
        return [Problem("code-invalid", "structure:code_scheme", str(exc))]
    codes = s.areas.frame.get_column("code").to_list()
    invalid: list[tuple[str, str]] = []
    mismatch: list[tuple[str, str]] = []
    valid = [False] * ix.n
    for i, code in enumerate(codes):
        if code is None:
            continue
        try:
            scheme.parse(code)
        except GridCodeError as exc:
            invalid.append((f"area:{ix.ids[i]}", str(exc)))
        else:
            valid[i] = True
    for i, code in enumerate(codes):
        p = int(ix.parent[i])
        if not valid[i] or p < 0 or not valid[p]:
            continue
        problem = scheme.check_child(codes[p], code)
        if problem is not None:
            mismatch.append((f"area:{ix.ids[i]}", f"code {code}: {problem}"))
    return list(_capped("code-invalid", "areas", invalid)) + list(
        _capped("code-mismatch", "areas", mismatch)
    )
