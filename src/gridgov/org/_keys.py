"""A sorted index over a string key column: row lookups without a Python object per row.

A million household ids as a ``dict`` cost ~0.7-1 s to build and ~130 B per household. This
index hashes the column once (polars, 64-bit, vectorised), sorts the hashes and keeps the
sorted hashes with their row numbers: about 16 B per row, built in about a tenth of the time. A
lookup finds the hash's bucket in a directory indexed by its top bits (at most one bucket a
row, 4 B each), steps to the hash within the sorted bucket and then compares the strings, so a
hash collision can never return a wrong row; colliding keys (expected about once in 10¹⁰
tables of a million rows) fall back to comparing every row of that hash.

The same sorted hashes answer "which keys repeat" (adjacent equal hashes, then compared as
strings), so an id column is hashed once for both the duplicate check and the lookups.

Examples
--------
>>> import polars as pl
>>> k = KeyIndex(pl.Series(["H1", "H2", "H3", "H2"]))
>>> k.position("H2"), k.position("H9")
(1, None)
>>> k.positions(pl.Series(["H3", "nope", "H1"])).tolist()
[2, -1, 0]
>>> k.repeated().tolist()
[False, True, False, True]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    import polars as pl

__all__ = ["KeyIndex", "key_hashes"]

_SEED = 0x9E3779B9
IntArray = npt.NDArray[np.int64]
Hasher = Callable[["pl.Series"], npt.NDArray[np.uint64]]


class KeyIndex:
    """Row positions of the values of a string column, by sorted 64-bit hashes.

    Parameters
    ----------
    keys
        The key column (a polars ``String`` series). Nulls are never found.
    hasher
        The hash function (default :func:`key_hashes`); tests pass a colliding one to
        exercise the fallback.
    """

    __slots__ = ("_hasher", "_hashes", "_keys", "_order", "_shift", "_starts")

    def __init__(self, keys: pl.Series, hasher: Hasher | None = None) -> None:
        self._keys = keys
        self._hasher = hasher or key_hashes
        hashes = self._hasher(keys)
        dtype = np.int32 if keys.len() < 2**31 else np.int64
        order: npt.NDArray[np.signedinteger[Any]] = np.argsort(hashes, kind="stable").astype(dtype)
        self._order = order
        self._hashes: npt.NDArray[np.uint64] = hashes[order]
        # bucket directory: where each run of equal top bits starts in the sorted hashes
        bits = max(1, int(np.log2(max(len(order), 2))))  # at most one bucket a row
        self._shift = 64 - bits
        top = (self._hashes >> np.uint64(self._shift)).astype(np.int64)
        self._starts: npt.NDArray[np.signedinteger[Any]] = np.searchsorted(
            top, np.arange(2**bits + 1, dtype=np.int64)
        ).astype(dtype)

    def __len__(self) -> int:
        return int(self._order.shape[0])

    @property
    def nbytes(self) -> int:
        """Memory held by the index (the key column itself is shared, not counted)."""
        return int(self._order.nbytes + self._hashes.nbytes + self._starts.nbytes)

    def position(self, key: str) -> int | None:
        """Row of the first occurrence of ``key``, or ``None``."""
        import polars as pl

        found = int(self.positions(pl.Series([key], dtype=pl.String))[0])
        return None if found < 0 else found

    def positions(self, keys: pl.Series) -> IntArray:
        """Row of the first occurrence of each of ``keys`` (``-1`` where absent)."""
        import polars as pl

        n = len(self)
        out = np.full(keys.len(), -1, dtype=np.int64)
        if n == 0 or keys.len() == 0:
            return out
        wanted = self._hasher(keys)
        # the bucket directory narrows each search to the few hashes sharing its top bits
        slot = (wanted >> np.uint64(self._shift)).astype(np.int64)
        cur = self._starts[slot].astype(np.int64)
        end = self._starts[slot + 1].astype(np.int64)
        first = np.full(keys.len(), -1, dtype=np.int64)
        active = np.flatnonzero(cur < end)
        while active.size:
            at = cur[active]
            here = self._hashes[at]
            hit = here == wanted[active]
            first[active[hit]] = at[hit]
            # sorted within a bucket: once past the wanted hash it is not there
            go_on = ~hit & (here < wanted[active]) & (at + 1 < end[active])
            active = active[go_on]
            cur[active] += 1
        hit_rows = np.flatnonzero(first >= 0)
        cand = self._order[first[hit_rows]].astype(np.int64)
        same = (
            (self._keys.gather(pl.Series(cand)) == keys.gather(pl.Series(hit_rows)))
            .fill_null(False)
            .to_numpy()
        )
        out[hit_rows[same]] = cand[same]
        for q in hit_rows[~same].tolist():  # a hash collision: compare the whole run
            out[q] = self._scan(int(first[q]), wanted[q], keys[q])
        return out

    def _scan(self, lo: int, h: np.uint64, key: object) -> int:
        rows = []
        while lo < len(self) and self._hashes[lo] == h:
            rows.append(int(self._order[lo]))
            lo += 1
        for r in sorted(rows):
            if key is not None and self._keys[r] == key:
                return r
        return -1

    def repeated(self) -> npt.NDArray[np.bool_]:
        """Mask of rows whose key occurs more than once (nulls never repeat)."""
        import polars as pl

        mask = np.zeros(len(self), dtype=bool)
        if len(self) < 2:
            return mask
        same = np.flatnonzero(self._hashes[1:] == self._hashes[:-1])
        if same.size == 0:
            return mask
        # candidate rows share a hash with a neighbour; confirm with the strings themselves
        rows = np.unique(np.concatenate([self._order[same], self._order[same + 1]]))
        sub = self._keys.gather(pl.Series(rows.astype(np.int64)))
        mask[rows[sub.is_duplicated().to_numpy() & sub.is_not_null().to_numpy()]] = True
        return mask


def key_hashes(keys: pl.Series) -> npt.NDArray[np.uint64]:
    """64-bit hashes of the keys, stable within the process (polars' ``hash``)."""
    import polars as pl

    hashed: npt.NDArray[np.uint64] = keys.cast(pl.String).hash(_SEED).to_numpy()
    return hashed
