"""Dense integer indexes over a structure's areas and households, built once per structure.

Areas get positions ``0..n-1``; ``parent[i]`` is the position of area ``i``'s parent, ``-1``
for a root and ``-2`` for a parent id that names no area. Households get ``hh_parent[j]``,
the position of the area that holds household ``j``. Hierarchy queries and roll-ups are
numpy operations over these arrays (a roll-up of a million households is a ``bincount``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import polars as pl

from gridgov.org.vocab import AreaLevel

if TYPE_CHECKING:
    from gridgov.org.tables import AreaTable, HouseholdTable

__all__ = ["ROOT", "UNKNOWN", "AreaIndex", "cycle_members"]

ROOT = -1
UNKNOWN = -2
_LEVELS = list(AreaLevel)

IntArray = npt.NDArray[np.int64]


def _positions(keys: pl.Series, ids: pl.Series) -> IntArray:
    """Position of each key in ``ids`` (first occurrence); ROOT for null, UNKNOWN if absent."""
    lookup = pl.DataFrame({"key": ids, "pos": np.arange(ids.len(), dtype=np.int64)}).unique(
        "key", keep="first", maintain_order=True
    )
    joined = pl.DataFrame({"key": keys}).join(lookup, on="key", how="left", maintain_order="left")
    pos = joined.get_column("pos").fill_null(UNKNOWN).to_numpy().astype(np.int64)
    pos[keys.is_null().to_numpy()] = ROOT
    return pos


class AreaIndex:
    """Positions, levels and parent pointers of areas and households."""

    def __init__(self, areas: AreaTable, households: HouseholdTable) -> None:
        af = areas.frame
        self.ids: list[str] = af.get_column("id").to_list()
        self.pos: dict[str, int] = {}
        for i, a in enumerate(self.ids):
            self.pos.setdefault(a, i)
        depth = {lvl.value: lvl.depth for lvl in AreaLevel}
        self.depth: IntArray = (
            af.get_column("level").replace_strict(depth, return_dtype=pl.Int64).to_numpy()
        )
        self.parent: IntArray = _positions(af.get_column("parent"), af.get_column("id"))
        hf = households.frame
        self.hh_parent: IntArray = _positions(hf.get_column("parent"), af.get_column("id"))
        self._children: tuple[IntArray, IntArray] | None = None
        self._ancestor_cache: dict[int, IntArray] = {}

    @property
    def n(self) -> int:
        """Number of areas."""
        return len(self.ids)

    def level_of(self, i: int) -> AreaLevel:
        """Level of area ``i``."""
        return _LEVELS[int(self.depth[i])]

    def ancestor_at(self, level: AreaLevel) -> IntArray:
        """For each area, the position of its ancestor-or-self at ``level`` (``-1`` if none).

        Pointer jumping over the parent array: as many numpy passes as the tree is deep, with a
        bound so that a cycle cannot loop forever.
        """
        key = level.depth
        cached = self._ancestor_cache.get(key)
        if cached is not None:
            return cached
        n = self.n
        result = np.full(n, -1, dtype=np.int64)
        cur = np.arange(n, dtype=np.int64)
        active = np.ones(n, dtype=bool)
        for _ in range(len(_LEVELS) + 1):
            if not active.any():
                break
            idx = np.flatnonzero(active)
            here = cur[idx]
            d = self.depth[here]
            hit = d == key
            result[idx[hit]] = here[hit]
            stop = hit | (d < key)
            nxt = self.parent[here]
            stop |= nxt < 0
            active[idx[stop]] = False
            keep = idx[~stop]
            cur[keep] = nxt[~stop]
        self._ancestor_cache[key] = result
        return result

    def household_ancestor_at(self, level: AreaLevel) -> IntArray:
        """For each household, the position of its enclosing area at ``level`` (``-1`` if none)."""
        anc = self.ancestor_at(level)
        hp = self.hh_parent
        out = np.full(hp.shape[0], -1, dtype=np.int64)
        ok = hp >= 0
        out[ok] = anc[hp[ok]]
        return out

    def children_of(self, i: int) -> IntArray:
        """Positions of the direct child areas of area ``i``."""
        if self._children is None:
            order = np.argsort(self.parent, kind="stable")
            self._children = (order, self.parent[order])
        order, sorted_parent = self._children
        lo, hi = np.searchsorted(sorted_parent, [i, i + 1])
        return order[lo:hi]

    def ancestors_of(self, i: int) -> list[int]:
        """Positions from the parent of ``i`` up to the root (stops on a cycle)."""
        out: list[int] = []
        seen = {i}
        cur = int(self.parent[i])
        while cur >= 0 and cur not in seen:
            out.append(cur)
            seen.add(cur)
            cur = int(self.parent[cur])
        return out

    def descendants_mask(self, i: int) -> npt.NDArray[np.bool_]:
        """Mask over areas that lie strictly below area ``i``.

        An area is below ``i`` exactly when its ancestor at ``i``'s level is ``i``: one
        vectorised lookup in :meth:`ancestor_at`, cached per level.
        """
        mask: npt.NDArray[np.bool_] = self.ancestor_at(self.level_of(i)) == i
        mask[i] = False
        return mask

    def cycle_members(self) -> list[int]:
        """Positions of areas whose parent chain loops back on itself."""
        return cycle_members(self.parent, bound=len(_LEVELS) + 2)


def cycle_members(parent: IntArray, bound: int) -> list[int]:
    """Positions on a cycle of the pointer array ``parent`` (negative = no parent).

    ``bound`` numpy passes of pointer chasing clear every chain shorter than ``bound``; the few
    nodes left are walked once each with a three-colour marking, so the cost stays linear.

    Examples
    --------
    >>> import numpy as np
    >>> cycle_members(np.array([-1, 0, 3, 2, 3]), bound=3)
    [2, 3]
    """
    cur = parent.copy()
    for _ in range(bound):
        ok = cur >= 0
        if not ok.any():
            return []
        cur[ok] = parent[cur[ok]]
    state = np.zeros(parent.shape[0], dtype=np.int8)  # 0 new, 1 on the current path, 2 done
    members: list[int] = []
    for s in np.flatnonzero(cur >= 0).tolist():
        if state[s]:
            continue
        path: list[int] = []
        node = int(s)
        while node >= 0 and state[node] == 0:
            state[node] = 1
            path.append(node)
            node = int(parent[node])
        if node >= 0 and state[node] == 1:
            members.extend(path[path.index(node) :])
        state[path] = 2
    return sorted(members)
