"""Tests for gridgov.org._rollup: cached roll-ups agree with freshly computed ones.

The roll-up values themselves are checked against a naive per-household count in
``tests/org/test_structure.py``; here, that the caches (per structure, per day, per level)
never hand back an answer computed for another day, level or structure; that the sums up
the tree equal a walk up from each area; and that the report's roll-up of the day equals
rolling up the structure as it stood that day.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gridgov.org import AreaLevel, Structure
from gridgov.org._rollup import _DAYS_KEPT, _Tree, rollup_as_of
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


@FEW
@given(structures(), LEVELS, DAYS)
def test_rollup_as_of_equals_rolling_up_the_days_structure(
    s: Structure, level: AreaLevel, day: dt.date
) -> None:
    # the straightforward path: build the structure as it stood that day, roll it up
    want = s.as_of(day).rollup(level, on=day)
    assert rollup_as_of(s, level, day).equals(want)
    assert rollup_as_of(s, level, day).equals(want)  # again, from the kept sums


@st.composite
def forests(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    """Depth and parent arrays of areas whose parents lie at smaller depths (some roots)."""
    depth = np.array(draw(st.lists(st.integers(0, 6), max_size=40)), dtype=np.int64)
    parent = np.full(depth.shape, -1, dtype=np.int64)
    for i, d in enumerate(depth.tolist()):
        above = np.flatnonzero(depth < d)
        if above.size and draw(st.booleans()):
            parent[i] = int(above[draw(st.integers(0, above.size - 1))])
    return depth, parent


@FEW
@given(forests(), st.integers(1, 3), st.integers(0, 2**32 - 1))
def test_subtree_sums_equal_a_walk_up_from_each_area(
    forest: tuple[np.ndarray, np.ndarray], k: int, seed: int
) -> None:
    depth, parent = forest
    weights = np.random.default_rng(seed).integers(0, 1000, (k, depth.size)).astype(np.float64)
    tree = _Tree.of(depth, parent)
    assert tree is not None
    want = np.zeros_like(weights)
    for i in range(depth.size):  # add each area's weights to itself and every ancestor
        node = i
        while node >= 0:
            want[:, node] += weights[:, i]
            node = int(parent[node])
    assert np.array_equal(tree.subtree_sums(weights), want)


def test_a_parent_not_above_its_child_is_no_tree() -> None:
    assert _Tree.of(np.array([1, 1]), np.array([-1, 0])) is None
    assert _Tree.of(np.array([0, 1]), np.array([1, -1])) is None
