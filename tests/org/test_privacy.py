"""Tests for gridgov.org.privacy.suppressed_rollup: small cells hidden, and kept hidden."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.report.test_suppress import grid_city

from gridgov.org import Structure
from gridgov.org.privacy import suppressed_rollup
from gridgov.testing import structures


def test_a_small_grid_takes_its_smallest_sibling_with_it() -> None:
    # grids of 3, 40 and 12 households: 3 < k = 5 is hidden; the community's roll-up prints
    # 55, so 12 (the smallest other) is hidden too, or 55 - 40 - 12 would give the 3 back
    frame = suppressed_rollup(grid_city([3, 40, 12]), "grid", k=5)
    assert frame.get_column("households").to_list() == [None, 40, None]


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(structures(max_households=60), st.integers(2, 12), st.sampled_from(["grid", "community"]))
def test_no_sum_has_a_single_hidden_cell(s: Structure, k: int, level: str) -> None:
    truth = s.rollup(level)
    shown = suppressed_rollup(s, level, k=k)
    counts = [c for c, t in truth.schema.items() if t.is_integer()]
    parents = [s.parent(a) for a in truth.get_column("id").to_list()]
    for c in counts:
        true, out = truth.get_column(c).to_list(), shown.get_column(c).to_list()
        for t, o in zip(true, out, strict=True):
            assert o is None or o == t
            assert o is None or not 0 < o < k
        for parent in set(parents):  # the parent level prints the group's total
            rows = [i for i, p in enumerate(parents) if p == parent]
            hidden = [i for i in rows if out[i] is None]
            assert len(hidden) != 1 or len(rows) == 1, (c, parent)
    for i in range(shown.height):  # posts = filled + vacant, posts always printed
        row = shown.row(i, named=True)
        if row["posts"] is not None:
            assert (row["posts_filled"] is None) == (row["posts_vacant"] is None), row
