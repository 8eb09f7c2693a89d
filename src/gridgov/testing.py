"""Hypothesis strategies that generate valid gridgov structures, for our tests and for yours.

:func:`structures` draws a whole :class:`~gridgov.org.Structure`: a spatial tree (optional
district, streets, communities, grids, optional micro-grids, buildings, units, households),
compounds (managed or self-governed), every kind of organisation with proper parents, areas
and hosts, people with and without party membership, posts with dated appointments that
respect the posts' and organisations' lifetimes and their maximum number of holders, linked
households, report-backs, co-building agreements with projects, joint committees with a
valid chair rotation, supervision links and, if asked, area codes under a grid-code scheme
that agree with the hierarchy.

Structures are *constructed* consistently from drawn sizes and choices, never filtered, so
generation wastes no examples. Hypothesis draws the shape (code scheme, how many streets,
communities, grids, households and people, how many posts are filled, how much is dated), so
failing examples shrink towards small structures; the many fine details (which unit a
household lies in, who holds which post, the dates) come from a pseudo-random generator
seeded by one more draw, which keeps an example to a few dozen draws. Personal fields
(``id_number``, ``phone``) are synthetic (``"SYN-"`` followed by digits) and never look like
real identity numbers.

This module imports hypothesis, a development dependency: import it from tests only
(``import gridgov`` does not import it).

Examples
--------
>>> from hypothesis import given, settings
>>> from gridgov.testing import structures
>>> @settings(max_examples=5, database=None)
... @given(structures(max_households=20))
... def test_households_have_streets(s):
...     streets = s.rollup("street")
...     assert streets.get_column("households").sum() == len(s.households)
>>> test_households_have_streets()
"""

from __future__ import annotations

import datetime as dt
import random
import string
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from pydantic import SecretStr

