"""Area-tree lookups the analyses share (building → grid → community, households per area)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gridgov.org import Structure


def parents(structure: Structure) -> dict[str, str | None]:
    """Area id → parent id."""
    f = structure.areas.frame.select("id", "parent")
    return dict(zip(f.get_column("id").to_list(), f.get_column("parent").to_list(), strict=True))


def levels(structure: Structure) -> dict[str, str]:
    """Area id → level code."""
    f = structure.areas.frame.select("id", "level")
    return dict(zip(f.get_column("id").to_list(), f.get_column("level").to_list(), strict=True))


def up_to(structure: Structure, level: str) -> dict[str, str | None]:
    """Area id → its ancestor (or itself) at ``level``, or ``None``."""
    par = parents(structure)
    lev = levels(structure)
    out: dict[str, str | None] = {}
    for a in par:
        cur: str | None = a
        while cur is not None and lev.get(cur) != level:
            cur = par.get(cur)
        out[a] = cur
    return out


def households_per(structure: Structure, level: str) -> dict[str, int]:
    """Households counted under each area at ``level`` (current rows, no date filter)."""
    anc = up_to(structure, level)
    counts: dict[str, int] = {}
    for parent in structure.households.frame.get_column("parent").to_list():
        key = anc.get(parent)
        if key is not None:
            counts[key] = counts.get(key, 0) + 1
    return counts
