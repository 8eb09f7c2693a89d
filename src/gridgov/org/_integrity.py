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
``outside-parent-period``       an area or household dated outside the area that holds it
                                (starting before it, or outliving it); a linked household
                                dated outside its household
``appointment-outside-post``    an appointment outside its post's lifetime
``appointment-outside-org``     an appointment outside its organisation's lifetime
``over-filled-post``            more concurrent holders than the post allows
``code-invalid``                an area code that does not parse under the structure's scheme
``code-mismatch``               an area code that does not carry its parent's prefix
``code-wrong-level``            an area code at another level than its area's (a street
                                carrying a grid code); a CJ/T 349 undivided community's one
                                grid may carry the community's code
``duplicate-code``              two areas of one level carrying the same code on a common day
``compound-contradiction``      a compound both self-governed and managed by a company
``building-multiple-compounds`` a building listed in two compounds whose periods overlap
``link-not-party-member``       a linked household (党员联系户) whose member has no party
                                membership
``bad-id``, ``out-of-range``,   field and cell problems (:mod:`gridgov.org.tables`,
``missing``, ``int-parsing``…   :mod:`gridgov.org._fields`): reported with the integrity
                                problems of everything that validated, in one error
==============================  ==========================================================

Table-sized checks (areas, households, linked households) are vectorised with polars and
numpy; at most :data:`MAX_PER_CODE` problems of one code are listed per table, followed by a
count of the rest.

Conventions: codes are kebab-case; a location is ``kind:id`` (``area:G1``), or for a cell
``table row N, column C`` with rows counted from 1 (spreadsheet style), or a document path
(``people[0].birth_year``, list indices from 0 as in JSON Pointer).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, TypeVar

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

DatedT = TypeVar("DatedT", bound="Dated")

MAX_PER_CODE = 200
_LEVELS = list(AreaLevel)


def find_problems(
    s: Structure, index: AreaIndex, unvalidated: frozenset[str] = frozenset()
) -> list[Problem]:
    """Every integrity problem of ``s``, in a stable order.

    ``unvalidated`` holds the ids of entities left out of ``s`` because their own fields did
    not validate (reported as field problems): a reference to one of them is neither a
    dangling reference nor checked for its kind.
    """
    problems: list[Problem] = []
    problems += _duplicates(s)
    problems += _area_tree(s, index, unvalidated)
    problems += _households(s, index, unvalidated)
    problems += _periods(s)
    problems += _nesting(s, index)
    problems += _membership(s)
    problems += _references(s, index, unvalidated)
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
    """Ids used twice, every kind; the household ids hashed once, through their key index.

    The index (reused by every lookup after) finds repeated household ids and any other id
    that is also a household's; the other namespaces are checked together. The messages are
    built only on the rare slow path.
    """
    hf = s.households.frame
    hh_ids = hf.get_column("id")
    if hf.height:
        hh_index = s.households.key_index
        hh_repeated = pl.Series(hh_index.repeated())
        any_hh_repeated = bool(hh_repeated.any())
    else:
        any_hh_repeated = False

    def tagged(ids: pl.Series | list[str], kind: str) -> pl.DataFrame:
        frame = pl.DataFrame({"id": ids}, schema={"id": pl.String})
        return frame.with_columns(kind=pl.lit(kind, dtype=pl.String))

    others = [
        tagged(s.areas.frame.get_column("id"), "area"),
        tagged([o.id for o in s.organisations], "organisation"),
        tagged(s._rollups.people().ids, "person"),
        tagged([p.id for p in s.posts], "post"),
        tagged([j.id for j in s.joint_committees], "joint_committee"),
    ]
    small = pl.concat(others).get_column("id")
    clash = small.n_unique() < small.len()
    if not clash and hf.height and small.len():
        clash = bool((hh_index.positions(small) >= 0).any())
    out: list[Problem] = []
    if clash:  # the rare slow path: every id of every kind, grouped
        frames = [
            others[0],
            # repeats of a household id are reported below, as households in two places
            tagged(hh_ids.unique(maintain_order=True) if any_hh_repeated else hh_ids, "household"),
            *others[1:],
        ]
        everything = pl.concat(frames)
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
        if len(set(items_)) == len(items_):
            continue  # the common case, at C speed
        seen: set[str] = set()
        for i in items_:
            if i in seen:
                out.append(Problem("duplicate-id", f"{name}:{i}", "id used more than once"))
            seen.add(i)
    return out