from gridgov.org.areas import Compound
from gridgov.org.codes import CodeScheme, get_scheme
from gridgov.org.organisations import (
    CoBuildingUnit,
    Department,
    EnterprisePartyOrg,
    GeneralBranch,
    GridPartyGroup,
    IndustryAssociation,
    IndustryPartyCommittee,
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
from gridgov.org.posts import Appointment, Post
from gridgov.org.relations import (
    ChairTerm,
    CoBuildingAgreement,
    JointCommittee,
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
    PostKind,
    Sector,
)

__all__ = [
    "DEFAULT_MAX_HOUSEHOLDS",
    "FIRST_DAY",
    "ID_ALPHABET",
    "LAST_DAY",
    "dates",
    "ids",
    "party_memberships",
    "periods",
    "persons",
    "secrets",
    "structures",
]

#: Default upper bound on households per generated structure (keeps test suites fast).
DEFAULT_MAX_HOUSEHOLDS = 60

#: Earliest day a generated date takes.
FIRST_DAY = dt.date(2010, 1, 1)

#: Latest day a generated date takes.
LAST_DAY = dt.date(2035, 12, 31)

#: Characters generated ids are made of: ASCII letters and digits, a little punctuation and
#: common CJK ideographs; never white space, and never ``~`` (free for tests to build ids
#: that cannot collide with generated ones).
ID_ALPHABET = string.ascii_letters + string.digits + "-_.:/#" + "网格社区街道楼栋单元党支部"

_NAMES = ("张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄勇", "周婷", "吴军")
_PLACES = ("友谊县", "桦南县", "播州区", "桂花桥", "影山湖", "龙坑", "永安", "和平")
_PRINCIPLES = ("就地", "就近", "就便", "就亲", "就熟")
_UNIT_CATEGORIES = ("agency", "enterprise", "school", "hospital")
_FUNCTIONS = ("police station", "judicial office", "law firm", "tribunal", "governance centre")
_TEAMS = ("volunteer team", "vanguard team", "art troupe", "mediators")
_FACILITIES = ("party-and-mass service centre", "grid service station", "micro-station")


# -- building blocks ------------------------------------------------------------------------
def ids(*, min_size: int = 1, max_size: int = 64) -> st.SearchStrategy[str]:
    """Valid gridgov ids: ``min_size``–``max_size`` characters of :data:`ID_ALPHABET`.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10, database=None)
    ... @given(ids(max_size=8))
    ... def check(i):
    ...     assert 1 <= len(i) <= 8 and not any(c.isspace() for c in i)
    >>> check()
    """
    if not 1 <= min_size <= max_size <= 64:
        raise InvalidArgument(f"need 1 <= min_size <= max_size <= 64, got {min_size}, {max_size}")
    return st.text(alphabet=ID_ALPHABET, min_size=min_size, max_size=max_size)


def dates(
    min_value: dt.date = FIRST_DAY, max_value: dt.date = LAST_DAY
) -> st.SearchStrategy[dt.date]:
    """Days between ``min_value`` and ``max_value`` (inclusive)."""
    return st.dates(min_value=min_value, max_value=max_value)


@st.composite
def periods(
    draw: st.DrawFn,
    min_value: dt.date = FIRST_DAY,
    max_value: dt.date = LAST_DAY,
    *,
    open_start: bool = True,
    open_end: bool = True,
) -> tuple[dt.date | None, dt.date | None]:
    """Closed periods ``(start, end)`` with ``start <= end``; either side may be ``None``.

    ``None`` means open-ended; ``open_start`` / ``open_end`` allow it on each side.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=20, database=None)
    ... @given(periods())
    ... def check(p):
    ...     assert p[0] is None or p[1] is None or p[0] <= p[1]
    >>> check()
    """
    day = dates(min_value, max_value)
    start = draw(st.none() | day) if open_start else draw(day)
    low = start or min_value
    end = draw(st.none() | dates(low, max_value)) if open_end else draw(dates(low, max_value))
    return start, end


def secrets(prefix: str = "SYN-") -> st.SearchStrategy[str]:
    """Obviously synthetic secret values: ``prefix`` followed by 6–12 digits."""
    return st.text(alphabet=string.digits, min_size=6, max_size=12).map(lambda d: prefix + d)


@st.composite
def party_memberships(
    draw: st.DrawFn,
    organisations: Sequence[str] = (),
    employers: Sequence[str] = (),
) -> PartyMembership:
    """A party membership: full or probationary; in service, retired or flowing.

    ``organisation`` is drawn from ``organisations`` and, for a member in service, ``employer``
    from ``employers`` (each left ``None`` when its sequence is empty).
    """
    service = draw(st.sampled_from(MemberService))
    employer = None
    if service is MemberService.IN_SERVICE and employers:
        employer = draw(st.none() | st.sampled_from(employers))
    return PartyMembership(
        status=draw(st.sampled_from(MemberStatus)),
        service=service,
        organisation=draw(st.sampled_from(organisations)) if organisations else None,
        employer=employer,
        joined=draw(st.none() | dates(max_value=dt.date(2025, 12, 31))),
    )


@st.composite
def persons(
    draw: st.DrawFn,
    person_id: str | None = None,
    *,
    households: Sequence[str] = (),
    party_organisations: Sequence[str] = (),
    employers: Sequence[str] = (),
    with_personal: bool = True,
) -> Person:
    """A person, with or without party membership and synthetic personal fields.

    ``household`` is drawn from ``households`` (or ``None``); membership references are drawn
    from ``party_organisations`` and ``employers`` (see :func:`party_memberships`).

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10, database=None)
    ... @given(persons())
    ... def check(p):
    ...     assert p.phone is None or p.phone.get_secret_value().startswith("SYN-")
    >>> check()
    """
    pid = person_id if person_id is not None else draw(ids(max_size=16))
    party = None
    if draw(st.booleans()):
        party = draw(party_memberships(party_organisations, employers))
    secret = secrets() if with_personal else st.none()
    return Person(
        id=pid,
        name=draw(st.sampled_from(_NAMES)),
        gender=draw(st.sampled_from(["female", "male", None])),
        birth_year=draw(st.none() | st.integers(1930, 2010)),
        household=draw(st.none() | st.sampled_from(households)) if households else None,
        party=party,
        id_number=_secret_or_none(draw(st.none() | secret)),
        phone=_secret_or_none(draw(st.none() | secret)),
    )


def _secret_or_none(value: str | None) -> SecretStr | None:
    return None if value is None else SecretStr(value)


# -- structures -----------------------------------------------------------------------------
def structures(
    min_households: int = 0,
    max_households: int = DEFAULT_MAX_HOUSEHOLDS,
    code_scheme: str | st.SearchStrategy[str | None] | None = None,
    with_personal: bool = True,
) -> st.SearchStrategy[Structure]:
    """Valid structures with every kind of entity.

    Parameters
    ----------
    min_households, max_households
        Bounds on the number of households (``max_households`` may be large, e.g. 10 000,
        but keep it small for fast tests).
    code_scheme
        Name of a grid-code scheme (``"civil_affairs_12"``, ``"db11_15"``, ``"cjt349_20"``)
        to give district, street, community and grid areas codes consistent with the
        hierarchy; ``None`` for no codes; or a strategy drawing one of these.
    with_personal
        Whether people may carry (synthetic) ``id_number`` and ``phone`` values.

    Returns
    -------
    hypothesis.strategies.SearchStrategy of Structure
        Every structure has at least one street, community and grid and a party committee.

    Raises
    ------
    hypothesis.errors.InvalidArgument
        For bounds out of order or an unknown scheme name (when the strategy is created).

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5, database=None)
    ... @given(structures(max_households=10, code_scheme="db11_15"))
    ... def check(s):
    ...     assert s.code_scheme == "db11_15" and len(s.households) <= 10
    >>> check()
    """
    if not 0 <= min_households <= max_households:
        raise InvalidArgument(
            f"need 0 <= min_households <= max_households, got {min_households}, {max_households}"
        )
    if isinstance(code_scheme, str):
        try:
            get_scheme(code_scheme)
        except ValueError as exc:
            raise InvalidArgument(str(exc)) from None
    schemes: st.SearchStrategy[str | None] = (
        code_scheme if isinstance(code_scheme, st.SearchStrategy) else st.just(code_scheme)
    )
    return _structures(min_households, max_households, schemes, with_personal)


# -- the structure recipe -------------------------------------------------------------------
#
# The *shape* of a structure (scheme, sizes, which optional parts exist) is drawn with
# hypothesis, so it shrinks towards small structures; the many fine details (which unit a
# household lies in, who holds which post, dates) come from a ``random.Random`` seeded by one
# draw, which keeps each example cheap (a few dozen draws, not thousands).

_Period = tuple[dt.date | None, dt.date | None]


def _day(rng: random.Random, low: dt.date = FIRST_DAY, high: dt.date = LAST_DAY) -> dt.date:
    return low + dt.timedelta(days=rng.randint(0, (high - low).days))


def _period(rng: random.Random) -> _Period:
    """A closed period, each side open now and then."""
    start = None if rng.random() < 0.25 else _day(rng)
    end = None if rng.random() < 0.35 else _day(rng, start or FIRST_DAY)
    return start, end


def _window(a: _Period, b: _Period) -> _Period | None:
    """Intersection of two closed periods (``None`` if empty)."""
    starts = [d for d in (a[0], b[0]) if d is not None]
    ends = [d for d in (a[1], b[1]) if d is not None]
    lo = max(starts) if starts else None
    hi = min(ends) if ends else None
    if lo is not None and hi is not None and lo > hi:
        return None
    return lo, hi


def _inside(period: _Period, outer: _Period) -> _Period:
    """``period`` cut to ``outer`` (``outer`` itself when they do not meet)."""
    return _window(period, outer) or outer


def _terms(rng: random.Random, window: _Period, n: int) -> list[_Period]:
    """Up to ``n`` disjoint periods inside ``window``, in order (one seat's holders)."""
    lo, hi = window
    low, high = lo or FIRST_DAY, hi or LAST_DAY
    span = (high - low).days
    cuts = sorted(rng.sample(range(span + 1), min(n, span + 1)))
    out: list[_Period] = []
    for k, cut in enumerate(cuts):
        start: dt.date | None = low + dt.timedelta(days=cut)
        last = k + 1 == len(cuts)
        end = hi if last else low + dt.timedelta(days=cuts[k + 1] - 1)
        if k == 0 and lo is None and rng.random() < 0.3:
            start = None
        if last and end is not None and rng.random() < 0.3:  # a vacancy follows
            end = _day(rng, start or low, end)
        out.append((start, end))
    return out


def _secret(rng: random.Random) -> str:
    return "SYN-" + "".join(rng.choice(string.digits) for _ in range(rng.randint(6, 12)))


@dataclass
class _Area:
    id: str
    level: AreaLevel
    parent: str | None
    name: str = ""
    code: str | None = None
    period: _Period = (None, None)


@dataclass
class _Recipe:
    """Accumulates entities while a structure is built."""

    rng: random.Random
    token: str
    dated: float
    counters: dict[str, int] = field(default_factory=dict)
    areas: list[_Area] = field(default_factory=list)
    orgs: list[OrgBase] = field(default_factory=list)

    def new_id(self, kind: str) -> str:
        n = self.counters.get(kind, 0) + 1
        self.counters[kind] = n
        return f"{self.token}{kind}{n}"

    def period(self, boost: float = 1.0) -> _Period:
        """A period for a fraction of entities (``dated`` × ``boost``), else open."""
        return _period(self.rng) if self.rng.random() < self.dated * boost else (None, None)

    def area(self, level: AreaLevel, parent: _Area | None, prefix: str, name: str = "") -> _Area:
        a = _Area(self.new_id(prefix), level, parent.id if parent else None, name)
        a.period = self.period(0.5)
        if parent is not None:  # an area lives within its parent's lifetime
            a.period = _inside(a.period, parent.period)
        self.areas.append(a)
        return a

    def org(self, cls: type[OrgBase], *, dated: bool = True, **fields: Any) -> OrgBase:
        start, end = self.period() if dated else (None, None)
        org = cls(id=self.new_id("O"), start=start, end=end, **fields)
        self.orgs.append(org)
        return org

    def pick(self, items: Sequence[_T]) -> _T:
        return self.rng.choice(items)


_T = TypeVar("_T")
_HOUSEHOLDS_PER_GRID = 250

_COMMUNITY_PARTY_KINDS: tuple[type[OrgBase], ...] = (WorkingCommittee, GeneralBranch, PartyBranch)


def _codes(rng: random.Random, areas: list[_Area], scheme: CodeScheme) -> None:
    """Give district, street, community and (where coded) grid areas consistent codes."""
    quals: dict[str, str | int] = {
        p.name: rng.randint(0, 10**p.width - 1) for p in scheme.parts if p.level is None
    }
    district = scheme.format(**quals, district=rng.randint(110000, 659999))
    first = {"street": rng.randint(1, 500), "community": rng.randint(1, 900)}
    first["grid"] = rng.randint(1, 80)
    by_id = {a.id: a for a in areas}
    seen: dict[str | None, int] = {}
    for a in areas:  # parents come before children
        if a.level is AreaLevel.DISTRICT:
            a.code = district
            continue
        if a.level.value not in scheme.levels:
            continue
        parent_code = by_id[a.parent].code if a.parent is not None else district
        if parent_code is None:
            continue
        k = seen.get(a.parent, 0)
        seen[a.parent] = k + 1
        a.code = scheme.child_code(parent_code, first[a.level.value] + k)


@dataclass(frozen=True)
class _Shape:
    """What hypothesis draws: the sizes and switches of one structure."""

    scheme: str | None
    token: str
    district: bool
    communities_per_street: tuple[int, ...]
    grids_per_community: int
    micro_grids: int  # 0 none, 1 a few, 2 many
    buildings_per_grid: int
    households: int
    people: int
    posts: float  # share of post templates turned into posts
    dated: float  # share of entities with a period
    seed: int


@st.composite
def _structures(
    draw: st.DrawFn,
    min_households: int,
    max_households: int,
    schemes: st.SearchStrategy[str | None],
    with_personal: bool,
) -> Structure:
    shape = _Shape(
        scheme=draw(schemes),
        token=draw(st.just("") | ids(max_size=12).map(lambda t: t + "-")),
        district=draw(st.booleans()),
        communities_per_street=tuple(draw(st.lists(st.integers(1, 2), min_size=1, max_size=2))),
        grids_per_community=draw(st.integers(1, 3)),
        micro_grids=draw(st.integers(0, 2)),
        buildings_per_grid=draw(st.integers(0, 3)),
        households=draw(st.integers(min_households, max_households)),
        people=draw(st.integers(0, 12)),
        posts=draw(st.sampled_from([0.0, 0.3, 0.7, 1.0])),
        dated=draw(st.sampled_from([0.0, 0.15, 0.4])),
        seed=draw(st.integers(0, 2**32 - 1)),
    )
    return _build(shape, with_personal=with_personal)


# one recipe reads best in one place, top to bottom
def _build(shape: _Shape, *, with_personal: bool) -> Structure:  # noqa: PLR0912, PLR0915
    """Build the structure ``shape`` describes (deterministic for a shape)."""
    rng = random.Random(shape.seed)  # noqa: S311  # reproducible test data, not cryptography
    r = _Recipe(rng, shape.token, shape.dated)
    name = r.pick(_PLACES)

    # -- spatial tree ---------------------------------------------------------------------
    district = r.area(AreaLevel.DISTRICT, None, "D", name) if shape.district else None
    streets: list[_Area] = []
    communities: list[_Area] = []
    for k, n_comm in enumerate(shape.communities_per_street):
        street = r.area(AreaLevel.STREET, district, "S", f"街道{k + 1}")
        streets.append(street)
        communities += [
            r.area(AreaLevel.COMMUNITY, street, "C", f"社区{j + 1}") for j in range(n_comm)
        ]
    # grids hold 200-300 households in practice: large structures get more of them
    at_least = -(-shape.households // (_HOUSEHOLDS_PER_GRID * len(communities)))
    grids = [
        r.area(AreaLevel.GRID, c, "G", f"网格{k + 1}")
        for c in communities
        for k in range(max(at_least, rng.randint(1, shape.grids_per_community)))
    ]
    micro = [
        r.area(AreaLevel.MICRO_GRID, g, "M", f"微网格{k + 1}")
        for g in grids
        if rng.random() < 0.3 * shape.micro_grids
        for k in range(rng.randint(1, 2))
    ]
    with_micro = {m.parent for m in micro}
    holders = [g for g in grids if g.id not in with_micro] + micro
    buildings = [
        r.area(AreaLevel.BUILDING, h, "B", f"{k + 1}号楼")
        for h in holders
        for k in range(rng.randint(0, shape.buildings_per_grid))
    ]
    units = [
        r.area(AreaLevel.UNIT, bl, "U", f"{k + 1}单元")
        for bl in buildings
        for k in range(rng.choice([0, 1, 2, 2, 3]))
    ]
    if shape.scheme is not None:
        _codes(rng, r.areas, get_scheme(shape.scheme))
    by_id = {a.id: a for a in r.areas}
    grid_of: dict[str, str] = {}
    community_of: dict[str, str] = {}
    for a in r.areas:
        cur: _Area | None = a
        while cur is not None:
            if cur.level is AreaLevel.GRID:
                grid_of[a.id] = cur.id
            elif cur.level is AreaLevel.COMMUNITY:
                community_of[a.id] = cur.id
            cur = by_id[cur.parent] if cur.parent is not None else None

    # -- households -----------------------------------------------------------------------
    n_hh = shape.households
    with_units = {u.parent for u in units}
    containers = [a.id for a in units] + [b.id for b in buildings if b.id not in with_units]
    if not containers or rng.random() < 0.2:
        containers += [h.id for h in holders]
    hh_ids = [r.new_id("H") for _ in range(n_hh)]
    hh_parent = [r.pick(containers) for _ in range(n_hh)]
    residents = [rng.choice([0, 1, 1, 2, 2, 3, 3, 3, 4, 5, 6]) for _ in range(n_hh)]
    hh_period: list[_Period] = [by_id[p].period for p in hh_parent]  # within their area
    for k in rng.sample(range(n_hh), min(n_hh, rng.randint(0, 3))) if shape.dated else ():
        hh_period[k] = _inside(_period(rng), by_id[hh_parent[k]].period)
    hh_grid = dict(zip(hh_ids, (grid_of.get(p) for p in hh_parent), strict=True))

    # -- organisations ----------------------------------------------------------------------
    pc = r.org(
        PartyCommittee, dated=False, name=f"{name}委", area=district.id if district else None
    )
    ipc = r.org(IndustryPartyCommittee, dated=False, parent=pc.id, industry="物业管理")
    assoc = r.org(IndustryAssociation, name="物业行业协会")
    street_office: dict[str, OrgBase] = {}
    street_wc: dict[str, OrgBase] = {}
    for s in streets:
        street_office[s.id] = r.org(StreetOffice, area=s.id, name=f"{s.name}办事处")
        street_wc[s.id] = r.org(WorkingCommittee, parent=pc.id, area=s.id, name=f"{s.name}党工委")
    community_party: dict[str, OrgBase] = {}
    branch_of: dict[str, OrgBase] = {}
    rc_of: dict[str, OrgBase] = {}
    for c in communities:
        assert c.parent is not None
        kind: type[OrgBase] = r.pick(_COMMUNITY_PARTY_KINDS)
        top = r.org(kind, parent=street_wc[c.parent].id, area=c.id, name=f"{c.name}党组织")
        community_party[c.id] = top
        branch_of[c.id] = (
            r.org(PartyBranch, parent=top.id, area=c.id, name=f"{c.name}党支部")
            if kind is WorkingCommittee
            else top
        )
        rc_of[c.id] = r.org(
            ResidentsCommittee, parent=street_office[c.parent].id, area=c.id, name="居委会"
        )
    group_of: dict[str, OrgBase] = {}
    for g in grids:
        group_of[g.id] = r.org(
            GridPartyGroup, parent=branch_of[community_of[g.id]].id, area=g.id, name="网格党小组"
        )
        if rng.random() < 0.5:
            r.org(PartyMemberHome, parent=group_of[g.id].id, area=g.id, name="党员之家")
    companies = [
        r.org(
            PropertyCompany,
            name=f"物业公司{k + 1}",
            area=r.pick(communities).id if rng.random() < 0.7 else None,
            charter_includes_party_building=rng.random() < 0.5,
            publishes_service_items=rng.random() < 0.5,
        )
        for k in range(rng.randint(1, 2))
    ]
    company_party = [
        r.org(EnterprisePartyOrg, parent=r.pick([ipc.id, pc.id]), host=co.id, name="物业党支部")
        for k, co in enumerate(companies)
        if k == 0 or rng.random() < 0.5
    ]
    co_units = [
        r.org(CoBuildingUnit, name=f"驻区单位{k + 1}", category=r.pick(_UNIT_CATEGORIES))
        for k in range(rng.randint(1, 3))
    ]
    departments = [
        r.org(Department, name=f"部门{k + 1}", function=r.pick(_FUNCTIONS), area=r.pick(streets).id)
        for k in range(rng.randint(1, 2))
    ]
    socials = [
        r.org(
            SocialOrganisation,
            name=f"队伍{k + 1}",
            team_kind=r.pick(_TEAMS),
            members=rng.randint(0, 200) if rng.random() < 0.7 else None,
            area=r.pick(communities).id,
            sector=Sector.RESIDENTS if rng.random() < 0.2 else None,
        )
        for k in range(rng.randint(1, 2))
    ]
    for k in range(rng.randint(1, 2)):
        r.org(
            ServiceFacility,
            name=f"阵地{k + 1}",
            facility_kind=r.pick(_FACILITIES),
            area=r.pick(communities + grids).id,
            floor_area_m2=round(rng.uniform(0, 3000), 1) if rng.random() < 0.8 else None,
            resident_space_share=round(rng.random(), 2) if rng.random() < 0.8 else None,
        )

    # -- compounds (小区) and owners' committees ---------------------------------------------
    compounds: list[Compound] = []
    free = list(buildings)  # a building lies in one compound
    for _ in range(rng.randint(0, 3) if buildings else 0):
        if not free:
            break
        company = r.pick(companies).id if rng.random() < 0.6 else None
        start, end = r.period()
        inside = rng.sample(free, rng.randint(1, min(4, len(free))))
        free = [b for b in free if b not in inside]
        cp = Compound(
            id=r.new_id("CP"),
            name=f"{r.pick(_PLACES)}小区",
            buildings=tuple(b.id for b in inside),
            property_company=company,
            self_governed=company is None and rng.random() < 0.7,
            start=start,
            end=end,
        )
        compounds.append(cp)
        if rng.random() < 0.5:
            r.org(OwnersCommittee, compound=cp.id, name="业主委员会")

    # -- people -----------------------------------------------------------------------------
    party_orgs = [o.id for o in r.orgs if o.kind.is_party]
    employers = [o.id for o in companies + co_units + departments]
    people: list[Person] = []
    for _ in range(shape.people):
        party = None
        if rng.random() < 0.6:
            service = r.pick(list(MemberService))
            party = PartyMembership(
                status=r.pick(list(MemberStatus)),
                service=service,
                organisation=r.pick(party_orgs) if rng.random() < 0.9 else None,
                employer=r.pick(employers) if service is MemberService.IN_SERVICE else None,
                joined=_day(rng, FIRST_DAY, dt.date(2025, 12, 31)) if rng.random() < 0.7 else None,
            )
        personal = with_personal and rng.random() < 0.7
        people.append(
            Person(
                id=r.new_id("P"),
                name=r.pick(_NAMES),
                gender=r.pick(["female", "male", None]),
                birth_year=rng.randint(1930, 2008) if rng.random() < 0.8 else None,
                household=r.pick(hh_ids) if hh_ids and rng.random() < 0.8 else None,
                party=party,
                id_number=SecretStr(_secret(rng)) if personal and rng.random() < 0.8 else None,
                phone=SecretStr(_secret(rng)) if personal and rng.random() < 0.8 else None,
            )
        )

    # -- posts and appointments -------------------------------------------------------------
    templates: list[tuple[PostKind, OrgBase, str | None, int]] = []
    for o in r.orgs:
        if o.kind.is_party:
            templates += [
                (PostKind.SECRETARY, o, o.area, 1),
                (PostKind.DEPUTY_SECRETARY, o, None, 2),
                (PostKind.COMMITTEE_MEMBER, o, None, 5),
            ]
    templates += [(PostKind.BOARD_MEMBER, o, None, 3) for o in company_party]
    templates += [(PostKind.MANAGER, o, None, 3) for o in companies]
    for c in communities:
        templates += [
            (PostKind.DIRECTOR, rc_of[c.id], c.id, 1),
            (PostKind.COMMITTEE_MEMBER, rc_of[c.id], None, 5),
        ]
    for g in grids:
        rc = rc_of[community_of[g.id]]
        templates += [
            (PostKind.GRID_LEADER, rc, g.id, 1),
            (PostKind.GRID_WORKER, rc, g.id, 2),
            (PostKind.PARTY_GROUP_LEADER, group_of[g.id], g.id, 1),
        ]
    templates += [(PostKind.BUILDING_HEAD, rc_of[community_of[b.id]], b.id, 1) for b in buildings]
    templates += [(PostKind.UNIT_HEAD, rc_of[community_of[u.id]], u.id, 1) for u in units]
    templates += [(PostKind.INSTRUCTOR, street_wc[s.id], s.id, 2) for s in streets]
    templates += [(PostKind.LIAISON, o, None, 1) for o in departments]
    for o in socials:
        templates += [(PostKind.MEDIATOR, o, None, 3), (PostKind.VOLUNTEER, o, None, 10)]
    posts: list[Post] = []
    appointments: list[Appointment] = []
    person_ids = [p.id for p in people]
    for post_kind, org, area, most in templates:
        if rng.random() >= shape.posts:
            continue
        start, end = r.period()
        post = Post(
            id=r.new_id("T"),
            kind=post_kind,
            organisation=org.id,
            max_holders=rng.randint(1, most),
            area=area,
            title=post_kind.label_zh,
            start=start,
            end=end,
        )
        posts.append(post)
        window = _window((post.start, post.end), (org.start, org.end))
        if window is None or not person_ids:
            continue
        for _seat in range(rng.randint(0, min(post.max_holders, 2))):
            for t_start, t_end in _terms(rng, window, rng.randint(1, 2)):
                appointments.append(
                    Appointment(
                        id=r.new_id("A"),
                        person=r.pick(person_ids),
                        post=post.id,
                        start=t_start,
                        end=t_end,
                    )
                )

    # -- relations --------------------------------------------------------------------------
    members = [p for p in people if p.party is not None]
    hh_period_of = dict(zip(hh_ids, hh_period, strict=True))
    links: dict[str, list[Any]] = {"member": [], "household": [], "start": [], "end": []}
    for p in members:
        for h in rng.sample(hh_ids, min(len(hh_ids), rng.randint(0, 4))):
            start, end = _inside(r.period(2.0), hh_period_of[h])
            for key, value in zip(links, (p.id, h, start, end), strict=True):
                links[key].append(value)
    report_backs: list[ReportBack] = []
    grid_ids = [g.id for g in grids + micro]
    for p in members:
        assert p.party is not None
        if p.party.service is not MemberService.IN_SERVICE or rng.random() < 0.3:
            continue
        home = hh_grid.get(p.household) if p.household is not None else None
        start, end = r.period(2.0)
        report_backs.append(
            ReportBack(
                id=r.new_id("RB"),
                member=p.id,
                grid=home or r.pick(grid_ids),
                principle=r.pick(_PRINCIPLES),
                start=start,
                end=end,
            )
        )
    agreements: list[CoBuildingAgreement] = []
    for u in co_units:
        for _ in range(rng.randint(0, 2)):
            projects: list[Project] = []
            for k in range(rng.randint(0, 3)):
                p_start, p_end = r.period(2.0)
                projects.append(
                    Project(
                        id=r.new_id("PR"),
                        name=f"项目{k + 1}",
                        category=r.pick(list(AgreementCategory)).value,
                        status=r.pick(list(AgreementStatus)),
                        problems_solved=rng.randint(0, 50),
                        start=p_start,
                        end=p_end,
                    )
                )
            start, end = r.period(2.0)
            agreements.append(
                CoBuildingAgreement(
                    id=r.new_id("AG"),
                    unit=u.id,
                    community=r.pick(communities).id,
                    category=r.pick(list(AgreementCategory)),
                    status=r.pick(list(AgreementStatus)),
                    projects=tuple(projects),
                    start=start,
                    end=end,
                )
            )
    joint: list[JointCommittee] = []
    outsiders = [o.id for o in co_units + companies + departments + company_party]
    for c in communities:
        if rng.random() < 0.4:
            continue
        lead = community_party[c.id].id
        jc_members = (lead, *rng.sample(outsiders, rng.randint(0, min(3, len(outsiders)))))
        order = rng.sample(jc_members, len(jc_members))
        day = _day(rng, FIRST_DAY, dt.date(2030, 1, 1))
        terms: list[ChairTerm] = []
        for k, o_id in enumerate(order):
            last = k + 1 == len(order)
            end_day = (
                None
                if last and rng.random() < 0.5
                else day + dt.timedelta(days=rng.randint(0, 400))
            )
            terms.append(ChairTerm(organisation=o_id, start=day, end=end_day))
            if end_day is not None:
                day = end_day + dt.timedelta(days=1)
        start, end = r.period()
        joint.append(
            JointCommittee(
                id=r.new_id("J"),
                name=f"{c.name}大党委",
                community=c.id,
                lead=lead,
                members=jc_members,
                chair_rotation=tuple(terms),
                start=start,
                end=end,
            )
        )
    supervision = [
        Supervision(supervisor=ipc.id, subject=co.id, label="行业监管") for co in companies
    ]
    supervision.append(Supervision(supervisor=ipc.id, subject=assoc.id, label="指导"))
    supervision += [
        Supervision(supervisor=street_office[c.parent].id, subject=c.id, label="属地管理")
        for c in communities
        if c.parent is not None and rng.random() < 0.5
    ]

    return Structure(
        name=name,
        code_scheme=shape.scheme,
        reference_date=_day(rng, dt.date(2015, 1, 1), dt.date(2030, 12, 31))
        if rng.random() < 0.7
        else None,
        areas=AreaTable.from_columns(
            {
                "id": [a.id for a in r.areas],
                "level": [a.level.value for a in r.areas],
                "parent": [a.parent for a in r.areas],
                "name": [a.name for a in r.areas],
                "code": [a.code for a in r.areas],
                "start": [a.period[0] for a in r.areas],
                "end": [a.period[1] for a in r.areas],
            }
        ),
        households=HouseholdTable.from_columns(
            {
                "id": hh_ids,
                "parent": hh_parent,
                "residents": residents,
                "start": [p[0] for p in hh_period],
                "end": [p[1] for p in hh_period],
            }
        ),
        compounds=tuple(compounds),
        organisations=tuple(r.orgs),
        people=tuple(people),
        posts=tuple(posts),
        appointments=tuple(appointments),
        linked_households=LinkTable.from_columns(links),
        report_backs=tuple(report_backs),
        agreements=tuple(agreements),
        joint_committees=tuple(joint),
        supervision=tuple(supervision),
    )
