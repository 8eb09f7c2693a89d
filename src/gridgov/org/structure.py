"""``Structure``: one locality's validated governance structure and the queries over it.

Representation
--------------
A structure is a pydantic model, so it loads from and dumps to plain data
(``Structure.model_validate(data)``, ``structure.model_dump()``), but it does not hold a
million households as a million models. Three kinds of rows live in *columns*
(:mod:`gridgov.org.tables`, polars frames): areas, households and linked households. The few
rich things — organisations, people, posts, appointments, agreements, joint committees — are
pydantic models in tuples.

On construction every problem is collected and, if there is any, a single
:class:`~gridgov.errors.StructureError` lists them all: field problems (a household size that
is not a number, an unknown organisation kind; :mod:`gridgov.org._fields`) *and* the
integrity problems of every part that did validate (:mod:`gridgov.org._integrity` lists the
codes). The pydantic :class:`~pydantic.ValidationError`, if any, is the ``__cause__``.
An empty structure (``{}``) is valid; :attr:`Structure.is_empty` tells it apart.

Queries use a dense integer index built once (:class:`~gridgov.org._index.AreaIndex`): parent
pointers in a numpy array, so ancestors at a level are a few vectorised passes and a roll-up
is a ``bincount`` per grid, then grid totals summed up the tree.

Examples
--------
>>> s = Structure.model_validate({
...     "name": "demo",
...     "areas": [
...         {"id": "S1", "level": "street", "name": "桂花桥街道"},
...         {"id": "C1", "level": "community", "parent": "S1"},
...         {"id": "G1", "level": "grid", "parent": "C1"},
...         {"id": "B1", "level": "building", "parent": "G1"},
...         {"id": "U1", "level": "unit", "parent": "B1"},
...     ],
...     "households": [{"id": "H1", "parent": "U1", "residents": 3},
...                    {"id": "H2", "parent": "U1", "residents": 2}],
... })
>>> s.ancestors("U1")
['B1', 'G1', 'C1', 'S1']
>>> s.rollup("community").select("id", "households", "residents").rows()
[('C1', 2, 5)]
>>> Structure.model_validate({"areas": [{"id": "G9", "level": "grid", "parent": "S0"}]})
Traceback (most recent call last):
...
gridgov.errors.StructureError: invalid structure, 1 problem(s):
  - area:G9: [dangling-reference] parent 'S0' is not an area
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Self

from pydantic import Field, PrivateAttr, ValidationError

from gridgov.errors import Problem, ReferenceNotFoundError, StructureError
from gridgov.org._base import GridgovModel, is_valid_on
from gridgov.org.areas import Area, Compound, Household
from gridgov.org.geo import Geography
from gridgov.org.organisations import Organisation, OrgBase
from gridgov.org.people import Person
from gridgov.org.posts import Appointment, CrossAppointment, EntryPair, Post
from gridgov.org.relations import CoBuildingAgreement, JointCommittee, ReportBack, Supervision
from gridgov.org.tables import AreaTable, HouseholdTable, LinkTable
from gridgov.org.vocab import AreaLevel, OrgKind, PostKind, Sector

if TYPE_CHECKING:
    import polars as pl

    from gridgov.org._index import AreaIndex
    from gridgov.org._rollup import Rollups
    from gridgov.org.profiles import Profile, ProfileRef
    from gridgov.org.rules import Finding

__all__ = ["Structure"]

_SKIP_INTEGRITY: ContextVar[bool] = ContextVar("gridgov_skip_integrity", default=False)
# ids of entities left out of a salvaged structure for their own field problems
_UNVALIDATED: ContextVar[frozenset[str]] = ContextVar("gridgov_unvalidated", default=frozenset())
_ENTERED: ContextVar[bool] = ContextVar("gridgov_structure_entered", default=False)

_HEAD_OF = {AreaLevel.BUILDING: PostKind.BUILDING_HEAD, AreaLevel.UNIT: PostKind.UNIT_HEAD}


class _IntegrityFailure(Exception):  # noqa: N818  # internal carrier, never escapes
    """Carries problems out of pydantic (which would wrap a ValueError) to the entry points."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} integrity problem(s)")
        self.problems = problems


