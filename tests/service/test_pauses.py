"""Merging pause intervals: the union per case, checked against a plain Python sweep."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from gridgov.service.pauses import merge_intervals

intervals = st.lists(
    st.tuples(st.integers(0, 4), st.integers(0, 100), st.integers(0, 30)), max_size=30
)


def _sweep(items: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    out: list[list[int]] = []
    for row, a, b in sorted((r, a, a + d) for r, a, d in items):
        if out and out[-1][0] == row and a <= out[-1][2]:
            out[-1][2] = max(out[-1][2], b)
        else:
            out.append([row, a, b])
    return [(r, a, b) for r, a, b in out]


@given(intervals)
def test_merge_equals_a_sweep(items: list[tuple[int, int, int]]) -> None:
    row = np.array([r for r, _, _ in items], dtype=np.int64)
    a = np.array([x for _, x, _ in items], dtype=np.int64)
    b = a + np.array([d for _, _, d in items], dtype=np.int64)
    r, lo, hi = merge_intervals(row, a, b)
    assert list(zip(r.tolist(), lo.tolist(), hi.tolist(), strict=True)) == _sweep(items)
    assert (hi >= lo).all()
