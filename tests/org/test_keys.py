"""Tests for gridgov.org._keys: the sorted hash index agrees with a plain dict lookup."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from gridgov.org._keys import KeyIndex, key_hashes

QUERIES = st.lists(st.one_of(st.none(), st.text(alphabet="ABH0123", max_size=4)))
KEYS = st.lists(st.text(alphabet="ABH0123", min_size=0, max_size=4), max_size=40)


def first_rows(keys: list[str]) -> dict[str, int]:
    """The slow straightforward answer: a dict of the first row of each key."""
    rows: dict[str, int] = {}
    for i, k in enumerate(keys):
        rows.setdefault(k, i)
    return rows


def check(index: KeyIndex, keys: list[str], queries: list[str | None]) -> None:
    rows = first_rows(keys)
    want = [rows.get(q, -1) if q is not None else -1 for q in queries]
    got = index.positions(pl.Series(queries, dtype=pl.String)).tolist()
    assert got == want
    for q in queries:
        if q is not None:
            assert index.position(q) == rows.get(q)
    counts = {k: keys.count(k) for k in keys}
    assert index.repeated().tolist() == [counts[k] > 1 for k in keys]


@settings(max_examples=200, database=None)
@given(KEYS, QUERIES)
def test_positions_and_repeats_equal_the_dict_answer(
    keys: list[str], extra: list[str | None]
) -> None:
    index = KeyIndex(pl.Series(keys, dtype=pl.String))
    check(index, keys, keys + extra)


@settings(max_examples=100, database=None)
@given(KEYS, QUERIES, st.integers(1, 3))
def test_hash_collisions_never_give_a_wrong_row(
    keys: list[str], extra: list[str | None], buckets: int
) -> None:
    # a degenerate hash (a handful of values) makes most keys collide: the index must fall
    # back to comparing the strings and still give the dict's answer
    def colliding(series: pl.Series) -> npt.NDArray[np.uint64]:
        return key_hashes(series) % np.uint64(buckets)

    index = KeyIndex(pl.Series(keys, dtype=pl.String), colliding)
    check(index, keys, keys + extra)


def test_empty_index_finds_nothing() -> None:
    index = KeyIndex(pl.Series([], dtype=pl.String))
    assert len(index) == 0
    assert index.position("H1") is None
    assert index.positions(pl.Series(["H1"])).tolist() == [-1]
    assert index.repeated().tolist() == []


def test_index_is_compact() -> None:
    keys = pl.Series([f"H{i:06d}" for i in range(10_000)])
    index = KeyIndex(keys)
    # 8 B of hash + 4 B of row number a key, and at most 4 B of bucket directory (a dict of
    # str -> int costs well over 100 B a key)
    assert 12 * 10_000 < index.nbytes <= 16 * 10_000 + 4
    assert index.position("H009999") == 9_999
