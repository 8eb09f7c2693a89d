"""Tests for gridgov.org._rollup: cached roll-ups agree with freshly computed ones.

The roll-up values themselves are checked against a naive per-household count in
``tests/org/test_structure.py``; here, that the caches (per structure, per day, per level)
never hand back an answer computed for another day, level or structure.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gridgov.org import AreaLevel, Structure
from gridgov.org._rollup import _DAYS_KEPT
from gridgov.testing import dates, structures

FEW = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)
LEVELS = st.sampled_from([lvl for lvl in AreaLevel if lvl is not AreaLevel.HOUSEHOLD])
DAYS = dates(dt.date(2012, 1, 1), dt.date(2033, 12, 31))


def fresh(s: Structure) -> Structure:
    """The same structure with no cache of any kind."""
    return s._derive()


@FEW
@given(structures(), st.lists(st.tuples(LEVELS, DAYS), min_size=1, max_size=2 * _DAYS_KEPT + 3))
def test_repeated_rollups_equal_fresh_ones(
    s: Structure, asks: list[tuple[AreaLevel, dt.date]]
) -> None:
    for level, day in asks + asks[::-1]:  # every answer asked again, after others evicted it
        got = s.rollup(level, on=day)
        want = fresh(s).rollup(level, on=day)
        assert got.equals(want)
        assert got.schema == pl.Schema(
            {"id": pl.String, "name": pl.String, "level": pl.String}
            | dict.fromkeys(
                (
                    "households",
                    "residents",
                    "party_members",
                    "posts",
                    "posts_filled",
                    "posts_vacant",
                    "linked_households",
                ),
                pl.Int64,
            )
        )


@FEW
@given(structures(), DAYS)
def test_holder_counts_equal_a_loop_over_appointments(s: Structure, day: dt.date) -> None:
    holders = s._rollups.holders(day).tolist()
    want = [sum(a.post == p.id and a.valid_on(day) for a in s.appointments) for p in s.posts]
    assert holders == want
    assert [(p.id, n) for p, n in s.vacancies(on=day)] == [
        (p.id, p.max_holders - w)
        for p, w in zip(s.posts, want, strict=True)
        if p.valid_on(day) and w < p.max_holders
    ]


@FEW
@given(structures(min_households=2))
def test_a_copy_with_other_households_does_not_reuse_the_caches(s: Structure) -> None:
    day = s.reference_date or dt.date(2024, 6, 30)
    s.rollup("grid", on=day)
    assert s.household(s.households.frame.get_column("id")[0]) is not None
    fewer = s.households.filter(pl.Series([True] + [False] * (len(s.households) - 1)))
    copy = s.model_copy(update={"households": fewer})
    assert copy.rollup("grid", on=day).get_column("households").sum() == 1
    assert copy.households.position(s.households.frame.get_column("id")[1]) is None
    assert s == s.model_copy()  # caches do not count for equality


@FEW
@given(structures(), st.lists(st.one_of(st.none(), DAYS), min_size=1, max_size=4))
def test_kept_cross_appointments_and_entry_pairs_equal_fresh_ones(
    s: Structure, days: list[dt.date | None]
) -> None:
    for day in days + days:
        got = s.cross_appointments(on=day)
        assert got == fresh(s).cross_appointments(on=day)
        got.clear()  # a caller's list is its own: the kept answer is untouched
        assert s.cross_appointments(on=day) == fresh(s).cross_appointments(on=day)
        pairs = s.entry_pairs(on=day)
        assert pairs == fresh(s).entry_pairs(on=day)
        pairs.clear()
        assert s.entry_pairs(on=day) == fresh(s).entry_pairs(on=day)