# -- spatial tree ---------------------------------------------------------------------------
def _unvalidated_mask(refs: pl.Series, unvalidated: frozenset[str]) -> np.ndarray:
    """Which references name an entity that was left out for its own field problems."""
    if not unvalidated:
        return np.zeros(len(refs), dtype=bool)
    known = pl.Series(sorted(unvalidated), dtype=pl.String).implode()
    return refs.is_in(known).fill_null(False).to_numpy()


def _area_tree(s: Structure, ix: AreaIndex, unvalidated: frozenset[str]) -> list[Problem]:
    out: list[Problem] = []
    af = s.areas.frame
    parents = af.get_column("parent").to_list()
    unknown = (ix.parent == UNKNOWN) & ~_unvalidated_mask(af.get_column("parent"), unvalidated)
    dangling = np.flatnonzero(unknown).tolist()
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


def _households(s: Structure, ix: AreaIndex, unvalidated: frozenset[str]) -> list[Problem]:
    out: list[Problem] = []
    hf = s.households.frame
    ids = hf.get_column("id")
    parents = hf.get_column("parent")
    dangling = np.flatnonzero((ix.hh_parent == UNKNOWN) & ~_unvalidated_mask(parents, unvalidated))
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
def _inverted(models: Sequence[DatedT]) -> list[DatedT]:
    """The models whose end precedes their start (a comprehension: the many are fine)."""
    return [m for m in models if m.start is not None and m.end is not None and m.end < m.start]


def _dated_models(s: Structure) -> Iterator[tuple[str, Dated]]:
    """Dated models with their locations, for :func:`_periods`.

    Of the many (posts, appointments, report-backs) only those whose period is inverted: the
    only ones reported.
    """
    for c in s.compounds:
        yield f"compound:{c.id}", c
    for o in s.organisations:
        yield f"organisation:{o.id}", o
    for p in _inverted(s.posts):
        yield f"post:{p.id}", p
    for a in _inverted(s.appointments):
        yield f"appointment:{a.id}", a
    for r in _inverted(s.report_backs):
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


def _days(column: pl.Series, open_as: int) -> np.ndarray:
    """Dates as day numbers, an open side (null) as ``open_as``."""
    return column.cast(pl.Int64).fill_null(open_as).to_numpy()


_OPEN_START, _OPEN_END = -(2**40), 2**40


def _rows(frame: pl.DataFrame, rows: np.ndarray) -> pl.DataFrame:
    return frame.select(pl.all().gather(rows))


def _outside(  # noqa: PLR0917  # the six columns of one comparison
    kind: str, label: str, ids: pl.Series, holders: pl.Series, inner: pl.DataFrame,
    outer: pl.DataFrame,
) -> list[Problem]:  # fmt: skip
    """Rows whose ``inner`` period is not inside the ``outer`` period of their holder."""
    every = np.arange(len(ids), dtype=np.int64)
    return _outside_rows(kind, label, (ids, every), (holders, every), (inner, every),
                         (outer, every))  # fmt: skip


_Cells = tuple[pl.Series, np.ndarray]  # a column and the rows of it compared
_Periods = tuple[pl.DataFrame, np.ndarray]  # start and end columns and the rows compared