@contextmanager
def _trusted() -> Iterator[None]:
    token = _SKIP_INTEGRITY.set(True)
    try:
        yield
    finally:
        _SKIP_INTEGRITY.reset(token)


class Structure(GridgovModel):
    """One locality's governance structure, validated as a whole.

    Parameters
    ----------
    name
        Name of the locality (e.g. ``"友谊县"``).
    code_scheme
        Grid-code scheme area codes follow (``"civil_affairs_12"``, ``"db11_15"``,
        ``"cjt349_20"``; see :mod:`gridgov.org.codes`), or ``None`` to skip code checks.
    reference_date
        The day the structure describes; queries that need "now" use it (else today).
    areas, households, linked_households
        Columnar tables (:mod:`gridgov.org.tables`); accept row dicts, models, a mapping of
        columns or a polars frame.
    compounds, organisations, people, posts, appointments, report_backs, agreements,
    joint_committees, supervision
        The rich entities, as models or dicts.
    geography
        Optional located points and area boundaries (:mod:`gridgov.org.geo`, WGS84).

    Raises
    ------
    gridgov.errors.StructureError
        With every problem found (``.problems``): fields of the wrong type or shape, and
        the integrity problems of everything that did validate.
    """

    name: str = ""
    code_scheme: str | None = None
    reference_date: dt.date | None = None
    areas: AreaTable = Field(default_factory=AreaTable)
    households: HouseholdTable = Field(default_factory=HouseholdTable)
    compounds: tuple[Compound, ...] = ()
    organisations: tuple[Organisation, ...] = ()
    people: tuple[Person, ...] = ()
    posts: tuple[Post, ...] = ()
    appointments: tuple[Appointment, ...] = ()
    linked_households: LinkTable = Field(default_factory=LinkTable)
    report_backs: tuple[ReportBack, ...] = ()
    agreements: tuple[CoBuildingAgreement, ...] = ()
    joint_committees: tuple[JointCommittee, ...] = ()
    supervision: tuple[Supervision, ...] = ()
    geography: Geography | None = None

    _index: AreaIndex | None = PrivateAttr(default=None)
    _lookup: dict[str, dict[str, Any]] | None = PrivateAttr(default=None)
    _cache: Rollups | None = PrivateAttr(default=None)

    # -- construction -------------------------------------------------------------------
    # pydantic turns a ValueError raised during validation into a ValidationError, and calls
    # a custom __init__ from inside model_validate; so the checks raise a private carrier and
    # the outermost entry point turns it into the public StructureError.
    def __init__(self, **data: Any) -> None:
        """Validate ``data``; raise :class:`StructureError` listing every integrity problem."""
        if _ENTERED.get():
            super().__init__(**data)
            return
        token = _ENTERED.set(True)
        try:
            super().__init__(**data)
        except _IntegrityFailure as failure:
            raise StructureError(failure.problems) from None
        except ValidationError as exc:
            raise type(self)._every_problem(data, exc) from exc
        finally:
            _ENTERED.reset(token)

    @classmethod
    def model_validate(cls, obj: Any, **kwargs: Any) -> Self:
        """Validate plain data (a dict, as loaded from JSON or YAML) into a structure."""
        token = _ENTERED.set(True)
        try:
            return super().model_validate(obj, **kwargs)
        except _IntegrityFailure as failure:
            raise StructureError(failure.problems) from None
        except ValidationError as exc:
            raise cls._every_problem(obj, exc) from exc
        finally:
            _ENTERED.reset(token)

    @classmethod
    def model_validate_json(cls, json_data: str | bytes | bytearray, **kwargs: Any) -> Self:
        """Validate a JSON document into a structure."""
        token = _ENTERED.set(True)
        try:
            return super().model_validate_json(json_data, **kwargs)
        except _IntegrityFailure as failure:
            raise StructureError(failure.problems) from None
        except ValidationError as exc:
            try:
                data = json.loads(json_data)
            except (ValueError, RecursionError):
                data = None  # not JSON at all: the field problems say so
            raise cls._every_problem(data, exc) from exc
        finally:
            _ENTERED.reset(token)

    @classmethod
    def _every_problem(cls, data: Any, exc: ValidationError) -> StructureError:
        """The field problems of ``exc`` and the integrity problems of what did validate."""
        from gridgov.org._fields import field_problems, salvage

        problems = field_problems(exc)
        if not isinstance(data, Mapping):
            return StructureError(problems)
        kept, left_out = salvage(cls, data, exc)
        entered, unvalidated = _ENTERED.set(True), _UNVALIDATED.set(left_out)
        try:
            super().model_validate(kept)
        except _IntegrityFailure as failure:
            problems += failure.problems
        except ValidationError:  # pragma: no cover - salvage keeps only what validated
            pass
        finally:
            _UNVALIDATED.reset(unvalidated)
            _ENTERED.reset(entered)
        return StructureError(problems)

    def model_post_init(self, context: Any, /) -> None:
        """Run the integrity checks (skipped for subsets derived from a valid structure)."""
        if _SKIP_INTEGRITY.get():
            return
        from gridgov.org._integrity import find_problems

        problems = find_problems(self, self.index, _UNVALIDATED.get())
        if problems:
            raise _IntegrityFailure(problems)
        self._rollups.prime(self.reference_date)  # what roll-ups need, while columns are warm

    def _derive(self, **changes: Any) -> Structure:
        """A copy with some fields replaced, trusted to be valid (no re-check)."""
        data = {name: getattr(self, name) for name in type(self).model_fields}
        data.update(changes)
        with _trusted():
            return type(self).model_validate(data)

    @property
    def is_empty(self) -> bool:
        """Whether the structure holds nothing (no areas, households, organisations, people…).

        An empty structure (``{}``) is valid; this tells a caller (``gridgov validate``) to say
        so rather than report it as a fine locality.

        Examples
        --------
        >>> Structure.model_validate({}).is_empty
        True
        """
        return self.geography is None and all(
            len(getattr(self, name)) == 0
            for name in type(self).model_fields
            if name not in {"name", "code_scheme", "reference_date", "geography"}
        )

    # -- indexes ------------------------------------------------------------------------
    @property
    def index(self) -> AreaIndex:
        """The dense area/household index (built on first use)."""
        if self._index is None:
            self._index = self.households.area_index(self.areas)
        return self._index

    def _by_id(self, kind: str) -> dict[str, Any]:
        if self._lookup is None:
            self._lookup = {
                "organisation": {o.id: o for o in self.organisations},
                "person": {p.id: p for p in self.people},
                "post": {p.id: p for p in self.posts},
            }
        return self._lookup[kind]

    def _area_pos(self, area: str) -> int:
        i = self.index.pos.get(area)
        if i is None:
            raise ReferenceNotFoundError(f"no area {area!r} in structure {self.name!r}")
        return i

    def _today(self, on: dt.date | None) -> dt.date:
        return on or self.reference_date or dt.date.today()

    # -- lookups ------------------------------------------------------------------------
    def area(self, area_id: str) -> Area:
        """The area ``area_id`` as its level's model (``Grid``, ``Building``…)."""
        return self.areas.row(self._area_pos(area_id))

    def household(self, household_id: str) -> Household:
        """The household ``household_id``."""
        found = self.households.get(household_id)
        if found is None:
            raise ReferenceNotFoundError(f"no household {household_id!r}")
        return found

    def organisation(self, org_id: str) -> OrgBase:
        """The organisation ``org_id``."""
        return self._get("organisation", org_id)  # type: ignore[no-any-return]

    def person(self, person_id: str) -> Person:
        """The person ``person_id``."""
        return self._get("person", person_id)  # type: ignore[no-any-return]

    def post(self, post_id: str) -> Post:
        """The post ``post_id``."""
        return self._get("post", post_id)  # type: ignore[no-any-return]

    def _get(self, kind: str, key: str) -> Any:
        found = self._by_id(kind).get(key)
        if found is None:
            raise ReferenceNotFoundError(f"no {kind} {key!r} in structure {self.name!r}")
        return found

    # -- hierarchy ----------------------------------------------------------------------
    def parent(self, node: str) -> str | None:
        """Id of the area directly containing an area or household (``None`` for a root)."""
        ix = self.index
        if node in ix.pos:
            p = int(ix.parent[ix.pos[node]])
        else:
            j = self.households.position(node)
            if j is None:
                raise ReferenceNotFoundError(f"no area or household {node!r}")
            p = int(ix.hh_parent[j])
        return ix.ids[p] if p >= 0 else None

    def children(self, area: str) -> list[str]:
        """Ids of the areas and households directly inside ``area``."""
        import numpy as np

        ix = self.index
        i = self._area_pos(area)
        kids = [ix.ids[int(c)] for c in ix.children_of(i)]
        hh = np.flatnonzero(ix.hh_parent == i)
        ids = self.households.frame.get_column("id")
        return kids + ids.gather(hh).to_list()

    def ancestors(self, node: str) -> list[str]:
        """Ids of the enclosing areas, nearest first."""
        ix = self.index
        parent = self.parent(node)
        if parent is None:
            return []
        i = ix.pos[parent]
        return [parent] + [ix.ids[a] for a in ix.ancestors_of(i)]

    def descendants(self, area: str, level: AreaLevel | str | None = None) -> list[str]:
        """Ids of everything below ``area`` (areas, then households), or only those at ``level``."""
        import numpy as np

        ix = self.index
        i = self._area_pos(area)
        want = None if level is None else AreaLevel(level)
        out: list[str] = []
        if want is not AreaLevel.HOUSEHOLD:
            mask = ix.descendants_mask(i)
            if want is not None:
                mask &= ix.depth == want.depth
            out += [ix.ids[int(k)] for k in np.flatnonzero(mask)]
        if want is None or want is AreaLevel.HOUSEHOLD:
            out += self.households_in(area).frame.get_column("id").to_list()
        return out

    def households_in(self, area: str) -> HouseholdTable:
        """The households anywhere inside ``area``."""
        import numpy as np
        import polars as pl

        ix = self.index
        i = self._area_pos(area)
        anc = ix.household_ancestor_at(ix.level_of(i))
        return self.households.filter(pl.Series(np.asarray(anc == i)))

    # -- roll-ups -----------------------------------------------------------------------
    @property
    def _rollups(self) -> Rollups:
        """The cached arrays behind roll-ups and holder counts (built on first use)."""
        if self._cache is None:
            from gridgov.org._rollup import Rollups

            self._cache = Rollups(self, self.index)
        return self._cache

    def rollup(self, level: AreaLevel | str, *, on: dt.date | None = None) -> pl.DataFrame:
        """Counts per area at ``level``.

        Columns: ``id``, ``name``, ``level``, ``households``, ``residents``,
        ``party_members`` (by residence), ``posts``, ``posts_filled`` and ``posts_vacant``
        (posts responsible for an area inside, or else belonging to an organisation serving
        one; filled = at least one holder ``on`` the day), ``linked_households`` (households
        with a party member linked ``on`` the day). Areas are in table order.

        Counts per area of what lies directly in it are computed once per structure (and,
        for what depends on the day, once per day) and summed up the tree through a cached
        ancestor array, so a repeated roll-up is a few ``bincount`` calls over the areas.
        """
        want = AreaLevel(level)
        if want is AreaLevel.HOUSEHOLD:
            raise ValueError("roll up to an area level, not to households")
        return self._rollups.frame(want, self._today(on))

    # -- posts and people ---------------------------------------------------------------
    def posts_of(self, person: str, *, on: dt.date | None = None) -> list[tuple[Appointment, Post]]:
        """The appointments of ``person`` with their posts (all of them, or those valid ``on``)."""
        self._get("person", person)
        posts = self._by_id("post")
        return [
            (a, posts[a.post])
            for a in self.appointments
            if a.person == person and (on is None or a.valid_on(on))
        ]

    def holders_of(self, post: str, *, on: dt.date | None = None) -> list[Person]:
        """The people holding ``post`` on the day (the reference date, else today)."""
        self._get("post", post)
        day = self._today(on)
        people = self._by_id("person")
        return [people[a.person] for a in self.appointments if a.post == post and a.valid_on(day)]

    def vacancies(self, *, on: dt.date | None = None) -> list[tuple[Post, int]]:
        """Posts valid on the day with fewer holders than allowed, with the free seats."""
        day = self._today(on)
        holders = self._rollups.holders(day).tolist()
        return [
            (p, p.max_holders - n)
            for p, n in zip(self.posts, holders, strict=True)
            if p.valid_on(day) and n < p.max_holders
        ]

    def cross_appointments(self, *, on: dt.date | None = None) -> list[CrossAppointment]:
        """Every person holding concurrent posts in organisations of different sectors.

        Two appointments are concurrent when their periods overlap (or, given ``on``, both are
        valid that day). The earlier appointment (by start; then id) comes first, so
        ``direction`` reads from where the person came. Computed once per day asked for (the
        structure is immutable); each call returns a new list.
        """
        return list(self._rollups.memo(("cross", on), lambda: self._cross_appointments(on)))

    def _cross_appointments(self, on: dt.date | None) -> list[CrossAppointment]:
        posts = self._by_id("post")
        orgs = self._by_id("organisation")
        # only people with two or more appointments can hold concurrent posts
        held_by = Counter(a.person for a in self.appointments)
        several = {person for person, n in held_by.items() if n > 1}
        by_person: dict[str, list[tuple[Appointment, OrgBase]]] = defaultdict(list)
        for a in self.appointments:
            if a.person not in several:
                continue
            post = posts.get(a.post)
            org = orgs.get(post.organisation) if post is not None else None
            if org is not None and (on is None or a.valid_on(on)):
                by_person[a.person].append((a, org))
        out: list[CrossAppointment] = []
        for person, held in by_person.items():
            held.sort(key=lambda x: (x[0].start or dt.date.min, x[0].id))
            for i, (a, oa) in enumerate(held):
                for b, ob in held[i + 1 :]:
                    if oa.effective_sector is ob.effective_sector or not _overlap(a, b):
                        continue
                    out.append(
                        CrossAppointment(
                            person=person,
                            first=a,
                            second=b,
                            first_organisation=oa.id,
                            second_organisation=ob.id,
                            sectors=(oa.effective_sector, ob.effective_sector),
                        )
                    )
        return out

    def entry_pairs(self, *, on: dt.date | None = None) -> list[EntryPair]:
        """For each community–property-company pair with a cross-appointment, its directions.

        A side belongs to a community when its organisation is in the community sector and
        serves an area inside that community; to a company when it is the property company or
        is hosted by one. ``community_to_company`` counts people whose earlier appointment is
        on the community side. ``pair.two_way`` says whether entry is two-way (双向进入).
        """
        return list(self._rollups.memo(("pairs", on), lambda: self._entry_pairs(on)))

    def _entry_pairs(self, on: dt.date | None) -> list[EntryPair]:
        counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
        for x in self.cross_appointments(on=on):
            c1, p1 = (
                self._community_of(x.first_organisation),
                self._company_of(x.first_organisation),
            )
            c2, p2 = (
                self._community_of(x.second_organisation),
                self._company_of(x.second_organisation),
            )
            if c1 is not None and p2 is not None:
                counts[(c1, p2)][0] += 1
            elif p1 is not None and c2 is not None:
                counts[(c2, p1)][1] += 1
        return [
            EntryPair(community=c, company=p, community_to_company=a, company_to_community=b)
            for (c, p), (a, b) in sorted(counts.items())
        ]

    def _community_of(self, org_id: str) -> str | None:
        org = self._by_id("organisation")[org_id]
        if org.effective_sector is not Sector.COMMUNITY or org.area is None:
            return None
        ix = self.index
        i = ix.pos.get(org.area)
        if i is None:
            return None
        c = int(ix.ancestor_at(AreaLevel.COMMUNITY)[i])
        return ix.ids[c] if c >= 0 else None

    def _company_of(self, org_id: str) -> str | None:
        orgs = self._by_id("organisation")
        org = orgs[org_id]
        if org.kind is OrgKind.PROPERTY_COMPANY:
            return org_id
        host = orgs.get(org.host) if org.host else None
        return host.id if host is not None and host.kind is OrgKind.PROPERTY_COMPANY else None

    # -- coverage -----------------------------------------------------------------------
    def uncovered(self, level: AreaLevel | str, *, on: dt.date | None = None) -> list[str]:
        """Ids of areas at ``level`` left uncovered on the day.

        ``"building"``: no building head holds a post for it; ``"unit"``: no unit head;
        ``"household"``: no party member is linked to it.
        """
        import numpy as np
        import polars as pl

        want = AreaLevel(level)
        day = self._today(on)
        if want is AreaLevel.HOUSEHOLD:
            linked = self.linked_households.frame.filter(_valid_expr(day)).get_column("household")
            hh = self.households.frame.get_column("id")
            return hh.filter(~hh.is_in(linked.implode())).to_list()
        if want not in _HEAD_OF:
            raise ValueError(f"coverage is defined for building, unit and household, not {want}")
        kind = _HEAD_OF[want]
        heads = self._rollups.memo(  # the posts of that kind with an area, found once
            ("heads", kind),
            lambda: np.array(
                [k for k, p in enumerate(self.posts) if p.kind is kind and p.area is not None],
                dtype=np.int64,
            ),
        )
        held = heads[self._rollups.holders(day)[heads] > 0]
        covered = pl.Series([self.posts[k].area for k in held.tolist()], dtype=pl.String)
        ix = self.index
        sel = np.flatnonzero(ix.depth == want.depth)
        ids = self.areas.frame.get_column("id").gather(pl.Series(sel))
        return ids.filter(~ids.is_in(covered.implode())).to_list()

    # -- rules --------------------------------------------------------------------------
    def check(
        self, profile: ProfileRef | Profile = "default", *, on: dt.date | None = None
    ) -> list[Finding]:
        """Findings of the rules a profile selects, on the day (reference date, else today).

        ``profile`` is a shipped name (``"default"``, ``"youyi"``, ``"huanan"``,
        ``"bozhou"``), the path of a profile file, or a :class:`~gridgov.org.profiles.Profile`.
        See :mod:`gridgov.org.rules` for the rule catalogue.
        """
        from gridgov.org.rules import check

        return check(self, profile, on=on)

    # -- time ---------------------------------------------------------------------------
    def as_of(self, day: dt.date) -> Structure:
        """The structure as it stood on ``day``: exactly the entities valid that day.

        The result is a subset of a valid structure and is not re-checked. Its spatial tree is
        whole: integrity requires every area and household to lie within the lifetime of the
        area holding it, and every linked household within its household's
        (``outside-parent-period``), so no building of the day hangs from an ended grid. A
        cross reference between other dated entities (a post whose organisation has ended,
        a person's household that has ended) is not checked that way and shows up as
        missing in the day's queries.
        """
        expr = _valid_expr(day)

        def keep(items: tuple[Any, ...]) -> tuple[Any, ...]:
            return tuple(x for x in items if x.valid_on(day))

        agreements = tuple(
            a.model_copy(update={"projects": keep(a.projects)}) for a in keep(self.agreements)
        )
        return self._derive(
            reference_date=day,
            areas=self.areas.filter(expr),
            households=self.households.filter(expr),
            linked_households=self.linked_households.filter(expr),
            compounds=keep(self.compounds),
            organisations=keep(self.organisations),
            posts=keep(self.posts),
            appointments=keep(self.appointments),
            report_backs=keep(self.report_backs),
            agreements=agreements,
            joint_committees=keep(self.joint_committees),
            supervision=keep(self.supervision),
        )

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy; with ``update`` the indexes and caches are dropped (they describe the old)."""
        copy = super().model_copy(update=update, deep=deep)
        if update:
            copy._index = None
            copy._lookup = None
            copy._cache = None
        return copy

    def __eq__(self, other: object) -> bool:
        """Equal when every field is equal (caches and indexes do not count)."""
        if not isinstance(other, Structure):
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in type(self).model_fields)

    __hash__ = None  # type: ignore[assignment]  # equal by value yet holding caches: unhashable

    def __repr__(self) -> str:
        return (
            f"Structure(name={self.name!r}, areas={len(self.areas)}, "
            f"households={len(self.households)}, organisations={len(self.organisations)}, "
            f"people={len(self.people)}, posts={len(self.posts)})"
        )

    __str__ = __repr__


def _valid_expr(day: dt.date) -> pl.Expr:
    import polars as pl

    return (pl.col("start").is_null() | (pl.col("start") <= day)) & (
        pl.col("end").is_null() | (pl.col("end") >= day)
    )


def _overlap(a: Appointment, b: Appointment) -> bool:
    lo = max(a.start or dt.date.min, b.start or dt.date.min)
    hi = min(a.end or dt.date.max, b.end or dt.date.max)
    return lo <= hi and is_valid_on(a.start, a.end, lo) and is_valid_on(b.start, b.end, lo)
