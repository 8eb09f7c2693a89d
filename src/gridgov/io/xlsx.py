"""XLSX export of household ledgers (台账) and roll-ups, safe to open in a spreadsheet.

:func:`write_ledger_xlsx` writes the households with the Chinese headers
:func:`gridgov.io.import_ledger` reads (户号, 所属网格, 所属单元, 人口数, 入住日期, 迁出日期), so a
ledger goes out and comes back in unchanged. :func:`write_rollup_xlsx` writes
``structure.rollup(level)`` with Chinese headers. Every text cell that a spreadsheet would run
as a formula (starting with ``=``, ``+``, ``-`` or ``@``) is written as a text cell, never a
formula. Writes are atomic (openpyxl needs ``gridgov[io]``).

Privacy: a ledger is the grid office's own working list, household by household, so it
defaults to ``internal`` and refuses ``public``; a roll-up defaults to ``public``, with counts
under ``k`` left empty (:func:`gridgov.io.privacy.suppressed_rollup`).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gridgov.errors import PrivacyError, missing_extra
from gridgov.io._atomic import atomic_write
from gridgov.io.privacy import DEFAULT_K, LEVELS, policy, suppressed_rollup

if TYPE_CHECKING:
    from gridgov.org import Structure

__all__ = ["LEDGER_HEADERS", "ROLLUP_HEADERS", "write_ledger_xlsx", "write_rollup_xlsx"]

#: Ledger columns as written: field → the Chinese header :func:`import_ledger` reads.
LEDGER_HEADERS = {
    "id": "户号",
    "grid": "所属网格",
    "building": "所属楼栋",
    "unit": "所属单元",
    "residents": "人口数",
    "start": "入住日期",
    "end": "迁出日期",
}
#: Roll-up columns → Chinese headers.
ROLLUP_HEADERS = {
    "id": "编号",
    "name": "名称",
    "households": "户数",
    "residents": "人口数",
    "party_members": "党员数",
    "posts": "岗位数",
    "posts_filled": "在岗数",
    "posts_vacant": "空缺数",
    "linked_households": "党员联系户数",
}
_TRIGGERS = ("=", "+", "-", "@")


def _write(rows: list[list[Any]], path: str | os.PathLike[str], title: str) -> Path:
    try:
        from openpyxl import Workbook
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise missing_extra("openpyxl", "io", "XLSX files") from exc
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c)
            cell.value = value
            if isinstance(value, str) and value.startswith(_TRIGGERS):
                cell.data_type = "s"  # text, never a formula
    return atomic_write(path, wb.save)


def write_ledger_xlsx(
    structure: Structure,
    path: str | os.PathLike[str],
    *,
    privacy: str = "internal",
    key: bytes | str | None = None,
) -> Path:
    """Write the structure's households as a ledger (台账) that :func:`import_ledger` reads.

    Raises
    ------
    gridgov.errors.PrivacyError
        ``privacy="public"`` (a ledger is household-level), an unknown level, or
        ``"research"`` without a key.
    """
    from gridgov.io.privacy import redact_structure
    from gridgov.org.vocab import AreaLevel

    level = policy(privacy, key=key)
    if not level.people:
        raise PrivacyError("a ledger lists households one by one: not at privacy 'public'")
    s = redact_structure(structure, level)
    ix = s.index
    grids = ix.household_ancestor_at(AreaLevel.GRID)
    area_ids = s.areas.frame.get_column("id").to_list()
    levels = dict(zip(area_ids, s.areas.frame.get_column("level").to_list(), strict=True))
    rows: list[list[Any]] = [list(LEDGER_HEADERS.values())]
    frame = s.households.frame
    for i, (hid, parent, residents, start, end) in enumerate(
        frame.select("id", "parent", "residents", "start", "end").iter_rows()
    ):
        grid = area_ids[grids[i]] if grids[i] >= 0 else None
        kind = levels.get(parent)
        building = parent if kind == "building" else None
        unit = parent if kind == "unit" else None
        rows.append([hid, grid, building, unit, residents, _day(start), _day(end)])
    return _write(rows, path, "台账")


def _day(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def write_rollup_xlsx(
    structure: Structure,
    path: str | os.PathLike[str],
    level: str,
    *,
    privacy: str = "public",
    k: int = DEFAULT_K,
) -> Path:
    """Write ``structure.rollup(level)`` with Chinese headers.

    A roll-up holds counts, not people: at ``public`` (default) counts under ``k`` are left
    empty (suppressed); at the other levels every count is written.
    """
    if privacy not in LEVELS:
        policy(privacy)  # raises PrivacyError naming the levels
    if privacy == "public":
        frame = suppressed_rollup(structure, level, k=k)
    else:
        frame = structure.rollup(level)
    columns = [c for c in ROLLUP_HEADERS if c in frame.columns]
    rows: list[list[Any]] = [[ROLLUP_HEADERS[c] for c in columns]]
    rows.extend(list(r) for r in frame.select(columns).iter_rows())
    return _write(rows, path, f"汇总-{level}")