def _outside_rows(  # noqa: PLR0917  # the four (column, rows) pairs of one comparison
    kind: str, label: str, ids: _Cells, holders: _Cells, inner: _Periods, outer: _Periods
) -> list[Problem]:
    """:func:`_outside` of ``column[rows]`` for each pair, without gathering every row.

    The periods are compared as day numbers through the row arrays (numpy); ids, holders and
    dates are gathered only for the rows reported.
    """
    (inner_f, i_rows), (outer_f, o_rows) = inner, outer
    i_start = _days(inner_f["start"], _OPEN_START)[i_rows]
    i_end = _days(inner_f["end"], _OPEN_END)[i_rows]
    o_start = _days(outer_f["start"], _OPEN_START)[o_rows]
    o_end = _days(outer_f["end"], _OPEN_END)[o_rows]
    early, late = i_start < o_start, i_end > o_end
    inverted = (i_end < i_start) | (o_end < o_start)  # reported once, as end-before-start
    bad = np.flatnonzero((early | late) & ~inverted)
    shown = bad[:MAX_PER_CODE]
    id_text = ids[0].gather(ids[1][shown]).to_list()
    holder_text = holders[0].gather(holders[1][shown]).to_list()
    i_dates = _rows(inner_f, i_rows[shown]).rows()
    o_dates = _rows(outer_f, o_rows[shown]).rows()
    items: list[tuple[str, str]] = []
    for k, i in enumerate(shown.tolist()):
        what = []
        holder = f"{label} {holder_text[k]}"
        (begun, ends), (o_begun, o_ends) = i_dates[k], o_dates[k]
        if early[i]:
            when = f"starts {begun}" if begun is not None else "has no start"
            what.append(f"{when}, but {holder} starts {o_begun}")
        if late[i]:
            when = f"ends {ends}" if ends is not None else "has no end"
            what.append(f"{when}, but {holder} ends {o_ends}")
        items.append((f"{kind}:{id_text[k]}", "; ".join(what)))
    return list(_capped("outside-parent-period", f"{kind}s", items, total=int(bad.size)))


def _nesting(s: Structure, ix: AreaIndex) -> list[Problem]:
    """Areas and households dated outside the area holding them; links outside their household.

    A child that outlives its parent would, on a later day, hang from nothing (``as_of``
    would make it a root that drops out of every roll-up), so it is a problem of the input.
    Whole-column comparisons over the dense index; text only for the rows reported.
    """
    af, hf, lf = s.areas.frame, s.households.frame, s.linked_households.frame
    a_ids, a_period = af.get_column("id"), af.select("start", "end")
    out: list[Problem] = []
    known = np.flatnonzero(ix.parent >= 0)
    par = ix.parent[known]
    out += _outside_rows(
        "area", "its parent", (a_ids, known), (a_ids, par), (a_period, known), (a_period, par)
    )
    hk = np.flatnonzero(ix.hh_parent >= 0)
    par = ix.hh_parent[hk]
    h_period = hf.select("start", "end")
    out += _outside_rows(
        "household", "its area", (hf.get_column("id"), hk), (a_ids, par), (h_period, hk),
        (a_period, par),
    )  # fmt: skip
    if lf.height:  # each link's household row, looked up once (kept for the roll-ups)
        rows = s._rollups.links()[0]
        found = np.flatnonzero(rows >= 0)
        out += _outside_rows(
            "linked_household", "household", (lf.get_column("member"), found),
            (lf.get_column("household"), found), (lf.select("start", "end"), found),
            (h_period, rows[found]),
        )  # fmt: skip
    return out


