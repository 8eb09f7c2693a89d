"""Seeded synthetic cities: a realistic, validated :class:`~gridgov.org.Structure` of any size.

:func:`synthetic_city` builds the spatial tree (district → streets → communities → grids →
buildings → units → households), residential compounds managed by property companies or
self-governed, the party organisation tree (county committee → street working committees →
community branches → one grid party group per grid → party member homes), party members at a
realistic share of residents, posts with appointments and realistic vacancies (secretary,
two-committee members, grid leader, full-time grid worker, party group leader, building head,
unit head, company managers and party boards), cross-appointments between communities and
property companies, linked households, report-backs of in-service members, co-building units
with agreements and projects, joint committees (大党委) with a rotating chair, supervision
links, service facilities, departments and teams. Area codes follow the profile's code scheme
and carry their parent's prefix. Service facilities have ``facility_kind``
``"party_mass_service_centre"`` (党群服务中心, one per community), ``"grid_service_station"``,
``"business_district_station"``, ``"micro_station"`` or ``"service_station"``.

How it scales
-------------
Everything many — areas, households, linked households — is generated as numpy arrays and
handed to the structure as polars frames; people, posts, appointments and report-backs are
built as columns too and turned into pydantic models in one batch
(:class:`pydantic.TypeAdapter` over the frame written as JSON, with the cyclic garbage
collector paused while the city is built). A million households (about 240 000 people,
135 000 posts and appointments, 1.6 million linked-household rows) take about 15 s and
1.6 GiB on an idle two-core machine, half of it in the :class:`~gridgov.org.Structure`'s
own validation; see ``bench/bench_synthetic.py``.

Calibration defaults
--------------------
The defaults of :class:`CityParams` are assumptions stated there: 2.6 residents per household
(the national census average is about 2.6), party members 6.5 % of residents (national
membership is about 7 % of the population), 2-4 units per building of 5-7 floors with two
households a floor. The bundled examples (:mod:`gridgov.datasets.bundled`) override them to
match the figures of the documentation page Sources (``docs/sources.md``).

Examples
--------
>>> from gridgov.datasets import synthetic_city
>>> city = synthetic_city(households=2_000, seed=1)
>>> len(city.households)
2000
>>> city.rollup("grid").get_column("households").min() >= 300  # the default band
True
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from gridgov._bulk import gc_paused
from gridgov.datasets import names as _names
from gridgov.errors import DatasetError

if TYPE_CHECKING:
    import polars as pl

    from gridgov.org import Structure
    from gridgov.org.codes import CodeScheme

__all__ = [
    "MAX_HOUSEHOLDS",
    "REFERENCE_DATE",
    "CityParams",
    "Progress",
    "check_city_arguments",
    "synthetic_city",
]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
DateArray = npt.NDArray[np.datetime64]

#: The day the bundled examples and, by default, generated cities describe.
REFERENCE_DATE = dt.date(2024, 6, 30)

#: A progress callback: ``progress(stage, fraction_done)`` with ``fraction_done`` in [0, 1].
Progress = Callable[[str, float], None]


# ``facility_kind`` of the service facilities (the first is what the service_centre_area rule
# looks for).
_CENTRE = "party_mass_service_centre"
_GRID_STATION = "grid_service_station"
_BUSINESS_STATION = "business_district_station"
_MICRO_STATION = "micro_station"
_SERVICE_STATION = "service_station"

_PROJECT_THEMES = (
    ("老旧小区改造", "environment"),
    ("楼道环境整治", "environment"),
    ("关爱空巢老人", "elderly_care"),
    ("助老食堂", "elderly_care"),
    ("法律进社区", "legal"),
    ("矛盾纠纷调解", "legal"),
    ("青少年科普课堂", "education"),
    ("四点半课堂", "education"),
    ("义诊进社区", "health"),
    ("健康知识讲座", "health"),
    ("文明实践志愿服务", "culture"),
    ("社区文艺汇演", "culture"),
    ("消防安全检查", "safety"),
    ("平安巡逻", "safety"),
    ("就业技能培训", "employment"),
    ("困难群众帮扶", "relief"),
)
_TEAM_KINDS = ("艺术团", "民乐队", "健身队", "合唱团", "舞蹈队", "书画社", "秧歌队")
_CATEGORY_P = {
    "organisational": 0.4,
    "industry": 0.15,
    "governance": 0.2,
    "service": 0.15,
    "resource": 0.1,
}


@dataclass(frozen=True, kw_only=True)
class CityParams:
    """Every knob of the generator; :func:`synthetic_city` takes them as keyword options.

    Counts left ``None`` are derived from ``households`` and the ratios; counts given are
    met exactly (the bundled examples use that to match published figures).

    Parameters
    ----------
    households, seed, profile
        Size, random seed and locality profile (grid band and code scheme).
    name, district_name
        Name of the structure and of the district area.
    reference_date
        The day the structure describes; every appointment not deliberately vacant is valid.
    grid_band
        ``(low, high)`` households per grid; ``None`` reads the profile's ``grid.households``.
    code_scheme
        Grid-code scheme; ``None`` reads the profile (``code.scheme``).
    district_code
        Six digits for the district part of codes; the default starts with ``99``, which is
        not a province, so codes are visibly synthetic.
    grids, communities, streets, buildings, units, compounds
        Exact counts, or ``None`` to derive them.
    grids_per_community, communities_per_street
        Ratios used when the counts are not given.
    units_per_building, households_per_unit
        Ranges of each building's style (assumed: 2-4 units; 5-7 floors × 2 households).
    residents_per_household
        Mean residents per household (assumed 2.6; census average).
    party_share
        Party members as a share of residents (assumed 0.065).
    in_service_share, in_service_members
        Share (or exact number) of party members in service (在职); the rest are retired
        (退休) except ``flowing_share`` flowing (流动) members.
    probationary_share
        Share of probationary members (预备党员).
    report_back_share
        Share of in-service members registered with the grid of residence (双报到).
    links_per_member
        Range of households each party member is linked to (党员联系户).
    vacancy_rate
        Share of grid workers, party group leaders, building heads, unit heads and
        committee members left vacant on the reference date (half of them with a past holder).
    turnover_share
        Share of grids whose full-time grid worker replaced an earlier one (the earlier
        appointment ends the day before the present one starts).
    grid_established
        The day the grids were drawn; grid, building and unit posts start then.
    community_party_org
        ``"branch"`` (党支部), ``"general_branch"`` (党总支) or ``"auto"`` (a general branch
        from 8 grids up).
    community_working_committee
        Put a community working committee (社区党工委) above each community branch.
    committee_members
        Two-committee members per community besides the secretary.
    party_member_homes
        Total party member homes (党员之家), or ``None`` for 0-2 per grid.
    compound_buildings
        Mean buildings per compound when ``compounds`` is not given.
    self_governed_share, self_governed_compounds
        Share (or number) of compounds without a property company (无物业小区).
    compounds_per_company, property_companies
        Managed compounds per company, or the exact number of companies.
    charter_share, charter_companies
        Share (or number) of companies with party building in the charter (党建入章程);
        exactly those companies have their own party organisation.
    publishes_share
        Share of companies publishing their service items, standards and scope.
    board_seats
        Range of party-board seats besides the secretary of a company party organisation.
    board_managers
        Company party-board members also in company management (交叉任职), or ``None``
        for about 60 % of the company party organisations.
    board_placements
        Community two-committee members on company party boards (双向进入), or ``None``
        for one in about every third community–company pair.
    two_way_share
        Share of those community–company pairs where a company manager also serves the
        community as liaison, making entry two-way.
    industry_committee
        Create a property-industry party committee (物业行业党委) and association that
        supervise the companies.
    co_building_units, co_building_per_community
        Exact number of co-building units, or units per community.
    projects, problems_solved
        Exact totals over all agreements, or ``None`` for 1-3 projects per agreement and
        about three problems solved per project.
    joint_committee_share
        Share of communities (with at least two co-building units) that have a 大党委.
    centre_area, large_centres, small_centre_share
        Floor-area range of party-and-mass service centres (m²), how many are over 1000 m²
        (``None``: as drawn), and the share drawn below 300 m².
    resident_space_share
        Range of the share of centre space for residents.
    grid_service_stations, business_stations, micro_stations, service_stations
        A community grid service station per community; numbers of business-district
        stations, micro-stations and other service places.
    micro_station_brand
        Name prefix of micro-stations (``"友小驿"``).
    volunteers_total
        Total members of the community volunteer teams, or ``None`` for 20-80 a team.
    community_teams
        Number of community culture teams (art troupes, bands…).
    vanguard_teams
        Members of each property-service vanguard team (物业服务先锋队).
    mediation_team
        Name of a county mediation team (``"友谊大妈团"``), if any.
    departments
        Add police stations and judicial offices per street and the county's tribunal, law
        firm, legal-service office and governance centre (四所一庭一中心).
    """

    households: int = 20_000
    seed: int = 0
    profile: str = "default"
    name: str | None = None
    district_name: str | None = None
    reference_date: dt.date = REFERENCE_DATE
    grid_band: tuple[int, int] | None = None
    code_scheme: str | None = None
    district_code: str = "990101"
    grids: int | None = None
    communities: int | None = None
    streets: int | None = None
    buildings: int | None = None
    units: int | None = None
    compounds: int | None = None
    grids_per_community: float = 12.0
    communities_per_street: float = 6.0
    units_per_building: tuple[int, int] = (2, 4)
    households_per_unit: tuple[int, int] = (10, 14)
    residents_per_household: float = 2.6
    party_share: float = 0.065
    in_service_share: float = 0.35
    in_service_members: int | None = None
    flowing_share: float = 0.03
    probationary_share: float = 0.02
    report_back_share: float = 0.9
    links_per_member: tuple[int, int] = (5, 15)
    vacancy_rate: float = 0.03
    turnover_share: float = 0.2
    grid_established: dt.date = dt.date(2021, 3, 1)
    community_party_org: Literal["auto", "branch", "general_branch"] = "auto"
    community_working_committee: bool = False
    committee_members: tuple[int, int] = (4, 6)
    party_member_homes: int | None = None
    compound_buildings: float = 3.5
    self_governed_share: float = 0.2
    self_governed_compounds: int | None = None
    compounds_per_company: float = 3.0
    property_companies: int | None = None
    charter_share: float = 0.6
    charter_companies: int | None = None
    publishes_share: float = 0.7
    board_seats: tuple[int, int] = (2, 4)
    board_managers: int | None = None
    board_placements: int | None = None
    two_way_share: float = 0.6
    industry_committee: bool = True
    co_building_units: int | None = None
    co_building_per_community: float = 4.0
    projects: int | None = None
    problems_solved: int | None = None
    joint_committee_share: float = 0.6
    centre_area: tuple[float, float] = (300.0, 1000.0)
    large_centres: int | None = None
    small_centre_share: float = 0.1
    resident_space_share: tuple[float, float] = (0.5, 0.85)
    grid_service_stations: bool = False
    business_stations: int = 0
    micro_stations: int = 0
    service_stations: int = 0
    micro_station_brand: str = "微驿站"
    volunteers_total: int | None = None
    community_teams: int = 0
    vanguard_teams: tuple[int, ...] = ()
    mediation_team: str | None = None
    departments: bool = True

    def __post_init__(self) -> None:
        problems = _whole_problems(self) + _field_problems(self)
        if problems:
            raise ValueError("invalid city parameters: " + "; ".join(problems))


_SHARES = (
    "party_share",
    "in_service_share",
    "flowing_share",
    "report_back_share",
    "vacancy_rate",
    "turnover_share",
    "self_governed_share",
    "charter_share",
    "publishes_share",
    "two_way_share",
    "joint_committee_share",
    "probationary_share",
    "small_centre_share",
)
_COUNTS = (
    "grids",
    "communities",
    "streets",
    "buildings",
    "units",
    "compounds",
    "property_companies",
    "co_building_units",
)
_RANGES = (
    "units_per_building",
    "households_per_unit",
    "links_per_member",
    "committee_members",
    "board_seats",
)


def _whole_problems(p: CityParams) -> list[str]:
    """Problems with the size, seed and dates."""
    problems: list[str] = []
    if isinstance(p.households, bool) or not isinstance(p.households, int):
        problems.append(f"households must be an int, not {type(p.households).__name__}")
    elif p.households < 1:
        problems.append(f"households must be at least 1, got {p.households}")
    if isinstance(p.seed, bool) or not isinstance(p.seed, int) or p.seed < 0:
        problems.append(f"seed must be a non-negative int, got {p.seed!r}")
    if p.reference_date < dt.date(2024, 1, 1):
        problems.append("reference_date must be 2024-01-01 or later")
    if not p.grid_established <= p.reference_date - dt.timedelta(days=30):
        problems.append("grid_established must be at least 30 days before reference_date")
    if p.residents_per_household < 1:
        problems.append("residents_per_household must be at least 1")
    return problems


def _field_problems(p: CityParams) -> list[str]:
    """Problems with shares, counts and ranges."""
    problems = [
        f"{name} must lie in [0, 1], got {getattr(p, name)}"
        for name in _SHARES
        if not 0.0 <= getattr(p, name) <= 1.0
    ]
    problems += [
        f"{name} must be at least 1, got {getattr(p, name)}"
        for name in _COUNTS
        if getattr(p, name) is not None and getattr(p, name) < 1
    ]
    problems += [
        f"{name} must be a range (low, high), got {getattr(p, name)}"
        for name in _RANGES
        if not 0 <= getattr(p, name)[0] <= getattr(p, name)[1]
    ]
    return problems


def synthetic_city(
    households: int = 20_000,
    *,
    seed: int = 0,
    profile: str = "default",
    progress: Progress | None = None,
    **options: Any,
) -> Structure:
    """Generate a deterministic synthetic city.

    Parameters
    ----------
    households : int, default 20 000
        Number of households; every grid's count lies in the profile's band whenever some
        number of grids can fit it (not for fewer households than the band's low end, nor
        for e.g. 501-599 households under a 300-500 band: then the grids are as even as
        possible and fall below the band).
    seed : int, default 0
        Random seed; the same seed and options give an equal structure.
    profile : str, default "default"
        Locality profile giving the grid household band (``grid.households``) and the code
        scheme (``code.scheme``); see :mod:`gridgov.org.profiles`.
    progress : callable, optional
        Called as ``progress(stage, fraction_done)`` while the city is built.
    **options
        Any field of :class:`CityParams` (``communities=21``, ``vacancy_rate=0`` …).

    Returns
    -------
    gridgov.org.Structure
        A validated structure with ``reference_date`` set.

    Raises
    ------
    gridgov.errors.DatasetError
        Before anything is generated: for an option that is not a :class:`CityParams` field,
        more than :data:`MAX_HOUSEHOLDS` households, or parameters that cannot be met (a grid
        count whose households cannot lie in the band, a share outside [0, 1] …). It is a
        ``ValueError`` and a ``TypeError``, the builtins raised before.

    Examples
    --------
    >>> a = synthetic_city(households=1_000, seed=3)
    >>> a.model_dump() == synthetic_city(households=1_000, seed=3).model_dump()
    True
    >>> sorted({o.kind.value for o in a.organisations})[:2]
    ['co_building_unit', 'department']
    """
    check_city_arguments(households, seed=seed, **options)
    try:
        params = CityParams(households=households, seed=seed, profile=profile, **options)
    except ValueError as exc:
        raise DatasetError(str(exc)) from None
    return _CityBuilder(params, progress).build()


#: Most households :func:`synthetic_city` builds (more than any Chinese city district has).
MAX_HOUSEHOLDS = 10_000_000


def check_city_arguments(households: object, *, seed: object = 0, **options: object) -> None:
    """Refuse arguments :func:`synthetic_city` cannot take, before anything is generated.

    Raises
    ------
    gridgov.errors.DatasetError
        For a size or seed that is not a whole number in range, or an unknown option (also
        a ``TypeError``); the message names every problem.

    Examples
    --------
    >>> check_city_arguments(99_999_999_999_999)
    Traceback (most recent call last):
    ...
    gridgov.errors.DatasetError: invalid city parameters: households must be at most 10,000,000...
    """
    problems: list[str] = []
    if isinstance(households, bool) or not isinstance(households, int):
        problems.append(f"households must be an int, not {type(households).__name__}")
    elif households < 1:
        problems.append(f"households must be at least 1, got {households:,}")
    elif households > MAX_HOUSEHOLDS:
        problems.append(f"households must be at most {MAX_HOUSEHOLDS:,}, got {households:,}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        problems.append(f"seed must be a non-negative int, got {seed!r:.40}")
    fields = {f.name for f in dataclasses.fields(CityParams)}
    unknown = sorted(set(options) - fields)
    if unknown:
        problems.append(
            f"unknown option(s) {', '.join(unknown)}; options: {', '.join(sorted(fields))}"
        )
    if problems:
        raise DatasetError("invalid city parameters: " + "; ".join(problems))


# -- profile access ---------------------------------------------------------------------------
def _profile_settings(params: CityParams) -> tuple[tuple[int, int], str | None]:
    """The grid band and code scheme for ``params`` (explicit values win over the profile)."""
    from gridgov.org.profiles import load_profile

    profile = load_profile(params.profile)
    band = params.grid_band
    if band is None:
        value = profile.get("grid.households")
        if not (isinstance(value, list) and len(value) == 2):
            raise ValueError(f"profile {params.profile!r}: grid.households is not [min, max]")
        band = (int(str(value[0])), int(str(value[1])))
    scheme = params.code_scheme
    if scheme is None:
        value = profile.get("code.scheme")
        scheme = str(value) if value else None
    return band, scheme


# -- array helpers ----------------------------------------------------------------------------
def _rank_in_run(group: IntArray) -> IntArray:
    """0-based position of each element within its run of equal values (``group`` sorted)."""
    n = group.size
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    new = np.empty(n, dtype=bool)
    new[0] = True
    np.not_equal(group[1:], group[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    run = np.cumsum(new) - 1
    out: IntArray = np.arange(n, dtype=np.int64) - starts[run]
    return out


def _split_even(rng: np.random.Generator, totals: IntArray, parts: IntArray) -> IntArray:
    """Split each ``totals[g]`` into ``parts[g]`` near-equal parts (remainder at random)."""
    grp = np.repeat(np.arange(totals.size, dtype=np.int64), parts)
    base = (totals // parts)[grp]
    rem = (totals % parts)[grp]
    order = np.lexsort((rng.random(grp.size), grp))
    rank = np.empty(grp.size, dtype=np.int64)
    rank[order] = _rank_in_run(grp[order])
    out: IntArray = base + (rank < rem)
    return out


def _apportion(
    rng: np.random.Generator, total: int, weights: npt.ArrayLike, minimum: int = 1
) -> IntArray:
    """``total`` split over ``len(weights)`` parts of at least ``minimum``, ∝ ``weights``."""
    w = np.asarray(weights, dtype=np.float64)
    n = w.size
    extra = total - n * minimum
    if extra < 0:
        raise ValueError(f"cannot split {total} into {n} parts of at least {minimum}")
    raw = extra * w / w.sum() if w.sum() > 0 else np.full(n, extra / max(n, 1))
    floor = np.floor(raw).astype(np.int64)
    rem = int(extra - floor.sum())
    frac = raw - floor + rng.random(n) * 1e-9
    floor[np.argsort(-frac, kind="stable")[:rem]] += 1
    out: IntArray = floor + minimum
    return out


def _band_sizes(rng: np.random.Generator, total: int, n: int, lo: int, hi: int) -> IntArray:
    """``n`` sizes in ``[lo, hi]`` summing to ``total``."""
    if not n * lo <= total <= n * hi:
        raise ValueError(f"{total} households cannot form {n} grids of {lo}-{hi} households each")
    margin = (hi - lo) // 10
    sizes = rng.integers(lo + margin, hi - margin + 1, size=n).astype(np.int64)
    diff = total - int(sizes.sum())
    while diff:
        step = 1 if diff > 0 else -1
        room = np.flatnonzero(sizes < hi) if step > 0 else np.flatnonzero(sizes > lo)
        take = rng.choice(room, size=min(abs(diff), room.size), replace=False)
        sizes[take] += step
        diff -= step * int(take.size)
    return sizes


def _pick(
    rng: np.random.Generator, group: IntArray, eligible: BoolArray, n_groups: int
) -> IntArray:
    """For each group, a random eligible element's index (``-1`` where none is eligible).

    ``group`` (the group of each element) must be non-decreasing, as every array of the
    generator is (households in unit order, members in household order): then one pass of
    ``maximum.reduceat`` over random priorities picks, instead of a sort.
    """
    out = np.full(n_groups, -1, dtype=np.int64)
    n = group.size
    if n == 0:
        return out
    priority = rng.random(n)
    priority[~eligible] = -1.0
    new = np.empty(n, dtype=bool)
    new[0] = True
    np.not_equal(group[1:], group[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    best = np.maximum.reduceat(priority, starts)
    run = np.cumsum(new) - 1
    idx = np.flatnonzero((priority == best[run]) & (priority >= 0.0))
    if idx.size == 0:
        return out
    chosen = group[idx]
    first = np.r_[True, chosen[1:] != chosen[:-1]]  # a tie (probability ~0): keep the first
    out[chosen[first]] = idx[first]
    return out


def _days(rng: np.random.Generator, start: dt.date, span: int, n: int) -> DateArray:
    """``n`` dates from ``start`` to ``start + span - 1`` days."""
    base = np.datetime64(start, "D")
    out: DateArray = base + rng.integers(0, max(span, 1), size=n).astype("timedelta64[D]")
    return out


def _date_series(values: Any, n: int) -> pl.Series:
    """A polars ``Date`` series from numpy dates, Python dates, ``None`` (all null) or a mix."""
    import polars as pl

    if values is None:
        return pl.Series([None] * n, dtype=pl.Date)
    if isinstance(values, np.ndarray):
        return pl.Series(values.astype("datetime64[D]"), dtype=pl.Date)
    return pl.Series(
        [v.item() if isinstance(v, np.datetime64) else v for v in values], dtype=pl.Date
    )


def _ids(prefix: str, n: int, width: int | None = None) -> list[str]:
    w = width or max(2, len(str(n)))
    return [f"{prefix}{i:0{w}d}" for i in range(1, n + 1)]


def _child_ids(
    parent_ids: pl.Series, parent_of: IntArray, letter: str, min_width: int = 2
) -> pl.Series:
    """Ids ``parent + letter + number`` (numbered from 1 within each parent)."""
    import polars as pl

    num = _rank_in_run(parent_of) + 1
    width = max(min_width, len(str(int(num.max()))) if num.size else 1)
    frame = pl.DataFrame({"p": parent_ids.gather(parent_of), "n": num})
    return frame.select(
        pl.concat_str(pl.col("p"), pl.lit(letter), pl.col("n").cast(pl.String).str.zfill(width))
    ).to_series()


# -- the builder ------------------------------------------------------------------------------
class _CityBuilder:
    """Builds one city from :class:`CityParams`; each stage adds to ``self`` in order."""

    def __init__(self, params: CityParams, progress: Progress | None) -> None:
        self.p = params
        self.progress = progress
        self.ref = params.reference_date
        self.band, scheme_name = _profile_settings(params)
        self.scheme: CodeScheme | None = None
        if scheme_name:
            from gridgov.org.codes import get_scheme

            self.scheme = get_scheme(scheme_name)
        self._streams: dict[str, np.random.Generator] = {}
        self.orgs: list[dict[str, Any]] = []
        self.post_frames: list[pl.DataFrame] = []
        self.appt_frames: list[pl.DataFrame] = []
        self.extra_people: list[pl.DataFrame] = []
        self.n_people = 0

    def rng(self, stage: str) -> np.random.Generator:
        """An independent random stream per stage, so stages do not shift one another."""
        if stage not in self._streams:
            key = [int(b) for b in stage.encode()]
            self._streams[stage] = np.random.default_rng([self.p.seed, *key])
        return self._streams[stage]

    def tell(self, stage: str, fraction: float) -> None:
        if self.progress is not None:
            self.progress(stage, fraction)

    def build(self) -> Structure:
        from gridgov.org import Structure

        steps: list[tuple[str, Callable[[], None]]] = [
            ("areas", self.areas),
            ("households", self.households),
            ("compounds", self.compounds),
            ("organisations", self.organisations),
            ("members", self.members),
            ("posts", self.posts),
            ("relations", self.relations),
            ("models", self.models),
        ]
        with gc_paused():
            for k, (stage, step) in enumerate(steps):
                self.tell(stage, k / (len(steps) + 1))
                step()
            self.tell("validation", len(steps) / (len(steps) + 1))
            structure = Structure(
                name=self.p.name or f"合成市（种子 {self.p.seed}）",
                code_scheme=self.scheme.name if self.scheme is not None else None,
                reference_date=self.ref,
                areas=self.area_table,
                households=self.household_table,
                compounds=self.compound_models,
                organisations=self.org_models,
                people=self.people_models,
                posts=self.post_models,
                appointments=self.appt_models,
                linked_households=self.link_table,
                report_backs=self.report_back_models,
                agreements=self.agreement_models,
                joint_committees=self.joint_committee_models,
                supervision=self.supervision_models,
            )
        self.tell("done", 1.0)
        return structure

    # -- spatial tree ---------------------------------------------------------------------
    def areas(self) -> None:  # noqa: PLR0915
        import polars as pl

        p = self.p
        rng = self.rng("areas")
        n = p.households
        lo, hi = self.band
        mid = (lo + hi) / 2
        if p.grids is not None:
            g = p.grids
            sizes = _band_sizes(rng, n, g, lo, hi)
        elif -(-n // hi) > n // lo:
            # no number of grids fits the band (fewer households than the band's low end, or
            # e.g. 501-599 for 300-500): the fewest grids that stay under the high end, even
            g = -(-n // hi)
            sizes = _split_even(rng, np.array([n], dtype=np.int64), np.array([g]))
        else:
            g = min(max(round(n / mid), -(-n // hi)), n // lo)
            sizes = _band_sizes(rng, n, g, lo, hi)
        c = p.communities or max(1, round(g / p.grids_per_community))
        if c > g:
            raise ValueError(f"{c} communities need at least as many grids, not {g}")
        s = p.streets or max(1, round(c / p.communities_per_street))
        if s > c:
            raise ValueError(f"{s} streets need at least as many communities, not {c}")
        grids_per_comm = _apportion(rng, g, rng.uniform(0.6, 1.4, c))
        comms_per_street = _apportion(rng, c, rng.uniform(0.7, 1.3, s))
        self.comm_street = np.repeat(np.arange(s, dtype=np.int64), comms_per_street)
        self.grid_comm = np.repeat(np.arange(c, dtype=np.int64), grids_per_comm)
        self.grid_hh = sizes
        # units and buildings per grid: each grid has one building style
        if p.units is not None:
            if p.units < g:
                raise ValueError(f"{p.units} units cannot fill {g} grids")
            units = _apportion(rng, p.units, sizes)
        else:
            hpu = rng.integers(p.households_per_unit[0], p.households_per_unit[1] + 1, g)
            units = np.maximum(1, np.rint(sizes / hpu)).astype(np.int64)
        units = np.minimum(units, sizes)
        if p.buildings is not None:
            if not g <= p.buildings <= int(units.sum()):
                raise ValueError(f"{p.buildings} buildings cannot hold {int(units.sum())} units")
            blds = _apportion(rng, p.buildings, units)
            over = blds > units
            while over.any():  # move surplus buildings to grids with room
                surplus = int((blds - units)[over].sum())
                blds[over] = units[over]
                room = np.flatnonzero(blds < units)
                blds[rng.choice(room, size=surplus, replace=True)] += 1
                over = blds > units
        else:
            upb = rng.integers(p.units_per_building[0], p.units_per_building[1] + 1, g)
            blds = np.clip(np.rint(units / np.maximum(upb, 1)), 1, units).astype(np.int64)
        self.bld_grid = np.repeat(np.arange(g, dtype=np.int64), blds)
        bld_units = _split_even(rng, units, blds)
        self.unit_bld = np.repeat(np.arange(self.bld_grid.size, dtype=np.int64), bld_units)
        self.unit_grid = self.bld_grid[self.unit_bld]
        self.unit_hh = _split_even(rng, sizes, units)
        self.n_streets, self.n_comms, self.n_grids = s, c, g
        self.n_blds, self.n_units = int(self.bld_grid.size), int(self.unit_bld.size)

        # ids, names and codes
        name_rng = self.rng("area-names")
        district_name = p.district_name or "示范区"
        self.district_id = "D"
        street_ids = pl.Series(_ids("S", s), dtype=pl.String)
        comm_ids = _child_ids(street_ids, self.comm_street, "C")
        grid_ids = _child_ids(comm_ids, self.grid_comm, "G")
        bld_ids = _child_ids(grid_ids, self.bld_grid, "B")
        unit_ids = _child_ids(bld_ids, self.unit_bld, "U")
        self.street_ids, self.comm_ids, self.grid_ids = street_ids, comm_ids, grid_ids
        self.bld_ids, self.unit_ids = bld_ids, unit_ids
        self.street_names = _names.street_names(name_rng, s)
        self.comm_names = _names.community_names(name_rng, c)
        grid_num = _rank_in_run(self.grid_comm) + 1
        grid_names = [
            f"{self.comm_names[k]}第{j}网格"
            for k, j in zip(self.grid_comm.tolist(), grid_num.tolist(), strict=True)
        ]
        self.grid_names = grid_names
        bld_num = pl.Series(_rank_in_run(self.bld_grid) + 1).cast(pl.String) + "号楼"
        unit_num = pl.Series(_rank_in_run(self.unit_bld) + 1).cast(pl.String) + "单元"
        codes = self._codes()
        parts = [
            pl.DataFrame(
                {
                    "id": [self.district_id],
                    "level": ["district"],
                    "parent": pl.Series([None], dtype=pl.String),
                    "name": [district_name],
                    "code": pl.Series([codes[0][0]], dtype=pl.String),
                }
            ),
            pl.DataFrame(
                {
                    "id": street_ids,
                    "level": "street",
                    "parent": self.district_id,
                    "name": self.street_names,
                    "code": pl.Series(codes[1], dtype=pl.String),
                }
            ),
            pl.DataFrame(
                {
                    "id": comm_ids,
                    "level": "community",
                    "parent": street_ids.gather(self.comm_street),
                    "name": self.comm_names,
                    "code": pl.Series(codes[2], dtype=pl.String),
                }
            ),
            pl.DataFrame(
                {
                    "id": grid_ids,
                    "level": "grid",
                    "parent": comm_ids.gather(self.grid_comm),
                    "name": grid_names,
                    "code": pl.Series(codes[3], dtype=pl.String),
                }
            ),
            pl.DataFrame(
                {
                    "id": bld_ids,
                    "level": "building",
                    "parent": grid_ids.gather(self.bld_grid),
                    "name": bld_num,
                    "code": pl.Series([None] * self.n_blds, dtype=pl.String),
                }
            ),
            pl.DataFrame(
                {
                    "id": unit_ids,
                    "level": "unit",
                    "parent": bld_ids.gather(self.unit_bld),
                    "name": unit_num,
                    "code": pl.Series([None] * self.n_units, dtype=pl.String),
                }
            ),
        ]
        frame = pl.concat(parts, how="vertical").with_columns(
            pl.lit(None, dtype=pl.Date).alias("start"), pl.lit(None, dtype=pl.Date).alias("end")
        )
        from gridgov.org.tables import AreaTable

        self.area_table = AreaTable(frame)

    def _codes(self) -> list[list[str | None]]:
        """Codes of the district, streets, communities and grids under the scheme (or None)."""
        s, c, g = self.n_streets, self.n_comms, self.n_grids
        scheme = self.scheme
        if scheme is None:
            return [[None], [None] * s, [None] * c, [None] * g]
        parts: dict[str, str | int] = {
            part.name: "100100" for part in scheme.parts if part.level is None
        }
        district = scheme.format(**parts, district=self.p.district_code)
        levels = scheme.levels

        def children(
            parents: list[str | None], parent_of: IntArray, level: str
        ) -> list[str | None]:
            if level not in levels:
                return [None] * parent_of.size
            nums = (_rank_in_run(parent_of) + 1).tolist()
            out: list[str | None] = []
            for k, j in zip(parent_of.tolist(), nums, strict=True):
                parent = parents[k]
                out.append(None if parent is None else scheme.child_code(parent, j))
            return out

        streets = children([district], np.zeros(s, dtype=np.int64), "street")
        comms = children(streets, self.comm_street, "community")
        grids = children(comms, self.grid_comm, "grid")
        return [[district], streets, comms, grids]

    def households(self) -> None:
        import polars as pl

        from gridgov.org.tables import HouseholdTable

        rng = self.rng("households")
        n = self.p.households
        self.hh_unit = np.repeat(np.arange(self.n_units, dtype=np.int64), self.unit_hh)
        self.hh_bld = self.unit_bld[self.hh_unit]
        self.hh_grid = self.unit_grid[self.hh_unit]
        self.hh_comm = self.grid_comm[self.hh_grid]
        extra = rng.poisson(self.p.residents_per_household - 1.0, n)
        self.residents = np.minimum(1 + extra, 12).astype(np.int64)
        self.hh_ids = _child_ids(self.unit_ids, self.hh_unit, "H")
        self.grid_first_hh = np.r_[0, np.cumsum(self.grid_hh)[:-1]].astype(np.int64)
        frame = pl.DataFrame(
            {
                "id": self.hh_ids,
                "parent": self.unit_ids.gather(self.hh_unit),
                "residents": pl.Series(self.residents, dtype=pl.Int32),
                "start": pl.Series([None] * n, dtype=pl.Date),
                "end": pl.Series([None] * n, dtype=pl.Date),
            }
        )
        self.household_table = HouseholdTable(frame)

    # -- compounds and companies --------------------------------------------------------------
    def compounds(self) -> None:
        p = self.p
        rng = self.rng("compounds")
        b = self.n_blds
        bld_comm = self.grid_comm[self.bld_grid]
        comm_start = np.r_[True, bld_comm[1:] != bld_comm[:-1]]
        n_comp = p.compounds or max(int(comm_start.sum()), round(b / p.compound_buildings))
        n_comp = int(min(max(n_comp, int(comm_start.sum())), b))
        free = np.flatnonzero(~comm_start)
        cuts = rng.choice(free, size=n_comp - int(comm_start.sum()), replace=False)
        starts = comm_start.copy()
        starts[cuts] = True
        self.bld_compound = np.cumsum(starts).astype(np.int64) - 1
        comp_size = np.bincount(self.bld_compound, minlength=n_comp)
        self.comp_comm = bld_comm[np.flatnonzero(starts)]
        # self-governed: small compounds are likelier to have no property company
        n_self = (
            p.self_governed_compounds
            if p.self_governed_compounds is not None
            else round(p.self_governed_share * n_comp)
        )
        weights = 1.0 / comp_size
        self_gov = np.zeros(n_comp, dtype=bool)
        if n_self:
            self_gov[rng.choice(n_comp, size=n_self, replace=False, p=weights / weights.sum())] = (
                True
            )
        managed = np.flatnonzero(~self_gov)
        n_comp_managed = int(managed.size)
        k = p.property_companies or max(1, round(n_comp_managed / p.compounds_per_company))
        if n_comp_managed < k:
            raise ValueError(f"{k} property companies need at least {k} managed compounds")
        per_company = _apportion(rng, n_comp_managed, rng.gamma(1.5, 1.0, k) + 0.2)
        comp_company = np.full(n_comp, -1, dtype=np.int64)
        comp_company[managed] = np.repeat(np.arange(k, dtype=np.int64), per_company)
        self.comp_company, self.self_gov, self.n_companies = comp_company, self_gov, k
        self.comp_ids = _ids("CP", n_comp, 4)
        self.comp_names = _names.compound_names(self.rng("compound-names"), n_comp)
        self.company_ids = _ids("O-PM", k, 3)
        self.company_names = _names.company_names(self.rng("company-names"), k)
        n_charter = (
            p.charter_companies if p.charter_companies is not None else round(p.charter_share * k)
        )
        self.charter = np.zeros(k, dtype=bool)
        self.charter[rng.choice(k, size=min(n_charter, k), replace=False)] = True
        self.publishes = rng.random(k) < p.publishes_share
        self.company_party = np.flatnonzero(self.charter)
        self.company_party_ids = {int(i): f"O-PMP{i + 1:03d}" for i in self.company_party}

    # -- organisations ------------------------------------------------------------------------
    def org(self, **fields: Any) -> str:
        self.orgs.append(fields)
        return str(fields["id"])

    def organisations(self) -> None:
        p = self.p
        rng = self.rng("organisations")
        comm_ids = self.comm_ids.to_list()
        street_ids = self.street_ids.to_list()
        grid_ids = self.grid_ids.to_list()
        c, g = self.n_comms, self.n_grids
        d = dt.date
        self.county = self.org(
            id="O-PC",
            kind="party_committee",
            name="县委",
            area=self.district_id,
            start=d(1990, 1, 1),
        )
        self.street_wc = [
            self.org(
                id=f"O-WC-{sid}",
                kind="working_committee",
                name=f"{sn}党工委",
                parent=self.county,
                area=sid,
                start=d(2000, 1, 1),
            )
            for sid, sn in zip(street_ids, self.street_names, strict=True)
        ]
        self.street_office = [
            self.org(
                id=f"O-SO-{sid}",
                kind="street_office",
                name=f"{sn}办事处",
                area=sid,
                start=d(2000, 1, 1),
            )
            for sid, sn in zip(street_ids, self.street_names, strict=True)
        ]
        comm_grids = np.bincount(self.grid_comm, minlength=c)
        est = np.datetime64(d(1998, 1, 1), "D")
        comm_start = (est + rng.integers(0, 17 * 365, c).astype("timedelta64[D]")).tolist()
        self.branch: list[str] = []
        self.rc: list[str] = []
        for k in range(c):
            cid, cn, street = comm_ids[k], self.comm_names[k], int(self.comm_street[k])
            parent = self.street_wc[street]
            if p.community_working_committee:
                parent = self.org(
                    id=f"O-CWC-{cid}",
                    kind="working_committee",
                    name=f"{cn}党工委",
                    parent=parent,
                    area=cid,
                    start=comm_start[k],
                )
            general = p.community_party_org == "general_branch" or (
                p.community_party_org == "auto" and comm_grids[k] >= 8
            )
            kind, label = ("general_branch", "党总支") if general else ("party_branch", "党支部")
            self.branch.append(
                self.org(
                    id=f"O-BR-{cid}",
                    kind=kind,
                    name=f"{cn}{label}",
                    parent=parent,
                    area=cid,
                    start=comm_start[k],
                )
            )
            self.rc.append(
                self.org(
                    id=f"O-RC-{cid}",
                    kind="residents_committee",
                    name=f"{cn}居民委员会",
                    parent=self.street_office[street],
                    area=cid,
                    start=comm_start[k],
                )
            )
        # grid party groups and party member homes
        established = p.grid_established
        self.group = [
            self.org(
                id=f"O-PG-{gid}",
                kind="grid_party_group",
                name=f"{gn}党小组",
                parent=self.branch[int(self.grid_comm[j])],
                area=gid,
                start=established,
            )
            for j, (gid, gn) in enumerate(zip(grid_ids, self.grid_names, strict=True))
        ]
        if p.party_member_homes is not None:
            homes = _apportion(rng, p.party_member_homes, rng.random(g) + 0.5, minimum=0)
        else:
            homes = rng.choice(3, size=g, p=[0.3, 0.5, 0.2])
        for j in np.flatnonzero(homes).tolist():
            for h in range(int(homes[j])):
                self.org(
                    id=f"O-HM-{grid_ids[j]}-{h + 1}",
                    kind="party_member_home",
                    name=f"{self.grid_names[j]}党员之家" + (f"（{h + 1}）" if homes[j] > 1 else ""),
                    parent=self.group[j],
                    area=grid_ids[j],
                    start=established,
                )
        self._facilities(rng, comm_ids, grid_ids)
        self._companies(rng, comm_ids)
        self._co_building(rng, comm_ids)
        self._teams_and_departments(rng, comm_ids, street_ids)

    def _facilities(
        self, rng: np.random.Generator, comm_ids: list[str], grid_ids: list[str]
    ) -> None:
        p = self.p
        c = self.n_comms
        lo, hi = p.centre_area
        area = rng.uniform(lo, hi, c)
        if p.large_centres is not None:
            area = rng.uniform(lo, min(hi, 999.0), c)
            big = rng.choice(c, size=min(p.large_centres, c), replace=False)
            area[big] = rng.uniform(1001.0, 1800.0, big.size)
        small = rng.random(c) < p.small_centre_share
        area[small] = rng.uniform(150.0, 299.0, int(small.sum()))
        share = rng.uniform(*p.resident_space_share, c)
        for k in range(c):
            cn = self.comm_names[k]
            self.org(
                id=f"O-SC-{comm_ids[k]}",
                kind="service_facility",
                name=f"{cn}党群服务中心",
                facility_kind=_CENTRE,
                floor_area_m2=round(float(area[k]), 1),
                resident_space_share=round(float(share[k]), 3),
                area=comm_ids[k],
                host=self.branch[k],
                start=dt.date(2018, 1, 1),
            )
            if p.grid_service_stations:
                self.org(
                    id=f"O-GS-{comm_ids[k]}",
                    kind="service_facility",
                    name=f"{cn}网格服务站",
                    facility_kind=_GRID_STATION,
                    area=comm_ids[k],
                    host=self.rc[k],
                    start=p.grid_established,
                )
        for j, k in enumerate(rng.choice(c, size=p.business_stations).tolist()):
            self.org(
                id=f"O-BS-{j + 1:02d}",
                kind="service_facility",
                name=f"{self.comm_names[k]}商圈网格服务站",
                facility_kind=_BUSINESS_STATION,
                area=comm_ids[k],
                host=self.rc[k],
                start=dt.date(2023, 1, 1),
            )
        spots = rng.choice(
            self.n_grids, size=p.micro_stations, replace=p.micro_stations > self.n_grids
        )
        for j, gj in enumerate(np.sort(spots).tolist()):
            k = int(self.grid_comm[gj])
            self.org(
                id=f"O-MS-{j + 1:03d}",
                kind="service_facility",
                name=f"{p.micro_station_brand}·{self.grid_names[gj]}",
                facility_kind=_MICRO_STATION,
                area=grid_ids[gj],
                host=self.rc[k],
                start=dt.date(2024, 1, 1),
            )
        kinds = ("户外劳动者服务站", "青年志愿服务站", "爱心驿站", "妇女儿童之家")
        for j in range(p.service_stations):
            k = int(rng.integers(0, c))
            self.org(
                id=f"O-SV-{j + 1:03d}",
                kind="service_facility",
                name=f"{self.comm_names[k]}{kinds[j % len(kinds)]}",
                facility_kind=_SERVICE_STATION,
                area=comm_ids[k],
                host=self.rc[k],
                start=dt.date(2024, 1, 1),
            )

    def _companies(self, rng: np.random.Generator, comm_ids: list[str]) -> None:
        p = self.p
        k = self.n_companies
        self.ipc: str | None = None
        if p.industry_committee:
            self.ipc = self.org(
                id="O-IPC",
                kind="industry_party_committee",
                name="物业行业党委",
                parent=self.county,
                industry="property management",
                start=dt.date(2019, 1, 1),
            )
            self.org(
                id="O-IA",
                kind="industry_association",
                name="物业行业协会",
                start=dt.date(2016, 1, 1),
            )
        est = np.datetime64(dt.date(2003, 1, 1), "D")
        self.company_start = est + rng.integers(0, 15 * 365, k).astype("timedelta64[D]")
        first_comp = np.full(k, -1, dtype=np.int64)
        managed = np.flatnonzero(self.comp_company >= 0)
        first_comp[self.comp_company[managed][::-1]] = managed[::-1]
        comp_street = self.comm_street[self.comp_comm]
        for i in range(k):
            self.org(
                id=self.company_ids[i],
                kind="property_company",
                name=self.company_names[i],
                charter_includes_party_building=bool(self.charter[i]),
                publishes_service_items=bool(self.publishes[i]),
                start=self.company_start[i].item(),
            )
        party_start = np.datetime64(dt.date(2019, 3, 1), "D")
        self.company_party_start: dict[int, dt.date] = {}
        for i, oid in self.company_party_ids.items():
            start = max(
                self.company_start[i].item(),
                (party_start + rng.integers(0, 3 * 365)).item(),
            )
            self.company_party_start[i] = start
            street = int(comp_street[first_comp[i]])
            self.org(
                id=oid,
                kind="enterprise_party_org",
                name=f"{self.company_names[i]}党支部",
                parent=self.ipc or self.street_wc[street],
                host=self.company_ids[i],
                start=start,
            )
        # owners' committees
        comp_size = np.bincount(self.bld_compound, minlength=len(self.comp_ids))
        has_oc = np.where(self.self_gov, 0.3, np.where(comp_size >= 3, 0.6, 0.15))
        for j in np.flatnonzero(rng.random(has_oc.size) < has_oc).tolist():
            self.org(
                id=f"O-OC-{self.comp_ids[j]}",
                kind="owners_committee",
                name=f"{self.comp_names[j]}业主委员会",
                compound=self.comp_ids[j],
                area=comm_ids[int(self.comp_comm[j])],
                start=dt.date(2019, 1, 1),
            )

    def _co_building(self, rng: np.random.Generator, comm_ids: list[str]) -> None:
        p = self.p
        c = self.n_comms
        n = p.co_building_units or max(1, round(c * p.co_building_per_community))
        units = _names.co_building_unit_names(self.rng("unit-names"), n)
        self.cb_ids = _ids("O-CB", n, 3)
        for i, (name, category) in enumerate(units):
            self.org(
                id=self.cb_ids[i],
                kind="co_building_unit",
                name=name,
                category=category,
                start=dt.date(2000, 1, 1),
            )
        # agreements: every community gets one while units last; some units sign twice
        first = rng.integers(0, c, n)
        cover = rng.permutation(c)[: min(c, n)]
        first[rng.permutation(n)[: cover.size]] = cover
        second = np.where(rng.random(n) < 0.3, rng.integers(0, c, n), -1)
        second[second == first] = -1
        unit_of = np.r_[np.arange(n), np.flatnonzero(second >= 0)]
        comm_of = np.r_[first, second[second >= 0]]
        order = np.lexsort((unit_of, comm_of))
        self.ag_unit, self.ag_comm = unit_of[order], comm_of[order]

    def _teams_and_departments(
        self, rng: np.random.Generator, comm_ids: list[str], street_ids: list[str]
    ) -> None:
        p = self.p
        c = self.n_comms
        if p.volunteers_total is not None:
            members = _apportion(rng, p.volunteers_total, rng.uniform(0.5, 1.5, c), minimum=5)
        else:
            members = rng.integers(20, 81, c)
        for k in range(c):
            self.org(
                id=f"O-VT-{comm_ids[k]}",
                kind="social_organisation",
                name=f"{self.comm_names[k]}志愿服务队",
                team_kind="volunteer",
                members=int(members[k]),
                area=comm_ids[k],
                host=self.rc[k],
                start=dt.date(2015, 1, 1),
            )
        for j in range(p.community_teams):
            k = int(rng.integers(0, c))
            stem = self.comm_names[k].removesuffix("社区")
            self.org(
                id=f"O-CT-{j + 1:03d}",
                kind="social_organisation",
                name=f"{stem}{_TEAM_KINDS[j % len(_TEAM_KINDS)]}",
                team_kind="culture",
                members=int(rng.integers(12, 60)),
                area=comm_ids[k],
                start=dt.date(2019, 1, 1),
            )
        for j, size in enumerate(p.vanguard_teams):
            self.org(
                id=f"O-VG-{j + 1}",
                kind="social_organisation",
                name=f"物业服务先锋队（第{j + 1}队）",
                team_kind="vanguard",
                members=size,
                host=self.ipc,
                start=dt.date(2022, 1, 1),
            )
        if p.mediation_team:
            self.org(
                id="O-MT",
                kind="social_organisation",
                name=p.mediation_team,
                team_kind="mediation",
                members=int(rng.integers(30, 60)),
                area=self.district_id,
                start=dt.date(2020, 1, 1),
            )
        if not p.departments:
            return
        for sid, sn in zip(street_ids, self.street_names, strict=True):
            stem = sn.removesuffix("街道")
            self.org(
                id=f"O-DP-{sid}-police",
                kind="department",
                name=f"{stem}派出所",
                function="police_station",
                area=sid,
                start=dt.date(2000, 1, 1),
            )
            self.org(
                id=f"O-DP-{sid}-judicial",
                kind="department",
                name=f"{stem}司法所",
                function="judicial_office",
                area=sid,
                start=dt.date(2000, 1, 1),
            )
        county = (
            ("court", "人民法庭", "court"),
            ("law", "律师事务所", "law_firm"),
            ("legal", "法律服务所", "legal_service_office"),
            ("centre", "综治中心", "governance_centre"),
        )
        stem = self.street_names[0].removesuffix("街道")
        for key, label, function in county:
            name = f"县{label}" if key == "centre" else f"{stem}{label}"
            self.org(
                id=f"O-DP-{key}",
                kind="department",
                name=name,
                function=function,
                area=self.district_id,
                start=dt.date(2000, 1, 1),
            )

    # -- party members --------------------------------------------------------------------
    def members(self) -> None:
        p = self.p
        rng = self.rng("members")
        ref = self.ref
        per_hh = rng.binomial(self.residents, p.party_share)
        self.free = self.residents - per_hh  # residents who are not (yet) people in the data
        hh = np.repeat(np.arange(per_hh.size, dtype=np.int64), per_hh)
        m = int(hh.size)
        self.m_hh, self.n_members = hh, m
        self.m_grid = self.hh_grid[hh]
        self.m_comm = self.hh_comm[hh]
        service = np.full(m, 1, dtype=np.int64)  # 0 in service, 1 retired, 2 flowing
        if p.in_service_members is not None:
            if p.in_service_members > m:
                raise ValueError(f"{p.in_service_members} in-service members but only {m} members")
            service[rng.choice(m, size=p.in_service_members, replace=False)] = 0
        else:
            service[rng.random(m) < p.in_service_share] = 0
        flowing = (service == 1) & (
            rng.random(m) < p.flowing_share / max(1e-9, 1 - p.in_service_share)
        )
        service[flowing] = 2
        self.m_service = service
        age = np.where(
            service == 0,
            rng.integers(24, 60, m),
            np.where(service == 1, rng.integers(60, 89, m), rng.integers(22, 50, m)),
        )
        self.m_birth = ref.year - age
        self.m_male = rng.random(m) < 0.58
        probation = (age < 40) & (rng.random(m) < p.probationary_share * 3)
        self.m_probation = probation
        join_year = np.minimum(self.m_birth + rng.integers(19, 46, m), ref.year - 2)
        year_start = (join_year - 1970).astype("datetime64[Y]").astype("datetime64[D]")
        joined = year_start + rng.integers(0, 365, m).astype("timedelta64[D]")
        recent = np.datetime64(ref, "D") - rng.integers(30, 360, m).astype("timedelta64[D]")
        self.m_joined = np.where(probation, recent, joined)
        self.m_used = np.zeros(m, dtype=bool)
        self.m_org: list[str | None] = [self.branch[k] for k in self.m_comm.tolist()]
        self.m_employer: list[str | None] = [None] * m
        self.m_ids = _ids("P", m, 7)
        self.n_people = m

    def new_people(
        self,
        count: int,
        rng: np.random.Generator,
        households: IntArray | None = None,
    ) -> list[str]:
        """Ids of ``count`` new non-member people (living in ``households``; -1 = elsewhere)."""
        import polars as pl

        ids = [f"P{i:07d}" for i in range(self.n_people + 1, self.n_people + count + 1)]
        self.n_people += count
        male = rng.random(count) < 0.5
        hh = households if households is not None else np.full(count, -1, dtype=np.int64)
        hh_ids = self.hh_ids.gather(np.maximum(hh, 0)).to_list() if count else []
        home = [h if k >= 0 else None for h, k in zip(hh_ids, hh.tolist(), strict=True)]
        self.extra_people.append(
            pl.DataFrame(
                {
                    "id": ids,
                    "name": _names.person_names(rng, male),
                    "gender": np.where(male, "male", "female"),
                    "birth_year": self.ref.year - rng.integers(25, 70, count),
                    "household": pl.Series(home, dtype=pl.String),
                },
                schema_overrides={"birth_year": pl.Int64},
            )
        )
        return ids

    def pick_members(
        self, group: IntArray, n_groups: int, eligible: BoolArray | None = None
    ) -> IntArray:
        """A random unused member per group (``group`` per member), marked used; -1 if none."""
        ok = ~self.m_used if eligible is None else (~self.m_used & eligible)
        chosen = _pick(self.rng("pick"), group, ok, n_groups)
        self.m_used[chosen[chosen >= 0]] = True
        return chosen

    # -- posts and appointments -------------------------------------------------------------
    def add_posts(self, **columns: Any) -> None:
        import polars as pl

        n = len(columns["id"])
        frame = pl.DataFrame(
            {
                "id": columns["id"],
                "kind": columns["kind"],
                "organisation": columns["organisation"],
                "max_holders": pl.Series([1] * n, dtype=pl.Int64),
                "area": pl.Series(columns.get("area", [None] * n), dtype=pl.String),
                "title": pl.Series(columns.get("title", [""] * n), dtype=pl.String),
                "start": pl.Series(columns.get("start", [None] * n), dtype=pl.Date),
                "end": pl.Series([None] * n, dtype=pl.Date),
            }
        )
        self.post_frames.append(frame)

    def add_appointments(
        self, posts: Sequence[str], people: Sequence[str | None], start: Any, end: Any = None
    ) -> None:
        """Appoint ``people[i]`` to ``posts[i]`` from ``start[i]`` (to ``end[i]``)."""
        import polars as pl

        n = len(posts)
        if n == 0:
            return
        self.appt_frames.append(
            pl.DataFrame(
                {
                    "person": pl.Series(list(people), dtype=pl.String),
                    "post": pl.Series(list(posts), dtype=pl.String),
                    "start": _date_series(start, n),
                    "end": _date_series(end, n),
                }
            )
        )

    def vacancies(self, n: int, rng: np.random.Generator) -> tuple[BoolArray, BoolArray]:
        """Which of ``n`` posts are vacant on the reference date, and which had a past holder.

        Half of the vacant posts had a holder whose appointment has ended.
        """
        vacant = rng.random(n) < self.p.vacancy_rate
        past = vacant & (rng.random(n) < 0.5)
        return vacant, past

    def staff(
        self,
        post_ids: Sequence[str],
        holders: Sequence[str | None],
        start: DateArray,
        rng: np.random.Generator,
        *,
        vacant: BoolArray,
        past: BoolArray,
    ) -> None:
        """Appoint ``holders`` from ``start``; a vacant post keeps only its past holder.

        The past holder's appointment ended before the reference date.
        """
        n = len(post_ids)
        ref = np.datetime64(self.ref, "D")
        end = np.minimum(start + rng.integers(60, 500, n).astype("timedelta64[D]"), ref - 10)
        end = np.maximum(end, start)
        keep = [i for i in range(n) if holders[i] is not None and (not vacant[i] or past[i])]
        self.add_appointments(
            [post_ids[i] for i in keep],
            [holders[i] for i in keep],
            start[keep],
            [end[i].item() if past[i] else None for i in keep],
        )

    def posts(self) -> None:
        rng = self.rng("posts")
        pairs = self._entry_pairs(rng)
        self._company_posts(rng, pairs)
        self._community_posts(rng)
        self._placements(rng, pairs)
        self._grid_posts(rng)
        est = np.datetime64(self.p.grid_established, "D")
        span = (self.ref - self.p.grid_established).days
        for level, ids, hh_group, n in (
            ("building", self.bld_ids, self.hh_bld, self.n_blds),
            ("unit", self.unit_ids, self.hh_unit, self.n_units),
        ):
            self._heads(rng, level, ids, hh_group, n=n, est=est, span=span)

    def _company_posts(self, rng: np.random.Generator, pairs: list[tuple[int, int]]) -> None:
        """Managers of every company; secretary and board of each company party organisation.

        Board members are in-service party members living in the district (they report back
        to their grid like everyone else); ``board_managers`` secretaries also manage.
        """
        p = self.p
        k = self.n_companies
        placed: dict[int, int] = {}
        for company, _comm in pairs:
            placed[company] = placed.get(company, 0) + 1
        rows: list[tuple[int, str, str]] = []  # (company, post id, title)
        self.seats_of: dict[int, list[int]] = {}
        for i in self.company_party_ids:
            seats = max(int(rng.integers(p.board_seats[0], p.board_seats[1] + 1)), placed.get(i, 0))
            self.seats_of[i] = list(range(len(rows), len(rows) + seats + 1))
            rows.append((i, f"J-PS-{self.company_ids[i]}", "书记"))
            rows += [(i, f"J-BM-{self.company_ids[i]}-{s}", "委员") for s in range(1, seats + 1)]
        self.board_rows = rows
        n_party = len(self.company_party_ids)
        n_mgr = p.board_managers if p.board_managers is not None else round(0.6 * n_party)
        if n_mgr > n_party:
            raise ValueError(f"{n_mgr} board managers but only {n_party} company party boards")
        managing = set(
            rng.choice(sorted(self.company_party_ids), size=n_mgr, replace=False).tolist()
        )
        # seats 1..placed[i] are kept for community members (see _placements)
        holders: list[str | None] = []
        pool = np.flatnonzero((self.m_service == 0) & ~self.m_used)
        pool = pool[rng.permutation(pool.size)].tolist()
        for row, (i, _post, _title) in enumerate(rows):
            seat = row - self.seats_of[i][0]
            if 1 <= seat <= placed.get(i, 0) or not pool:
                holders.append(None)
                continue
            m = pool.pop()
            self.m_used[m] = True
            self.m_employer[m] = self.company_ids[i]
            self.m_org[m] = self.company_party_ids[i]
            holders.append(self.m_ids[m])
        gm: list[str | None] = [None] * k
        for i in managing:
            gm[i] = holders[self.seats_of[i][0]]
        hire = [i for i in range(k) if gm[i] is None]
        for i, pid in zip(hire, self.new_people(len(hire), self.rng("managers")), strict=True):
            gm[i] = pid
        self.deputy = self.new_people(k, self.rng("deputies"))
        start = self.company_start + rng.integers(30, 3 * 365, k).astype("timedelta64[D]")
        start = np.minimum(start, np.datetime64(self.ref, "D") - 600)
        gm_posts = [f"J-GM-{cid}" for cid in self.company_ids]
        dm_posts = [f"J-DM-{cid}" for cid in self.company_ids]
        self.add_posts(
            id=gm_posts + dm_posts,
            kind=["manager"] * (2 * k),
            organisation=self.company_ids * 2,
            title=["总经理"] * k + ["副总经理"] * k,
        )
        self.add_appointments(gm_posts + dm_posts, [*gm, *self.deputy], np.r_[start, start + 30])
        self.add_posts(
            id=[r[1] for r in rows],
            kind=["secretary" if r[2] == "书记" else "board_member" for r in rows],
            organisation=[self.company_party_ids[r[0]] for r in rows],
            title=[r[2] for r in rows],
        )
        first = np.array(
            [np.datetime64(self.company_party_start[r[0]], "D") for r in rows],
            dtype="datetime64[D]",
        )
        board_start = first + rng.integers(0, 365, len(rows)).astype("timedelta64[D]")
        board_start = np.maximum(np.minimum(board_start, np.datetime64(self.ref, "D") - 1), first)
        keep = [j for j, h in enumerate(holders) if h is not None]
        self.add_appointments(
            [rows[j][1] for j in keep], [holders[j] for j in keep], board_start[keep]
        )

    def _community_posts(self, rng: np.random.Generator) -> None:
        """Secretary (also residents' committee director, 一肩挑) and two-committee members."""
        p = self.p
        c = self.n_comms
        comm_ids = self.comm_ids.to_list()
        n_cm = rng.integers(p.committee_members[0], p.committee_members[1] + 1, c)
        in_service = self.m_service == 0
        chosen = np.full((int(n_cm.max()) + 1 if c else 0, c), -1, dtype=np.int64)
        for r in range(chosen.shape[0]):
            want = n_cm >= r
            got = self.pick_members(self.m_comm, c, in_service)
            short = got < 0
            if short.any():  # too few in-service residents: any member of the community
                got = np.where(short, self.pick_members(self.m_comm, c), got)
            self.m_used[got[~want & (got >= 0)]] = False  # not needed in this community
            chosen[r] = np.where(want, got, -1)
        ids = self.m_ids
        self.staff_of: list[list[str]] = []
        for k in range(c):
            team = [int(m) for m in chosen[:, k] if m >= 0]
            for m in team:
                self.m_employer[m] = self.rc[k]
                self.m_org[m] = self.branch[k]
            self.staff_of.append([ids[m] for m in team])
        election = min(np.datetime64(dt.date(2021, 4, 1), "D"), np.datetime64(self.ref, "D") - 800)
        sec = chosen[0] if c else np.zeros(0, dtype=np.int64)
        sec_start = election + rng.integers(0, 75, c).astype("timedelta64[D]")
        sec_posts = [f"J-SEC-{x}" for x in comm_ids]
        dir_posts = [f"J-DIR-{x}" for x in comm_ids]
        self.add_posts(
            id=sec_posts + dir_posts,
            kind=["secretary"] * c + ["director"] * c,
            organisation=self.branch + self.rc,
            area=comm_ids * 2,
            title=["书记"] * c + ["居委会主任"] * c,
        )
        keep = np.flatnonzero(sec >= 0).tolist()
        holder = [ids[int(sec[k])] for k in keep]
        self.add_appointments(
            [sec_posts[k] for k in keep] + [dir_posts[k] for k in keep],
            holder * 2,
            np.r_[sec_start[keep], sec_start[keep]],
        )
        posts: list[str] = []
        orgs: list[str] = []
        titles: list[str] = []
        areas: list[str] = []
        holders: list[str | None] = []
        self.cm_of_comm: list[list[int]] = []
        for k in range(c):
            mine = []
            for r in range(1, int(n_cm[k]) + 1):
                in_branch = r <= 2
                mine.append(len(posts))
                posts.append(f"J-CM-{comm_ids[k]}-{r}")
                orgs.append(self.branch[k] if in_branch else self.rc[k])
                titles.append("支部委员" if in_branch else "居委会委员")
                areas.append(comm_ids[k])
                m = int(chosen[r, k])
                holders.append(ids[m] if m >= 0 else None)
            self.cm_of_comm.append(mine)
        self.add_posts(
            id=posts,
            kind=["committee_member"] * len(posts),
            organisation=orgs,
            area=areas,
            title=titles,
        )
        start = election + rng.integers(0, 75, len(posts)).astype("timedelta64[D]")
        vacant, past = self.vacancies(len(posts), rng)
        self.staff(posts, holders, start, rng, vacant=vacant, past=past)
        # who sits on the committee on the reference date (placements draw from them)
        self.cm_current = [None if vacant[j] else h for j, h in enumerate(holders)]

    def _placements(self, rng: np.random.Generator, pairs: list[tuple[int, int]]) -> None:
        """Community members on company boards; company deputies as community liaisons."""
        comm_ids = self.comm_ids.to_list()
        used: dict[int, int] = {}
        board_posts: list[str] = []
        board_people: list[str | None] = []
        li_posts: list[str] = []
        li_people: list[str | None] = []
        li_orgs: list[str] = []
        # after the 2021 election and after the grid posts, so that ``direction`` reads
        # community → company for the members and company → community for the liaisons
        ref = np.datetime64(self.ref, "D")
        later = min(max(ref - 480, np.datetime64(self.p.grid_established, "D") + 90), ref - 1)
        window = max(1, min(300, int((ref - later).astype(int))))
        two_way = rng.random(len(pairs)) < self.p.two_way_share
        placed: set[str] = set()
        for n, (company, comm) in enumerate(pairs):
            used[company] = used.get(company, 0) + 1
            row = self.seats_of[company][used[company]]
            sitting = [h for j in self.cm_of_comm[comm] if (h := self.cm_current[j]) is not None]
            if not sitting:
                raise ValueError(f"community {comm_ids[comm]} has no two-committee member")
            fresh = [h for h in sitting if h not in placed] or sitting
            person = fresh[n % len(fresh)]
            placed.add(person)
            board_posts.append(self.board_rows[row][1])
            board_people.append(person)
            if two_way[n]:
                li_posts.append(f"J-LI-{comm_ids[comm]}-{self.company_ids[company]}")
                li_people.append(self.deputy[company])
                li_orgs.append(self.rc[comm])
        starts = later + rng.integers(0, window, len(board_posts)).astype("timedelta64[D]")
        self.add_appointments(board_posts, board_people, starts)
        self.add_posts(
            id=li_posts,
            kind=["liaison"] * len(li_posts),
            organisation=li_orgs,
            title=["物业联络员"] * len(li_posts),
        )
        li_start = later + rng.integers(0, window, len(li_posts)).astype("timedelta64[D]")
        self.add_appointments(li_posts, li_people, li_start)

    def _grid_posts(self, rng: np.random.Generator) -> None:
        """Grid leader (a two-committee member), full-time grid worker, party group leader."""
        p = self.p
        g = self.n_grids
        grid_ids = self.grid_ids.to_list()
        est = np.datetime64(p.grid_established, "D")
        span = (self.ref - p.grid_established).days
        ref = np.datetime64(self.ref, "D")
        rc = [self.rc[int(k)] for k in self.grid_comm]
        gl_posts = [f"J-GL-{x}" for x in grid_ids]
        gw_posts = [f"J-GW-{x}" for x in grid_ids]
        pgl_posts = [f"J-PGL-{x}" for x in grid_ids]
        self.add_posts(
            id=gl_posts + gw_posts + pgl_posts,
            kind=["grid_leader"] * g + ["grid_worker"] * g + ["party_group_leader"] * g,
            organisation=rc * 2 + self.group,
            area=grid_ids * 3,
            title=["网格长"] * g + ["专职网格员"] * g + ["党小组长"] * g,
            start=[p.grid_established] * (3 * g),
        )
        rank = _rank_in_run(self.grid_comm)
        leaders: list[str | None] = []
        for j in range(g):
            team = self.staff_of[int(self.grid_comm[j])]
            leaders.append(team[int(rank[j]) % len(team)] if team else None)
        first = min(60, span)
        gl_start = est + rng.integers(0, first, g).astype("timedelta64[D]")
        keep = [j for j in range(g) if leaders[j] is not None]
        self.add_appointments(
            [gl_posts[j] for j in keep], [leaders[j] for j in keep], gl_start[keep]
        )
        # grid workers: some grids had an earlier worker, whose appointment ends the day
        # before the present one starts
        vacant, past = self.vacancies(g, rng)
        need = np.flatnonzero(~vacant | past)
        workers: list[str | None] = [None] * g
        for j, pid in zip(
            need.tolist(), self.new_people(need.size, self.rng("workers")), strict=True
        ):
            workers[j] = pid
        gw_start = est + rng.integers(0, first, g).astype("timedelta64[D]")
        turnover = np.flatnonzero((rng.random(g) < p.turnover_share) & (span > 400))
        if turnover.size:
            old = self.new_people(int(turnover.size), self.rng("workers-past"))
            change = gw_start[turnover] + rng.integers(180, max(181, span - 60), turnover.size)
            change = np.minimum(change.astype("datetime64[D]"), ref - 30)
            self.add_appointments(
                [gw_posts[j] for j in turnover.tolist()], old, gw_start[turnover], change - 1
            )
            gw_start[turnover] = change
        self.staff(gw_posts, workers, gw_start, rng, vacant=vacant, past=past)
        # party group leaders: a retired member of the grid if there is one
        vacant, past = self.vacancies(g, rng)
        want = ~vacant | past
        leader = self.pick_members(self.m_grid, g, self.m_service == 1)
        if (leader < 0).any():
            leader = np.where(leader < 0, self.pick_members(self.m_grid, g), leader)
        self.m_used[leader[~want & (leader >= 0)]] = False
        holders = [self.m_ids[int(m)] if m >= 0 and want[j] else None for j, m in enumerate(leader)]
        pgl_start = est + rng.integers(0, first, g).astype("timedelta64[D]")
        self.staff(pgl_posts, holders, pgl_start, rng, vacant=vacant, past=past)

    def _heads(
        self,
        rng: np.random.Generator,
        level: str,
        ids: pl.Series,
        hh_group: IntArray,
        *,
        n: int,
        est: np.datetime64,
        span: int,
    ) -> None:
        """A head per building or unit, who lives there.

        A party member of the building (unit) 60 % (50 %) of the time when there is one,
        else a resident who is not a member. Heads of buildings and of units are different
        people.
        """
        building = level == "building"
        kind = "building_head" if building else "unit_head"
        vacant, past = self.vacancies(n, rng)
        want = ~vacant | past
        member_group = hh_group[self.m_hh]
        use_member = want & (rng.random(n) < (0.6 if building else 0.5))
        chosen = self.pick_members(member_group, n, None)
        self.m_used[chosen[(chosen >= 0) & ~use_member]] = False  # not wanted after all
        chosen = np.where(use_member, chosen, -1)
        need = np.flatnonzero((chosen < 0) & want)
        home = _pick(rng, hh_group, self.free > 0, n)[need]
        no_room = home < 0  # every resident is already in the data: take a member after all
        if no_room.any():
            chosen[need[no_room]] = self.pick_members(member_group, n, None)[need[no_room]]
        newcomers = need[~no_room]
        houses = home[~no_room]
        self.free[houses] -= 1
        holder: list[str | None] = [self.m_ids[int(m)] if m >= 0 else None for m in chosen]
        new_ids = self.new_people(int(newcomers.size), self.rng(f"{level}-heads"), houses)
        for j, pid in zip(newcomers.tolist(), new_ids, strict=True):
            holder[j] = pid
        post_ids = (("J-BH-" if building else "J-UH-") + ids).to_list()
        grid_of = self.bld_grid if building else self.unit_grid
        self.add_posts(
            id=post_ids,
            kind=[kind] * n,
            organisation=[self.rc[int(k)] for k in self.grid_comm[grid_of]],
            area=ids.to_list(),
            title=["楼长" if building else "单元长"] * n,
            start=[self.p.grid_established] * n,
        )
        start = est + rng.integers(0, max(1, min(120, span)), n).astype("timedelta64[D]")
        self.staff(post_ids, holder, start, rng, vacant=vacant, past=past)

    def _entry_pairs(self, rng: np.random.Generator) -> list[tuple[int, int]]:
        """(company, community) pairs that get a community member on the company's board."""
        managed = self.comp_company >= 0
        pairs = np.unique(
            np.c_[self.comp_company[managed], self.comp_comm[managed]], axis=0
        ).tolist()
        pairs = [(int(a), int(b)) for a, b in pairs if int(a) in self.company_party_ids]
        n = (
            self.p.board_placements
            if self.p.board_placements is not None
            else round(len(pairs) / 3)
        )
        if n > len(pairs):
            raise ValueError(
                f"{n} board placements but only {len(pairs)} community–company pairs with a "
                "company party organisation"
            )
        order = rng.permutation(len(pairs))[:n]
        return sorted(pairs[i] for i in order.tolist())

    # -- relations ----------------------------------------------------------------------------
    def relations(self) -> None:
        import polars as pl

        from gridgov.org.tables import LinkTable

        p = self.p
        rng = self.rng("relations")
        ref = np.datetime64(self.ref, "D")
        # linked households: each member (not flowing) looks after households of the grid
        active = np.flatnonzero(self.m_service != 2)
        lo, hi = p.links_per_member
        count = rng.integers(lo, hi + 1, active.size)
        grid = self.m_grid[active]
        count = np.minimum(count, self.grid_hh[grid])
        order = np.argsort(grid, kind="stable")
        active, count, grid = active[order], count[order], grid[order]
        offset = np.cumsum(count) - count  # running position, restarted per grid below
        first_of_grid = np.r_[0, np.flatnonzero(grid[1:] != grid[:-1]) + 1]
        run = np.cumsum(np.r_[True, grid[1:] != grid[:-1]]) - 1
        offset = offset - offset[first_of_grid][run]
        member = np.repeat(active, count)
        k = np.arange(int(count.sum()), dtype=np.int64) - np.repeat(np.cumsum(count) - count, count)
        g_rep = np.repeat(grid, count)
        pos = (np.repeat(offset, count) + k) % self.grid_hh[g_rep]
        house = self.grid_first_hh[g_rep] + pos
        start_m = np.maximum(
            np.datetime64(p.grid_established, "D"), self.m_joined[active]
        ) + rng.integers(0, 90, active.size).astype("timedelta64[D]")
        start_m = np.minimum(start_m, ref)
        m_ids = pl.Series(self.m_ids, dtype=pl.String)
        self.link_table = LinkTable(
            pl.DataFrame(
                {
                    "member": m_ids.gather(member),
                    "household": self.hh_ids.gather(house),
                    "start": pl.Series(np.repeat(start_m, count), dtype=pl.Date),
                    "end": pl.Series([None] * int(member.size), dtype=pl.Date),
                }
            )
        )
        # report-backs: in-service members register with the grid where they live (就地); a
        # placed city's are re-derived by the assignment (datasets/_report_back.py). The
        # uniforms a random label once took are still drawn, so later draws stay put.
        in_service = np.flatnonzero(self.m_service == 0)
        registered = in_service[rng.random(in_service.size) < p.report_back_share]
        rng.random(registered.size)
        rb_start = np.minimum(
            np.maximum(np.datetime64(dt.date(2020, 1, 1), "D"), self.m_joined[registered])
            + rng.integers(0, 4 * 365, registered.size).astype("timedelta64[D]"),
            ref,
        )
        self.report_back_frame = pl.DataFrame(
            {
                "id": _ids("RB", int(registered.size), 6),
                "member": m_ids.gather(registered),
                "grid": self.grid_ids.gather(self.m_grid[registered]),
                "principle": ["就地"] * int(registered.size),
                "start": pl.Series(rb_start, dtype=pl.Date),
                "end": pl.Series([None] * int(registered.size), dtype=pl.Date),
            }
        )
        # in-service members not otherwise employed: some work at a co-building unit
        works = rng.random(self.n_members) < 0.5
        cb = rng.integers(0, len(self.cb_ids), self.n_members)
        for m in np.flatnonzero((self.m_service == 0) & works).tolist():
            if self.m_employer[m] is None:
                self.m_employer[m] = self.cb_ids[int(cb[m])]
                self.m_org[m] = None
        for m in np.flatnonzero(self.m_service == 0).tolist():
            if self.m_employer[m] is None:
                self.m_org[m] = None  # membership held at a workplace outside the district
        self._agreements(rng)
        self._joint_committees(rng)
        self._supervision()

    def _agreements(self, rng: np.random.Generator) -> None:
        p = self.p
        n_ag = int(self.ag_unit.size)
        if p.projects is not None:
            if p.projects < n_ag:
                raise ValueError(f"{p.projects} projects cannot cover {n_ag} agreements")
            projects = _apportion(rng, p.projects, rng.uniform(0.5, 1.5, n_ag))
        else:
            projects = rng.integers(1, 4, n_ag)
        n_proj = int(projects.sum())
        if p.problems_solved is not None:
            solved = _apportion(rng, p.problems_solved, rng.gamma(2.0, 1.0, n_proj), minimum=0)
        else:
            solved = rng.poisson(3.0, n_proj)
        cats = list(_CATEGORY_P)
        cat = rng.choice(len(cats), size=n_ag, p=list(_CATEGORY_P.values()))
        ag_start = _days(rng, self.ref - dt.timedelta(days=900), 800, n_ag)
        completed_ag = rng.random(n_ag) < 0.1
        theme = rng.integers(0, len(_PROJECT_THEMES), n_proj)
        proj_done = rng.random(n_proj) < 0.35
        comm_ids = self.comm_ids.to_list()
        ref = np.datetime64(self.ref, "D")
        agreements: list[dict[str, Any]] = []
        q = 0
        for a in range(n_ag):
            start = ag_start[a]
            span = max(2, int((ref - start).astype(int)))
            projs = []
            for _ in range(int(projects[a])):
                name, category = _PROJECT_THEMES[int(theme[q])]
                p_start = start + int(rng.integers(0, span // 2 + 1))
                done = bool(proj_done[q]) or bool(completed_ag[a])
                p_end = min(p_start + int(rng.integers(30, 365)), ref - 1) if done else None
                projs.append(
                    {
                        "id": f"PJ{q + 1:05d}",
                        "name": name,
                        "category": category,
                        "status": "completed" if done else "active",
                        "problems_solved": int(solved[q]),
                        "start": p_start.item(),
                        "end": None if p_end is None else max(p_end, p_start).item(),
                    }
                )
                q += 1
            ends = [pr["end"] for pr in projs]
            ag_end = max(ends) if completed_ag[a] and all(e is not None for e in ends) else None
            agreements.append(
                {
                    "id": f"AG{a + 1:04d}",
                    "unit": self.cb_ids[int(self.ag_unit[a])],
                    "community": comm_ids[int(self.ag_comm[a])],
                    "category": cats[int(cat[a])],
                    "status": "completed" if ag_end is not None else "active",
                    "projects": projs,
                    "start": start.item(),
                    "end": ag_end,
                }
            )
        self.agreement_rows = agreements

    def _joint_committees(self, rng: np.random.Generator) -> None:
        comm_ids = self.comm_ids.to_list()
        rows: list[dict[str, Any]] = []
        half_ref = self.ref.year * 2 + (self.ref.month > 6)
        for k in range(self.n_comms):
            units = sorted({self.cb_ids[int(u)] for u in self.ag_unit[self.ag_comm == k]})
            if len(units) < 2 or rng.random() >= self.p.joint_committee_share:
                continue
            members = units[:6]
            first = half_ref - int(rng.integers(0, len(members)))
            terms = []
            for t, org in enumerate(members):
                h = first + t
                year, second_half = divmod(h, 2)
                start = dt.date(year, 7 if second_half else 1, 1)
                end = dt.date(year, 12, 31) if second_half else dt.date(year, 6, 30)
                terms.append({"organisation": org, "start": start, "end": end})
            rows.append(
                {
                    "id": f"JC-{comm_ids[k]}",
                    "name": f"{self.comm_names[k]}大党委",
                    "community": comm_ids[k],
                    "lead": self.branch[k],
                    "members": members,
                    "chair_rotation": terms,
                    "start": terms[0]["start"],
                }
            )
        self.joint_committee_rows = rows

    def _supervision(self) -> None:
        rows: list[dict[str, Any]] = []
        if self.ipc is not None:
            rows += [
                {"supervisor": self.ipc, "subject": cid, "label": "行业监管"}
                for cid in self.company_ids
            ]
        comm_ids = self.comm_ids.to_list()
        rows += [
            {"supervisor": self.street_wc[int(s)], "subject": comm_ids[k], "label": "街道指导"}
            for k, s in enumerate(self.comm_street.tolist())
        ]
        self.supervision_rows = rows

    # -- models -------------------------------------------------------------------------------
    def models(self) -> None:
        import polars as pl
        from pydantic import TypeAdapter

        from gridgov.org import (
            Appointment,
            CoBuildingAgreement,
            Compound,
            JointCommittee,
            Organisation,
            Person,
            Post,
            ReportBack,
            Supervision,
        )

        # compounds
        bld_ids = self.bld_ids.to_list()
        comp_blds: list[list[str]] = [[] for _ in self.comp_ids]
        for b, cp in enumerate(self.bld_compound.tolist()):
            comp_blds[cp].append(bld_ids[b])
        self.compound_models = TypeAdapter(tuple[Compound, ...]).validate_python(
            [
                {
                    "id": self.comp_ids[j],
                    "name": self.comp_names[j],
                    "buildings": comp_blds[j],
                    "property_company": (
                        self.company_ids[int(self.comp_company[j])]
                        if self.comp_company[j] >= 0
                        else None
                    ),
                    "self_governed": bool(self.self_gov[j]),
                }
                for j in range(len(self.comp_ids))
            ]
        )
        self.org_models = TypeAdapter(tuple[Organisation, ...]).validate_python(self.orgs)
        # people: members (with their membership) then everyone else
        status = np.where(self.m_probation, "probationary", "full")
        service = np.array(["in_service", "retired", "flowing"])[self.m_service]
        members = pl.DataFrame(
            {
                "id": self.m_ids,
                "name": _names.person_names(self.rng("member-names"), self.m_male),
                "gender": np.where(self.m_male, "male", "female"),
                "birth_year": pl.Series(self.m_birth, dtype=pl.Int64),
                "household": self.hh_ids.gather(self.m_hh),
                "status": status,
                "service": service,
                "organisation": pl.Series(self.m_org, dtype=pl.String),
                "employer": pl.Series(self.m_employer, dtype=pl.String),
                "joined": pl.Series(self.m_joined, dtype=pl.Date),
            }
        ).select(
            "id",
            "name",
            "gender",
            "birth_year",
            "household",
            pl.struct("status", "service", "organisation", "employer", "joined").alias("party"),
        )
        people = pl.concat([members, *self.extra_people], how="diagonal")
        self.people_models = TypeAdapter(tuple[Person, ...]).validate_json(people.write_json())
        posts = pl.concat(self.post_frames, how="vertical")
        self.post_models = TypeAdapter(tuple[Post, ...]).validate_json(posts.write_json())
        appts = pl.concat(self.appt_frames, how="vertical")
        appts = appts.with_columns(
            id=pl.format("A{}", (pl.int_range(1, pl.len() + 1)).cast(pl.String).str.zfill(7))
        ).select("id", "person", "post", "start", "end")
        self.appt_models = TypeAdapter(tuple[Appointment, ...]).validate_json(appts.write_json())
        self.report_back_models = TypeAdapter(tuple[ReportBack, ...]).validate_json(
            self.report_back_frame.write_json()
        )
        self.agreement_models = TypeAdapter(tuple[CoBuildingAgreement, ...]).validate_python(
            self.agreement_rows
        )
        self.joint_committee_models = TypeAdapter(tuple[JointCommittee, ...]).validate_python(
            self.joint_committee_rows
        )
        self.supervision_models = TypeAdapter(tuple[Supervision, ...]).validate_python(
            self.supervision_rows
        )
