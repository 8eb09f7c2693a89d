"""Roll-ups as array operations, with everything that does not change cached per structure.

A structure is immutable, so what a roll-up needs is computed once and kept:

* per area, the households, residents and party members (by residence) whose home lies
  *directly* in it — one ``bincount`` each over the households' parent positions;
* the row of each linked household and party member's home (looked up once, in the
  households' key index);
* the responsible area of each post and the post of each appointment, as integer arrays.

A roll-up then sums the per-area counts up the tree, once per day for every level at
once: the areas are grouped by depth (a valid tree's parents always lie at a smaller depth),
and each depth, deepest first, adds its areas' sums into their parents' with one
``bincount`` over that depth's areas. A level's roll-up is then a slice of the sums (areas of
one depth, in table order). A tree where some parent is not above its child (never in a
valid structure) is summed through ``ancestor_at(level)`` instead. What depends on the day —
which links and appointments are valid — is a vectorised mask, and its per-area counts are
kept for the last few days asked for, as are the sums (each call still builds a new frame).
A valid structure computes the day-independent counts, and those of its reference date,
once it is checked (:meth:`Rollups.prime`), so the first roll-up after a load does no
per-household work.

:func:`rollup_as_of` is ``s.as_of(day).rollup(level, on=day)`` (what a report shows: only
what exists that day) with validity masks over the same cached arrays, without building the
day's structure.

A household's ancestor at a level is its parent's ancestor at that level, so summing direct
counts gives exactly the per-household answer (tested against it).
"""

from __future__ import annotations

import datetime as dt
import operator
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from gridgov.org.vocab import AreaLevel

if TYPE_CHECKING:
    import polars as pl

    from gridgov.org._index import AreaIndex
    from gridgov.org.people import PartyMembership
    from gridgov.org.structure import Structure

__all__ = ["ROLLUP_COLUMNS", "PostArrays", "Rollups", "day_number", "rollup_as_of"]

IntArray = npt.NDArray[np.int64]
DayArray = npt.NDArray[np.int32]
RowArray = npt.NDArray[np.int32]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]

ROLLUP_COLUMNS = (
    "households",
    "residents",
    "party_members",
    "posts",
    "posts_filled",
    "posts_vacant",
    "linked_households",
)
_SUMMED = tuple(c for c in ROLLUP_COLUMNS if c != "posts_vacant")
_OPEN_START = np.iinfo(np.int32).min
_OPEN_END = np.iinfo(np.int32).max
_EPOCH = dt.date(1970, 1, 1)
_DAYS_KEPT = 8


def day_number(day: dt.date) -> int:
    """Days since 1970-01-01 (polars' and numpy's ``Date`` encoding)."""
    return (day - _EPOCH).days


def _day_array(values: list[dt.date | None], fill: int) -> DayArray:
    epoch = _EPOCH.toordinal()
    return np.array(
        [fill if v is None else v.toordinal() - epoch for v in values], dtype=np.int32
    ).reshape(-1)


def _frame_days(column: pl.Series, fill: int) -> DayArray:
    import polars as pl

    days: DayArray = column.cast(pl.Int32).fill_null(fill).to_numpy().astype(np.int32)
    return days


@dataclass(frozen=True, slots=True)
class PostArrays:
    """Posts, appointments and organisations as integer arrays (periods as day numbers).

    ``area``: per post, the position of the area it is responsible for (its own, else its
    organisation's; -1 for none); ``own_area``: whether that area is the post's own;
    ``organisation``: per post, its organisation's position
    (-1 if unknown); ``appointment_post``: per appointment, its post's position (-1 if
    unknown). Open period ends are the extreme ``int32`` values.
    """

    area: IntArray
    own_area: BoolArray
    organisation: IntArray
    max_holders: IntArray
    post_start: DayArray
    post_end: DayArray
    org_start: DayArray
    org_end: DayArray
    appointment_post: IntArray
    appointment_start: DayArray
    appointment_end: DayArray

    @classmethod
    def of(cls, s: Structure, area_pos: dict[str, int]) -> PostArrays:
        """Extract the arrays from ``s`` (a pass over each tuple of models per attribute)."""
        orgs = s.organisations
        org_ids, org_area = _attributes(orgs, "id", "area")
        post_ids, organisation, area, holders, post_start, post_end = _attributes(
            s.posts, "id", "organisation", "area", "max_holders", "start", "end"
        )
        # a repeated id (reported by the integrity checks) means its last entity, as a dict
        org_pos = dict(zip(org_ids, range(len(org_ids)), strict=True))
        post_pos = dict(zip(post_ids, range(len(post_ids)), strict=True))
        org_of = [org_pos.get(o, -1) for o in organisation]
        targets = [
            a or (org_area[o] if o >= 0 else None) for a, o in zip(area, org_of, strict=True)
        ]
        post, start, end = _attributes(s.appointments, "post", "start", "end")
        appointment_post = [post_pos.get(p, -1) for p in post]
        return cls(
            area=np.array([area_pos.get(t, -1) if t else -1 for t in targets], dtype=np.int64),
            own_area=np.array([bool(a) for a in area], dtype=bool).reshape(-1),
            organisation=np.array(org_of, dtype=np.int64).reshape(-1),
            max_holders=np.array(holders, dtype=np.int64).reshape(-1),
            post_start=_day_array(post_start, _OPEN_START),
            post_end=_day_array(post_end, _OPEN_END),
            org_start=_day_array([o.start for o in orgs], _OPEN_START),
            org_end=_day_array([o.end for o in orgs], _OPEN_END),
            appointment_post=np.array(appointment_post, dtype=np.int64).reshape(-1),
            appointment_start=_day_array(start, _OPEN_START),
            appointment_end=_day_array(end, _OPEN_END),
        )