# -- who may be linked, what a compound holds ----------------------------------------------
def _membership(s: Structure) -> list[Problem]:
    """Linked households of non-party members; a building in two compounds at once.

    A linked household (党员联系户) is a party member's; a building lies in one compound
    (小区) at a time. Both vectorised: a membership test over the link table, a self-join of
    the (compound, building) pairs.
    """
    out: list[Problem] = []
    lf = s.linked_households.frame
    if lf.height:
        people = s._rollups.people()
        outsiders = pl.Series(
            [i for i, q in zip(people.ids, people.parties, strict=True) if q is None],
            dtype=pl.String,
        )
        bad = lf.filter(pl.col("member").is_in(outsiders.implode()))
        items = [
            (
                f"linked_household:{m}",
                (
                    f"member {m!r} is linked to household {h!r} but is not a party member "
                    "(a linked household, 党员联系户, is a party member's)"
                ),
            )
            for m, h in bad.select("member", "household").head(MAX_PER_CODE).iter_rows()
        ]
        out += _capped("link-not-party-member", "linked_households", items, total=bad.height)
    if s.compounds:
        pairs = pl.DataFrame(
            [(c.id, b, c.start, c.end) for c in s.compounds for b in c.buildings],
            schema=[
                ("compound", pl.String), ("building", pl.String),
                ("start", pl.Date), ("end", pl.Date),
            ],
            orient="row",
        )  # fmt: skip
        pairs = pairs.filter(pl.col("building").is_duplicated())
        both = (
            pairs.join(pairs, on="building", suffix="_b")
            .filter(pl.col("compound") < pl.col("compound_b"))
            .filter(_overlap_expr())
            .unique(["building", "compound", "compound_b"], maintain_order=True)
            .sort("building", "compound", "compound_b")
        )
        items = [
            (f"compound:{b}", f"building {bl!r} is also in compound {a!r} at the same time")
            for bl, a, b in both.select("building", "compound", "compound_b").iter_rows()
        ]
        out += _capped("building-multiple-compounds", "compounds", items)
    return out


# -- references -----------------------------------------------------------------------------
def _references(  # noqa: PLR0912, PLR0915  # one pass, one place
    s: Structure, ix: AreaIndex, unvalidated: frozenset[str]
) -> list[Problem]:
    out: list[Problem] = []
    orgs = {o.id: o for o in s.organisations}
    columns = s._rollups.people()
    people = set(columns.ids)
    # ids whose (first) area is at a level: lets a comprehension skip the many fine references
    first_ids = list(ix.pos)
    first_depth = ix.depth[np.fromiter(ix.pos.values(), dtype=np.int64, count=len(first_ids))]
    buildings = {first_ids[k] for k in np.flatnonzero(first_depth == AreaLevel.BUILDING.depth)}
    grid_depths = [AreaLevel.GRID.depth, AreaLevel.MICRO_GRID.depth]
    grids = {first_ids[k] for k in np.flatnonzero(np.isin(first_depth, grid_depths))}

    def area_level(a: str) -> AreaLevel | None:
        i = ix.pos.get(a)
        return None if i is None else ix.level_of(i)

    def need(loc: str, what: str, ref: str | None, table: Collection[str] | None) -> bool:
        if ref is None or ref in unvalidated:
            return False
        found = (ref in ix.pos) if table is None else (ref in table)
        if not found:
            out.append(Problem("dangling-reference", loc, f"{what} {ref!r} does not exist"))
        return found

    def kind(loc: str, what: str, ref: str, ok: bool, expected: str) -> None:
        if not ok:
            out.append(Problem("wrong-reference-kind", loc, f"{what} {ref!r} is not {expected}"))

    compound_ids = {c.id for c in s.compounds}
    for c in [
        c for c in s.compounds
        if c.property_company is not None or not buildings.issuperset(c.buildings)
    ]:  # fmt: skip
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
    # each home looked up once in the household key index (kept for the roll-ups)
    homes = columns.households
    out.extend(
        Problem("dangling-reference", f"person:{columns.ids[i]}",
                f"household {homes[i]!r} does not exist")
        for i in np.flatnonzero(s._rollups.home_rows() < 0).tolist()
        if homes[i] is not None and homes[i] not in unvalidated
    )  # fmt: skip
    # the many people, posts and appointments: sets or the kept arrays find the few that may
    # hold a problem (a reference not found), and only those go through need(), in order
    members = [q for q in columns.parties if q is not None]
    named = {q.organisation for q in members} | {q.employer for q in members}
    if not named <= {None, *orgs}:
        for p in s.people:
            if p.party is not None:
                loc = f"person:{p.id}"
                need(loc, "party organisation", p.party.organisation, orgs)
                need(loc, "employer", p.party.employer, orgs)
    arr = s._rollups.post_arrays()  # organisation and area positions, -1 where not found
    for i in np.flatnonzero((arr.organisation < 0) | (arr.own_area & (arr.area < 0))).tolist():
        post = s.posts[i]
        loc = f"post:{post.id}"
        need(loc, "organisation", post.organisation, orgs)
        need(loc, "area", post.area, None)
    odd = arr.appointment_post < 0  # its post not found
    persons = [a.person for a in s.appointments]
    if not people.issuperset(persons):
        odd |= np.array([p not in people for p in persons], dtype=bool).reshape(-1)
    posts = {p.id for p in s.posts} if odd.any() else set()
    for i in np.flatnonzero(odd).tolist():
        a = s.appointments[i]
        loc = f"appointment:{a.id}"
        need(loc, "person", a.person, people)
        need(loc, "post", a.post, posts)
    for r in [r for r in s.report_backs if r.member not in people or r.grid not in grids]:
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
        known_subject = sv.subject in orgs or sv.subject in ix.pos or sv.subject in unvalidated
        if not known_subject:
            out.append(Problem("dangling-reference", loc, f"subject {sv.subject!r} does not exist"))
    out += _links(s, unvalidated)
    return out


