"""Roll-ups as array operations, with everything that does not change cached per structure.

A structure is immutable, so what a roll-up needs is computed once and kept:

* per area, the households, residents and party members (by residence) whose home lies
  *directly* in it — one ``bincount`` each over the households' parent positions;
* the row of each linked household and party member's home (looked up once, in the
  households' key index);
* the responsible area of each post and the post of each appointment, as integer arrays.

A roll-up to a level then sums the per-area counts through ``ancestor_at(level)`` (a
``bincount`` over the areas, not the households). What depends on the day — which links and
appointments are valid — is a vectorised mask, and its per-area counts are kept for the last
few days asked for, as are the sums per level (each call still builds a new frame). A valid
structure computes the day-independent counts, and those of its reference date, once it is
checked (:meth:`Rollups.prime`), so the first roll-up after a load does no per-household work.

A household's ancestor at a level is its parent's ancestor at that level, so summing direct
counts gives exactly the per-household answer (tested against it).
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from gridgov.org.vocab import AreaLevel

if TYPE_CHECKING:
    import polars as pl

    from gridgov.org._index import AreaIndex
    from gridgov.org.structure import Structure

__all__ = ["ROLLUP_COLUMNS", "PostArrays", "Rollups", "day_number"]

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
    organisation's; -1 for none); ``organisation``: per post, its organisation's position
    (-1 if unknown); ``appointment_post``: per appointment, its post's position (-1 if
    unknown). Open period ends are the extreme ``int32`` values.
    """

    area: IntArray
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
        """Extract the arrays from ``s`` (one pass over each tuple of models)."""
        orgs = s.organisations
        # a repeated id (reported by the integrity checks) means its last entity, as a dict
        org_pos = {o.id: k for k, o in enumerate(orgs)}
        post_pos = {p.id: k for k, p in enumerate(s.posts)}
        org_of = np.array([org_pos.get(p.organisation, -1) for p in s.posts], dtype=np.int64)
        org_area = [o.area for o in orgs]
        targets = [
            p.area or (org_area[o] if o >= 0 else None)
            for p, o in zip(s.posts, org_of.tolist(), strict=True)
        ]
        appts = s.appointments
        return cls(
            area=np.array([area_pos.get(t, -1) if t else -1 for t in targets], dtype=np.int64),
            organisation=org_of,
            max_holders=np.array([p.max_holders for p in s.posts], dtype=np.int64),
            post_start=_day_array([p.start for p in s.posts], _OPEN_START),
            post_end=_day_array([p.end for p in s.posts], _OPEN_END),
            org_start=_day_array([o.start for o in orgs], _OPEN_START),
            org_end=_day_array([o.end for o in orgs], _OPEN_END),
            appointment_post=np.array(
                [post_pos.get(a.post, -1) for a in appts], dtype=np.int64
            ).reshape(-1),
            appointment_start=_day_array([a.start for a in appts], _OPEN_START),
            appointment_end=_day_array([a.end for a in appts], _OPEN_END),
        )


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
        self._levels: dict[int, tuple[IntArray, BoolArray, IntArray, pl.DataFrame]] = {}
        self._weights: OrderedDict[int, list[FloatArray]] = OrderedDict()
        self._memo: dict[Hashable, Any] = {}
        self._results: OrderedDict[tuple[int, int], dict[str, IntArray]] = OrderedDict()

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
            homes = [p.household for p in s.people if p.party is not None and p.household]
            import polars as pl

            rows = s.households.key_index.positions(pl.Series(homes, dtype=pl.String))
            rows = rows[rows >= 0]
            post_area = self.posts()[0]
            self._static = {
                "households": _count(hp[ok], n),
                "residents": _count(hp[ok], n, residents[ok]),
                "party_members": _count(_keep(hp[rows]), n),
                "posts": _count(_keep(post_area), n),
            }
        return self._static

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
            lf = self._s.linked_households.frame
            rows = self._s.households.key_index.positions(lf.get_column("household"))
            self.set_link_rows(rows)
        assert self._links is not None
        return self._links

    def set_link_rows(self, rows: IntArray) -> None:
        """Record the household row of each link (the integrity check computes it anyway)."""
        lf = self._s.linked_households.frame
        self._links = (
            rows.astype(np.int32),  # 4 B a link: a table has fewer than 2**31 rows
            _frame_days(lf.get_column("start"), _OPEN_START),
            _frame_days(lf.get_column("end"), _OPEN_END),
        )

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
    def _level(self, want: AreaLevel) -> tuple[IntArray, BoolArray, IntArray, pl.DataFrame]:
        """Areas at ``want``; areas under one and their ancestor there; id/name/level."""
        found = self._levels.get(want.depth)
        if found is None:
            import polars as pl

            ix = self._ix
            sel = np.flatnonzero(ix.depth == want.depth)
            af = self._s.areas.frame
            rows = pl.Series(sel)
            head = pl.DataFrame(
                {
                    "id": af.get_column("id").gather(rows),
                    "name": af.get_column("name").gather(rows),
                    "level": pl.Series([want.value] * sel.size, dtype=pl.String),
                }
            )
            up = ix.ancestor_at(want)
            ok = up >= 0
            found = (sel, ok, up[ok], head)
            self._levels[want.depth] = found
        return found

    def frame(self, want: AreaLevel, day: dt.date) -> pl.DataFrame:
        """The roll-up to ``want`` on ``day`` (columns as :meth:`Structure.rollup`)."""
        import polars as pl

        ix = self._ix
        sel, ok, target, head = self._level(want)
        key = (want.depth, day_number(day))
        counts = self._results.get(key)
        if counts is None:
            direct = self._direct(day)
            summed = [_count(target, ix.n, row[ok])[sel] for row in direct]
            counts = dict(zip(_SUMMED, summed, strict=True))
            counts["posts_vacant"] = counts["posts"] - counts["posts_filled"]
            _remember(self._results, key, counts, keep=_DAYS_KEPT * len(AreaLevel))
        # a new frame each call (over the kept arrays): hstack, not with_columns, as the eager
        # path skips the query engine's fixed cost
        return head.hstack([pl.Series(name, counts[name]) for name in ROLLUP_COLUMNS])

    def _direct(self, day: dt.date) -> list[FloatArray]:
        """The per-area direct counts of :data:`_SUMMED` as float weights (kept per day)."""
        d = day_number(day)
        found = self._weights.get(d)
        if found is None:
            merged = {**self.static(), **self.daily(day)}
            found = [merged[name].astype(np.float64) for name in _SUMMED]
            _remember(self._weights, d, found)
        return found


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