def _attributes(models: Sequence[Any], *names: str) -> list[list[Any]]:
    """Each named attribute of every model, one list a name (a pass at C speed each).

    Faster than one pass making a tuple a model and then its columns: ``zip(*rows)`` over a
    city's 238,484 people costs more than the three passes together.
    """
    return [list(map(operator.attrgetter(name), models)) for name in names]


@dataclass(frozen=True, slots=True)
class PeopleColumns:
    """The people's ids, homes and party memberships as lists (a pass over the models each)."""

    ids: list[str]
    households: list[str | None]
    parties: list[PartyMembership | None]

    @classmethod
    def of(cls, s: Structure) -> PeopleColumns:
        """Extract the columns from ``s``."""
        ids, households, parties = _attributes(s.people, "id", "household", "party")
        return cls(ids, households, parties)


class Rollups:
    """The cached arrays behind :meth:`Structure.rollup` and the post-holder counts."""

    def __init__(self, s: Structure, ix: AreaIndex) -> None:
        self._s = s
        self._ix = ix
        self._static: dict[str, IntArray] | None = None
        self._posts: PostArrays | None = None
        self._links: tuple[RowArray, DayArray, DayArray] | None = None
        self._days: OrderedDict[int, dict[str, IntArray]] = OrderedDict()
        self._holders: OrderedDict[int, IntArray] = OrderedDict()
        self._homes: RowArray | None = None
        self._home_rows: RowArray | None = None
        self._people: PeopleColumns | None = None
        self._periods: dict[str, tuple[DayArray, DayArray]] = {}
        self._tree: _Tree | None = None  # None once built: not a tree of deepening levels
        self._tree_built = False
        self._heads: dict[int, pl.DataFrame] = {}
        self._sums: OrderedDict[tuple[int, bool], FloatArray] = OrderedDict()
        self._memo: dict[Hashable, Any] = {}

    def memo(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The value kept under ``key``, computed by ``compute`` on first use.

        For query results that depend only on the (immutable) structure and the arguments in
        ``key``; callers hand out copies of mutable values.
        """
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def prime(self, day: dt.date | None) -> None:
        """Compute now what roll-ups need (a valid structure does, once checked).

        The day-independent counts, and those of ``day`` (the structure's reference date,
        the day a roll-up describes unless told otherwise).
        """
        self.static()
        if day is not None:
            self.daily(day)
        self._people = None  # read for the checks and the counts above; not kept after

    # -- day-independent arrays -----------------------------------------------------------
    def static(self) -> dict[str, IntArray]:
        """Per area: households, residents and party members living directly in it; posts."""
        if self._static is None:
            ix = self._ix
            s = self._s
            hp = ix.hh_parent
            n = ix.n
            ok = hp >= 0
            residents = s.households.frame.get_column("residents").to_numpy()
            rows = self.homes()
            post_area = self.posts()[0]
            self._static = {
                "households": _count(hp[ok], n),
                "residents": _count(hp[ok], n, residents[ok]),
                "party_members": _count(_keep(hp[rows]), n),
                "posts": _count(_keep(post_area), n),
            }
        return self._static

    def people(self) -> PeopleColumns:
        """The people's ids, homes and memberships as lists (built once, until :meth:`prime`)."""
        if self._people is None:
            self._people = PeopleColumns.of(self._s)
        return self._people

    def home_rows(self) -> RowArray:
        """Household row of each person's home (-1: none given, or not a household); kept.

        One vectorised lookup in the households' key index, shared by the integrity checks
        (a home that does not exist) and the roll-ups (:meth:`homes`).
        """
        if self._home_rows is None:
            import polars as pl

            homes = pl.Series(self.people().households, dtype=pl.String)
            rows = self._s.households.key_index.positions(homes)
            self._home_rows = rows.astype(np.int32)
        return self._home_rows

    def homes(self) -> RowArray:
        """Household row of each party member's home (members with no known home left out)."""
        if self._homes is None:
            parties = self.people().parties
            member = np.array([q is not None for q in parties], dtype=bool).reshape(-1)
            rows = self.home_rows()
            self._homes = rows[member & (rows >= 0)]
        return self._homes

    def periods(self, table: str) -> tuple[DayArray, DayArray]:
        """Start and end day numbers of each row of ``areas`` or ``households`` (kept)."""
        found = self._periods.get(table)
        if found is None:
            frame = getattr(self._s, table).frame
            found = (
                _frame_days(frame.get_column("start"), _OPEN_START),
                _frame_days(frame.get_column("end"), _OPEN_END),
            )
            self._periods[table] = found
        return found

    def valid_rows(self, table: str, day: dt.date) -> BoolArray:
        """Rows of ``areas`` or ``households`` valid on ``day``."""
        d = day_number(day)
        start, end = self.periods(table)
        ok: BoolArray = (start <= d) & (end >= d)
        return ok

    def posts(self) -> tuple[IntArray, IntArray, DayArray, DayArray]:
        """Post area positions (-1: none), appointment post positions (-1: none), periods."""
        a = self.post_arrays()
        return a.area, a.appointment_post, a.appointment_start, a.appointment_end

    def post_arrays(self) -> PostArrays:
        """Posts, appointments and their organisations as arrays (built once)."""
        if self._posts is None:
            self._posts = PostArrays.of(self._s, self._ix.pos)
        return self._posts

    def links(self) -> tuple[RowArray, DayArray, DayArray]:
        """Household row of each linked household (-1 if unknown) and its period."""
        if self._links is None:
            links = self._s.linked_households
            lf = links.frame
            self._links = (
                links.household_rows(self._s.households),
                _frame_days(lf.get_column("start"), _OPEN_START),
                _frame_days(lf.get_column("end"), _OPEN_END),
            )
        return self._links

    # -- day-dependent counts -------------------------------------------------------------
    def holders(self, day: dt.date) -> IntArray:
        """Number of holders of each post (in ``structure.posts`` order) on ``day``."""
        d = day_number(day)
        found = self._holders.get(d)
        if found is None:
            _, post, start, end = self.posts()
            valid = (start <= d) & (end >= d) & (post >= 0)
            found = _count(post[valid], len(self._s.posts))
            _remember(self._holders, d, found)
        return found

    def daily(self, day: dt.date) -> dict[str, IntArray]:
        """Per area: linked households living directly in it and filled posts, on ``day``."""
        d = day_number(day)
        found = self._days.get(d)
        if found is None:
            ix = self._ix
            rows, start, end = self.links()
            valid = (start <= d) & (end >= d) & (rows >= 0)
            linked = np.zeros(ix.hh_parent.shape[0], dtype=bool)
            linked[rows[valid]] = True
            area = self.posts()[0]
            filled = self.holders(day) > 0
            found = {
                "linked_households": _count(_keep(ix.hh_parent[linked]), ix.n),
                "posts_filled": _count(_keep(area[filled]), ix.n),
            }
            _remember(self._days, d, found)
        return found

    # -- the roll-up ----------------------------------------------------------------------
    def frame(self, want: AreaLevel, day: dt.date, *, as_of: bool = False) -> pl.DataFrame:
        """The roll-up to ``want`` on ``day`` (columns as :meth:`Structure.rollup`).

        With ``as_of``, that of ``structure.as_of(day)``: only the areas, households, posts,
        organisations, appointments and links valid on ``day`` count.
        """
        import polars as pl

        sums = self._summed(day, as_of)
        rows = self._rows(want)
        head = self._head(want)
        cols = {name: sums[k, rows].astype(np.int64) for k, name in enumerate(_SUMMED)}
        cols["posts_vacant"] = cols["posts"] - cols["posts_filled"]
        if as_of:
            keep = self.valid_rows("areas", day)[rows]
            if not keep.all():
                head = head.filter(pl.Series(keep))
                cols = {name: c[keep] for name, c in cols.items()}
        # a new frame each call (over the kept arrays): hstack, not with_columns, as the eager
        # path skips the query engine's fixed cost
        return head.hstack([pl.Series(name, cols[name]) for name in ROLLUP_COLUMNS])

    def _rows(self, want: AreaLevel) -> IntArray:
        """Positions of the areas at ``want``, in table order."""
        tree = self.tree()
        if tree is None:
            return np.flatnonzero(self._ix.depth == want.depth)
        rows: IntArray = tree.order[tree.bounds[want.depth] : tree.bounds[want.depth + 1]]
        return rows

    def _head(self, want: AreaLevel) -> pl.DataFrame:
        """``id``, ``name`` and ``level`` of the areas at ``want`` (kept)."""
        found = self._heads.get(want.depth)
        if found is None:
            import polars as pl

            af = self._s.areas.frame
            rows = pl.Series(self._rows(want))
            found = pl.DataFrame(
                {
                    "id": af.get_column("id").gather(rows),
                    "name": af.get_column("name").gather(rows),
                    "level": pl.Series([want.value] * rows.len(), dtype=pl.String),
                }
            )
            self._heads[want.depth] = found
        return found

    def tree(self) -> _Tree | None:
        """The areas grouped by depth for summing up the tree; ``None`` if it cannot be."""
        if not self._tree_built:
            self._tree = _Tree.of(self._ix.depth, self._ix.parent)
            self._tree_built = True
        return self._tree

    def _summed(self, day: dt.date, as_of: bool) -> FloatArray:
        """Per area (rows: :data:`_SUMMED`), the counts of everything at or below it (kept)."""
        key = (day_number(day), as_of)
        found = self._sums.get(key)
        if found is None:
            direct = self._direct_as_of(day) if as_of else {**self.static(), **self.daily(day)}
            weights = np.stack([direct[name] for name in _SUMMED]).astype(np.float64)
            tree = self.tree()
            if tree is not None:
                found = tree.subtree_sums(weights)
            else:  # not a tree of strictly deepening levels: through each area's ancestors
                found = np.zeros_like(weights)
                for level in AreaLevel:
                    if level is AreaLevel.HOUSEHOLD:
                        continue
                    sel = np.flatnonzero(self._ix.depth == level.depth)
                    up = self._ix.ancestor_at(level)
                    ok = up >= 0
                    for k in range(weights.shape[0]):
                        found[k, sel] = np.bincount(up[ok], weights[k, ok], self._ix.n)[sel]
            _remember(self._sums, key, found, keep=2 * _DAYS_KEPT)
        return found

    def _direct_as_of(self, day: dt.date) -> dict[str, IntArray]:
        """Per area, the direct counts of ``structure.as_of(day)`` (masks over kept arrays).

        The day's structure keeps the areas, households, links, posts, organisations and
        appointments valid that day: a post counts where its own area is, else where its
        organisation's is when that organisation is valid, and only when that area is; a
        post is filled by a valid appointment; a member's home and a link count when the
        household is valid.
        """
        ix = self._ix
        n = ix.n
        s = self._s
        d = day_number(day)
        hp = ix.hh_parent
        hh = (hp >= 0) & self.valid_rows("households", day)
        area_ok = self.valid_rows("areas", day)
        residents = s.households.frame.get_column("residents").to_numpy()
        homes = self.homes()
        homes = homes[hh[homes]]
        a = self.post_arrays()
        org = a.organisation
        org_ok = (org >= 0) & (a.org_start[np.maximum(org, 0)] <= d)
        org_ok &= a.org_end[np.maximum(org, 0)] >= d
        post_ok = (a.post_start <= d) & (a.post_end >= d) & (a.own_area | org_ok)
        post_ok &= (a.area >= 0) & area_ok[np.maximum(a.area, 0)]
        filled = post_ok & (self.holders(day) > 0)
        rows, start, end = self.links()
        valid = (start <= d) & (end >= d) & (rows >= 0)
        linked = np.zeros(hp.shape[0], dtype=bool)
        linked[rows[valid]] = True
        linked &= hh
        return {
            "households": _count(hp[hh], n),
            "residents": _count(hp[hh], n, residents[hh]),
            "party_members": _count(hp[homes], n),
            "posts": _count(a.area[post_ok], n),
            "posts_filled": _count(a.area[filled], n),
            "linked_households": _count(hp[linked], n),
        }


@dataclass(frozen=True, slots=True)
class _Tree:
    """Areas grouped by depth, and where each area's parent lies in that grouping.

    ``order``: area positions sorted by depth (table order within a depth); ``bounds``: the
    areas at depth ``d`` are ``order[bounds[d]:bounds[d + 1]]``; ``hops``: per depth, deepest
    first, the ranks (in ``order``) of its areas that have a parent, their parents' ranks less
    ``base``, ``base`` and the span of parent ranks.
    """

    order: IntArray
    bounds: IntArray
    hops: tuple[tuple[IntArray, IntArray, int, int], ...]

    @classmethod
    def of(cls, depth: IntArray, parent: IntArray) -> _Tree | None:
        """The grouping, or ``None`` if some parent is not at a smaller depth than its child."""
        n = depth.shape[0]
        order = np.argsort(depth, kind="stable")
        rank = np.empty(n, dtype=np.int64)
        rank[order] = np.arange(n, dtype=np.int64)
        bounds = np.searchsorted(depth[order], np.arange(len(AreaLevel) + 1))
        hops = []
        for d in range(len(AreaLevel) - 1, -1, -1):
            lo, hi = int(bounds[d]), int(bounds[d + 1])
            kids = np.arange(lo, hi, dtype=np.int64)
            up = parent[order[lo:hi]]
            has = up >= 0
            if not has.any():
                continue
            ranks = rank[up[has]]
            if int(ranks.max()) >= lo:  # a parent at the same or a greater depth
                return None
            base = int(ranks.min())
            hops.append((kids[has], ranks - base, base, lo - base))
        return cls(order, bounds, tuple(hops))

    def subtree_sums(self, weights: FloatArray) -> FloatArray:
        """Per area (columns in table order), its weights plus those of all below it.

        Float sums of integer counts, exact below 2**53.
        """
        k = weights.shape[0]
        sums = weights[:, self.order]  # ranks: grouped by depth
        for kids, parents, base, span in self.hops:
            at = (parents[None, :] + span * np.arange(k)[:, None]).ravel()
            add = np.bincount(at, weights=sums[:, kids].ravel(), minlength=k * span)
            sums[:, base : base + span] += add.reshape(k, span)
        out = np.empty_like(sums)
        out[:, self.order] = sums
        return out


def rollup_as_of(s: Structure, level: AreaLevel | str, day: dt.date) -> pl.DataFrame:
    """``s.as_of(day).rollup(level, on=day)``, from ``s``'s own cached arrays.

    What a report shows: only what exists on ``day`` counts, and only the areas valid then
    are rows. The same frame as building the day's structure and rolling it up (tested
    against it), without rebuilding its index and per-household arrays.

    Examples
    --------
    >>> import datetime as dt
    >>> from gridgov.org import Structure
    >>> s = Structure.model_validate({"areas": [
    ...     {"id": "S1", "level": "street"}, {"id": "C1", "level": "community", "parent": "S1"},
    ...     {"id": "G1", "level": "grid", "parent": "C1"},
    ...     {"id": "G2", "level": "grid", "parent": "C1", "end": "2020-12-31"}],
    ...     "households": [{"id": "H1", "parent": "G1"},
    ...                    {"id": "H2", "parent": "G2", "end": "2020-12-31"}]})
    >>> day = dt.date(2024, 6, 30)
    >>> rollup_as_of(s, "grid", day).select("id", "households").rows()
    [('G1', 1)]
    >>> rollup_as_of(s, "grid", day).equals(s.as_of(day).rollup("grid", on=day))
    True
    """
    want = AreaLevel(level)
    if want is AreaLevel.HOUSEHOLD:
        raise ValueError("roll up to an area level, not to households")
    return s._rollups.frame(want, day, as_of=True)


def _keep(positions: IntArray) -> IntArray:
    kept: IntArray = positions[positions >= 0]
    return kept


def _count(positions: IntArray, n: int, weights: Any = None) -> IntArray:
    """Integer ``bincount`` of ``positions`` (all ≥ 0) with optional integer weights.

    Weights are summed in float64, exact for any count below 2**53.
    """
    if weights is None:
        return np.bincount(positions, minlength=n).astype(np.int64)
    summed = np.bincount(positions, weights=weights, minlength=n)
    return summed.astype(np.int64)


def _remember(cache: OrderedDict[Any, Any], key: Any, value: Any, keep: int = _DAYS_KEPT) -> None:
    cache[key] = value
    if len(cache) > keep:
        cache.popitem(last=False)