def _links(s: Structure, unvalidated: frozenset[str]) -> list[Problem]:
    """Links to members and households that do not exist; nothing done for no links.

    The household column is looked up once in the households' key index (the rows are kept
    for the roll-ups and shared with the period check).
    """
    lf = s.linked_households.frame
    if not lf.height:
        return []
    people = pl.Series("member", s._rollups.people().ids, dtype=pl.String)
    skip = pl.Series(sorted(unvalidated), dtype=pl.String).implode()
    bad_m = lf.filter(~pl.col("member").is_in(people.implode()) & ~pl.col("member").is_in(skip))
    missing = s._rollups.links()[0] < 0
    if unvalidated:
        missing &= ~lf.get_column("household").is_in(skip).to_numpy()
    bad_h = np.flatnonzero(missing)
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
            for m, h in lf.select("member", "household").select(pl.all().gather(bad_h)).iter_rows()
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
    """Appointments outside their post's or organisation's lifetime; over-filled posts.

    Whole-array comparisons over the posts' and appointments' periods (the arrays are kept
    for the roll-ups); text only for the appointments reported.
    """
    if not s.appointments or not s.posts:
        return []  # no post: no appointment can lie outside one, nor over-fill one
    arr = s._rollups.post_arrays()
    post = arr.appointment_post
    known = post >= 0
    at = np.maximum(post, 0)
    start, end = arr.appointment_start, arr.appointment_end
    outside_post = known & ((start < arr.post_start[at]) | (end > arr.post_end[at]))
    org = np.where(known, arr.organisation[at], -1)
    has_org = org >= 0
    outside_org = np.zeros_like(has_org)
    if has_org.any():
        o = np.maximum(org, 0)
        outside_org = has_org & ((start < arr.org_start[o]) | (end > arr.org_end[o]))
    out: list[Problem] = []
    for i in np.flatnonzero(outside_post | outside_org).tolist():
        a = s.appointments[i]
        loc = f"appointment:{a.id}"
        if outside_post[i]:
            ps = s.posts[int(post[i])]
            out.append(
                Problem(
                    "appointment-outside-post",
                    loc,
                    f"{a.start}…{a.end} lies outside post {ps.id} ({ps.start}…{ps.end})",
                )
            )
        if outside_org[i]:
            g = s.organisations[int(org[i])]
            out.append(
                Problem(
                    "appointment-outside-org",
                    loc,
                    f"{a.start}…{a.end} lies outside organisation {g.id} ({g.start}…{g.end})",
                )
            )
    # a post can be over-filled only with more appointments than seats: sweep just those
    held = post[known]
    counts = np.bincount(held, minlength=len(s.posts))
    crowded = np.flatnonzero(counts > arr.max_holders)
    if crowded.size:
        firsts = np.unique(held, return_index=True)  # report in order of first appointment
        order = dict(zip(firsts[0].tolist(), firsts[1].tolist(), strict=True))
        periods: dict[int, list[tuple[dt.date | None, dt.date | None]]] = defaultdict(list)
        wanted = set(crowded.tolist())
        for a, k in zip(s.appointments, post.tolist(), strict=True):
            if k in wanted:
                periods[k].append((a.start, a.end))
        for k in sorted(wanted, key=order.__getitem__):
            cap = int(arr.max_holders[k])
            n = max_concurrent(periods[k])
            if n > cap:
                out.append(
                    Problem(
                        "over-filled-post",
                        f"post:{s.posts[k].id}",
                        f"{n} concurrent holders; at most {cap} allowed",
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
    wrong_level: list[tuple[str, str]] = []
    valid = [False] * ix.n
    coded = [i for i, code in enumerate(codes) if code is not None]
    for i in coded:
        code = codes[i]
        try:
            parsed = scheme.parse(code)
        except GridCodeError as exc:
            invalid.append((f"area:{ix.ids[i]}", str(exc)))
            continue
        valid[i] = True
        level = ix.level_of(i).value
        # a CJ/T 349 undivided community's one grid carries the community's code
        undivided = level == "grid" and "undivided_community" in parsed.flags
        if parsed.level != level and not undivided:
            wrong_level.append(
                (
                    f"area:{ix.ids[i]}",
                    (
                        f"code {code} is a {parsed.level} code under {scheme.name}, "
                        f"but the area is a {level}"
                    ),
                )
            )
    parents = ix.parent.tolist()
    for i in coded:
        p = parents[i]
        if not valid[i] or p < 0 or not valid[p]:
            continue
        code = codes[i]
        problem = scheme.check_child(codes[p], code)
        if problem is not None:
            mismatch.append((f"area:{ix.ids[i]}", f"code {code}: {problem}"))
    return [
        *_capped("code-invalid", "areas", invalid),
        *_capped("code-mismatch", "areas", mismatch),
        *_capped("code-wrong-level", "areas", wrong_level),
        *_duplicate_codes(s),
    ]


def _overlap_expr() -> pl.Expr:
    """Periods (``start``, ``end``) and (``start_b``, ``end_b``) share a day (null = open)."""
    s, e, s_b, e_b = pl.col("start"), pl.col("end"), pl.col("start_b"), pl.col("end_b")
    return (s.is_null() | e_b.is_null() | (s <= e_b)) & (s_b.is_null() | e.is_null() | (s_b <= e))


def _duplicate_codes(s: Structure) -> list[Problem]:
    """Two areas of one level carrying the same code on a common day (vectorised)."""
    af = s.areas.frame.select("id", "level", "code", "start", "end").filter(
        pl.col("code").is_not_null()
    )
    af = af.filter(pl.struct("level", "code").is_duplicated())  # the rare slow path
    if af.is_empty():
        return []
    pairs = (
        af.join(af, on=["level", "code"], suffix="_b")
        .filter(pl.col("id") < pl.col("id_b"))
        .filter(_overlap_expr())
        .sort("code", "id", "id_b")
    )
    items = [
        (f"area:{b}", f"{level} code {code} is also the code of {a}")
        for a, b, level, code in pairs.select("id", "id_b", "level", "code").iter_rows()
    ]
    return list(_capped("duplicate-code", "areas", items))
