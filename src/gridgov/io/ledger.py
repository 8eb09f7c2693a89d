r"""Import a household ledger (住户台账) from CSV or XLSX into a structure.

A ledger is the spreadsheet a community keeps: one row per household, saying where it lives
and how many people it has. Headers may be Chinese or English (:data:`LEDGER_COLUMNS` lists
what each column may be called; case, spaces, full-width characters and a ``*`` marking a
required column are ignored):

==============  ======================================  ========================================
column          accepted headers (examples)             value
==============  ======================================  ========================================
household_id    户号, 户编号, household_id               the new household's id (required)
grid            所属网格, 网格编号, grid                  a grid's id or code
building        所属楼栋, 楼栋编号, building              a building's id or code
unit            所属单元, 单元编号, unit                  a unit's id or code
residents       人口数, 户籍人口, residents               whole number 0–100 (required)
start, end      入住日期/迁出日期, start/end             ``YYYY-MM-DD`` or a date cell
==============  ======================================  ========================================

At least one of grid, building and unit must be given per row; the household is placed in
the most specific one, and the others must contain it. The header is the first row (within
the first ten) that has a household-id column, so a title row above it is fine.

Everything is checked before anything is added, and *every* problem is reported in one
:class:`~gridgov.errors.LedgerError` whose ``.problems`` name the spreadsheet row (1-based,
as the spreadsheet shows it: the header is row 1 unless a title sits above it) and the column
(letter and header). Nothing is half-imported: :func:`import_ledger` returns a *new* structure
with all the households added, or raises.

A CSV file may be UTF-8 (with or without BOM) or GB 18030 (what Excel writes on a Chinese
system). An XLSX workbook with any formula is refused (:mod:`gridgov.io.safety`).

Examples
--------
>>> import pathlib, tempfile
>>> from gridgov.org import Structure
>>> s = Structure.model_validate({"areas": [
...     {"id": "S1", "level": "street"}, {"id": "C1", "level": "community", "parent": "S1"},
...     {"id": "G1", "level": "grid", "parent": "C1"}, {"id": "B1", "level": "building",
...     "parent": "G1"}, {"id": "U1", "level": "unit", "parent": "B1"}]})
>>> path = pathlib.Path(tempfile.mkdtemp()) / "台账.csv"
>>> _ = path.write_text("户号,所属网格,所属单元,人口数\nH1,G1,U1,3\nH2,G9,U1,-2\n", "utf-8")
>>> import_ledger(s, path)
Traceback (most recent call last):
...
gridgov.errors.LedgerError: ...台账.csv: ledger rejected, 2 problem(s):
  - 台账.csv row 3, column B (所属网格): [unknown-area] no grid 'G9' in the structure
  - 台账.csv row 3, column D (人口数): [bad-size] household size must be a whole number ... not '-2'
>>> _ = path.write_text("户号,所属网格,所属单元,人口数\nH1,G1,U1,3\nH2,G1,U1,2\n", "utf-8")
>>> len(import_ledger(s, path).households)
2
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from gridgov.errors import DataFileError, LedgerError, Problem, StructureError
from gridgov.io.safety import DEFAULT_MAX_BYTES, _column_letter, read_bounded, read_xlsx_rows
from gridgov.org.structure import Structure
from gridgov.org.vocab import AreaLevel

__all__ = ["LEDGER_COLUMNS", "import_ledger"]

#: Accepted headers for each ledger column (compared after normalising case, width, spaces).
LEDGER_COLUMNS: dict[str, tuple[str, ...]] = {
    "household_id": (
        "household_id",
        "household",
        "household id",
        "户号",
        "户编号",
        "住户编号",
        "户编码",
    ),
    "grid": ("grid", "grid_id", "grid code", "所属网格", "网格", "网格编号", "网格编码"),
    "building": ("building", "building_id", "所属楼栋", "楼栋", "楼栋编号", "楼栋编码"),
    "unit": ("unit", "unit_id", "所属单元", "单元", "单元编号", "单元编码"),
    "residents": (
        "residents",
        "household_size",
        "size",
        "人口数",
        "户人口数",
        "家庭人口",
        "人数",
        "户籍人口",
        "居住人数",
    ),
    "start": ("start", "start_date", "起始日期", "入住日期", "开始日期"),
    "end": ("end", "end_date", "结束日期", "迁出日期"),
}
_REQUIRED = ("household_id", "residents")
_PLACES = ("unit", "building", "grid")  # most specific first
_HEADER_SEARCH = 10
_MAX_SIZE = 100
_ID = re.compile(r"^\S{1,64}$")


def _norm(header: object) -> str:
    text = unicodedata.normalize("NFKC", str(header)).casefold()
    return re.sub(r"[\s*＊]+", "", text).replace("-", "_")


_ALIASES = {_norm(a): field for field, names in LEDGER_COLUMNS.items() for a in names}


@dataclass(frozen=True, slots=True)
class _Column:
    field: str
    index: int
    header: str


def import_ledger(
    structure: Structure,
    path: str | os.PathLike[str],
    *,
    sheet: str | None = None,
    unknown_columns: Literal["error", "ignore"] = "error",
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Structure:
    """Add the households of a CSV or XLSX ledger to a structure; all or nothing.

    Parameters
    ----------
    structure
        The structure the households go into; it is not changed.
    path
        A ``.csv`` or ``.xlsx`` ledger.
    sheet
        Worksheet of an XLSX workbook (default: the active one).
    unknown_columns
        ``"error"`` (default) reports a column gridgov does not know, so a misspelt header is
        not silently dropped; ``"ignore"`` skips such columns (names, phone numbers …).
    max_bytes
        Largest file accepted.

    Returns
    -------
    Structure
        A new, validated structure with the ledger's households added.

    Raises
    ------
    gridgov.errors.LedgerError
        Listing every problem by row and column; nothing is imported.
    gridgov.errors.UnsafeInputError
        A workbook with formulas, or a file too large.
    gridgov.errors.DataFileError
        A file that cannot be read as a ledger at all.
    """
    p = Path(path)
    rows = _read_rows(p, sheet=sheet, max_bytes=max_bytes)
    ledger = _Ledger(structure, p.name)
    households = ledger.check(rows, unknown_columns=unknown_columns)
    if ledger.problems:
        raise LedgerError(ledger.problems, source=str(p))
    return _added(structure, households, p)


# -- reading ------------------------------------------------------------------------------
def _read_rows(path: Path, *, sheet: str | None, max_bytes: int) -> list[tuple[Any, ...]]:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return read_xlsx_rows(path, sheet=sheet, max_bytes=max_bytes)
    if suffix == ".csv":
        raw = read_bounded(path, max_bytes)
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:  # pragma: no cover - gb18030 decodes almost anything
            raise DataFileError(f"{path}: neither UTF-8 nor GB 18030 text")
        try:
            return [tuple(r) for r in csv.reader(io.StringIO(text, newline=""))]
        except csv.Error as exc:
            raise DataFileError(f"{path}: not a readable CSV file: {exc}") from exc
    raise DataFileError(f"{path}: a ledger is a .csv or .xlsx file, not {suffix or 'no suffix'!r}")


# -- checking -----------------------------------------------------------------------------
class _Ledger:
    """Checks rows against a structure, collecting every problem."""

    def __init__(self, structure: Structure, name: str) -> None:
        self.structure = structure
        self.name = name
        self.problems: list[Problem] = []
        ix = structure.index
        self.level_of: dict[str, AreaLevel] = {ix.ids[i]: ix.level_of(i) for i in range(ix.n)}
        self.by_code: dict[tuple[AreaLevel, str], str | None] = {}
        frame = structure.areas.frame
        for area_id, level, code in zip(
            frame.get_column("id").to_list(),
            frame.get_column("level").to_list(),
            frame.get_column("code").to_list(),
            strict=True,
        ):
            if code:
                key = (AreaLevel(level), str(code))
                self.by_code[key] = None if key in self.by_code else area_id  # None: ambiguous
        self.taken = _all_ids(structure)

    def problem(self, code: str, row: int, col: _Column | None, message: str) -> None:
        where = f"{self.name} row {row}"
        if col is not None:
            where += f", column {_column_letter(col.index + 1)} ({col.header})"
        self.problems.append(Problem(code, where, message))

    def check(self, rows: list[tuple[Any, ...]], *, unknown_columns: str) -> list[dict[str, Any]]:
        header_at = self._find_header(rows)
        if header_at is None:
            names = " / ".join(LEDGER_COLUMNS["household_id"][:4])
            self.problem(
                "missing-column",
                1,
                None,
                f"no household-id column ({names}) in the first {_HEADER_SEARCH} rows",
            )
            return []
        columns = self._columns(rows[header_at], header_at + 1, unknown_columns)
        if self.problems:
            return []
        out: list[dict[str, Any]] = []
        first_row: dict[str, int] = {}
        for k in range(header_at + 1, len(rows)):
            values = rows[k]
            if all(_blank(v) for v in values):
                continue
            household = self._row(k + 1, values, columns, first_row)
            if household is not None:
                out.append(household)
        if not out and not self.problems:
            self.problem("empty", header_at + 1, None, "the ledger has no household rows")
        return out

    def _find_header(self, rows: list[tuple[Any, ...]]) -> int | None:
        for k, row in enumerate(rows[:_HEADER_SEARCH]):
            if any(_ALIASES.get(_norm(v)) == "household_id" for v in row if not _blank(v)):
                return k
        return None

    def _columns(
        self, header: tuple[Any, ...], row: int, unknown_columns: str
    ) -> dict[str, _Column]:
        columns: dict[str, _Column] = {}
        for i, cell in enumerate(header):
            if _blank(cell):
                continue
            text = str(cell).strip()
            field = _ALIASES.get(_norm(text))
            col = _Column(field or "", i, text)
            if field is None:
                if unknown_columns == "error" and _is_personal(text):
                    self.problem(
                        "personal-column",
                        row,
                        col,
                        "a personal column (phone or ID number) is never imported from a ledger; "
                        "delete it or pass unknown_columns='ignore' (its values are not read)",
                    )
                elif unknown_columns == "error":
                    known = ", ".join(LEDGER_COLUMNS)
                    self.problem(
                        "unknown-column",
                        row,
                        col,
                        f"unknown column; known: {known} (or pass unknown_columns='ignore')",
                    )
            elif field in columns:
                first = columns[field]
                self.problem(
                    "duplicate-column",
                    row,
                    col,
                    f"{field} already given by column {_column_letter(first.index + 1)}",
                )
            else:
                columns[field] = col
        for field in _REQUIRED:
            if field not in columns:
                names = " / ".join(LEDGER_COLUMNS[field][:4])
                self.problem("missing-column", row, None, f"no {field} column ({names})")
        if not any(f in columns for f in _PLACES):
            self.problem(
                "missing-column",
                row,
                None,
                "no place column: give at least one of 所属网格/grid, 所属楼栋/building, "
                "所属单元/unit",
            )
        return columns

    def _row(
        self,
        row: int,
        values: Sequence[Any],
        columns: dict[str, _Column],
        first_row: dict[str, int],
    ) -> dict[str, Any] | None:
        before = len(self.problems)

        def cell(field: str) -> Any:
            col = columns.get(field)
            if col is None or col.index >= len(values):
                return None
            value = values[col.index]
            return None if _blank(value) else value

        hid_col = columns["household_id"]
        hid = _text(cell("household_id"))
        if hid is None:
            self.problem("missing-value", row, hid_col, "household id is empty")
        elif not _ID.match(hid):
            self.problem(
                "bad-id", row, hid_col, f"{_shown(hid)} is not an id (1–64 characters, no spaces)"
            )
        elif hid in first_row:
            self.problem(
                "duplicate-id", row, hid_col, f"{_shown(hid)} is also on row {first_row[hid]}"
            )
        elif hid in self.taken:
            self.problem(
                "id-taken", row, hid_col, f"{_shown(hid)} is already an id in the structure"
            )
        if hid is not None and hid not in first_row:
            first_row[hid] = row

        parent = self._place(row, columns, cell)
        residents = self._size(row, columns["residents"], cell("residents"))
        start = self._date(row, columns.get("start"), cell("start"))
        end = self._date(row, columns.get("end"), cell("end"))
        if start is not None and end is not None and end < start:
            self.problem("end-before-start", row, columns["end"], f"{end} is before {start}")
        if len(self.problems) > before:
            return None
        return {"id": hid, "parent": parent, "residents": residents, "start": start, "end": end}

    def _place(self, row: int, columns: dict[str, _Column], cell: Any) -> str | None:
        resolved: dict[str, str] = {}
        for field in _PLACES:
            col = columns.get(field)
            value = _text(cell(field))
            if col is None or value is None:
                continue
            level = AreaLevel(field)
            area = self._resolve(value, level)
            if area is None:
                found = self.level_of.get(value)
                if found is not None:
                    msg = f"{_shown(value)} is a {found.label_en} ({found.label_zh}), not a {field}"
                    self.problem("wrong-level", row, col, msg)
                else:
                    self.problem(
                        "unknown-area", row, col, f"no {field} {_shown(value)} in the structure"
                    )
                continue
            resolved[field] = area
        given = [f for f in _PLACES if f in columns and _text(cell(f)) is not None]
        if not given:
            self.problem("missing-value", row, None, "no grid, building or unit given")
            return None
        if len(resolved) < len(given):
            return None
        place = given[0]
        inner = resolved[place]
        ancestors = set(self.structure.ancestors(inner))
        for outer_field in given[1:]:
            outer = resolved[outer_field]
            if outer not in ancestors:
                self.problem(
                    "area-mismatch",
                    row,
                    columns[outer_field],
                    f"{place} {inner!r} is not inside {outer_field} {outer!r}",
                )
        return inner

    def _resolve(self, value: str, level: AreaLevel) -> str | None:
        if self.level_of.get(value) is level:
            return value
        return self.by_code.get((level, value))

    def _size(self, row: int, col: _Column, value: Any) -> int | None:
        if value is None:
            self.problem("missing-value", row, col, "household size is empty")
            return None
        size = _whole(value)
        if size is None or not 0 <= size <= _MAX_SIZE:
            self.problem(
                "bad-size",
                row,
                col,
                f"household size must be a whole number from 0 to {_MAX_SIZE}, not {_shown(value)}",
            )
            return None
        return size

    def _date(self, row: int, col: _Column | None, value: Any) -> dt.date | None:
        if col is None or value is None:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            self.problem("bad-date", row, col, f"{_shown(value)} is not a date (YYYY-MM-DD)")
            return None


#: Header fragments of personal columns (compared after normalising, like the headers).
_PERSONAL_HEADER_PARTS = (
    "phone",
    "mobile",
    "telephone",
    "idnumber",
    "id_number",
    "idcard",
    "id_card",
    "identity",
    "passport",
    "电话",
    "手机",
    "联系方式",
    "身份证",
    "身份号",
    "证件",
    "护照",
)


def _is_personal(header: str) -> bool:
    """Whether a header names a personal column (phone, ID number …), in Chinese or English.

    Examples
    --------
    >>> [_is_personal(h) for h in ["联系电话", "身份证号码", "Mobile Phone", "ID Number", "人口数"]]
    [True, True, True, True, False]
    """
    norm = _norm(header)
    return any(part in norm for part in _PERSONAL_HEADER_PARTS)


#: A cell that holds a run of 7 or more digits (a phone number, an ID number, a bank card)
#: is never echoed in a message, whatever its column: a ledger's columns are often shifted.
_PERSONAL_LOOKING = re.compile(r"\d[\d\s-]{5,}\d")
_ECHO_LIMIT = 40


def _shown(value: object) -> str:
    """A cell value as a message may show it: quoted and short, or withheld when personal.

    Ledger messages name the row and the column; they echo the value only when it cannot be
    a phone or ID number, so an error report can be shared.

    Examples
    --------
    >>> _shown("G9"), _shown("13800000000"), _shown("11010519491231002X")
    ("'G9'", '(value withheld: it looks like a phone or ID number)', \
'(value withheld: it looks like a phone or ID number)')
    """
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if _PERSONAL_LOOKING.search(text):
        return "(value withheld: it looks like a phone or ID number)"
    if len(text) > _ECHO_LIMIT:
        text = text[: _ECHO_LIMIT - 1] + "…"
    return repr(text)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: object) -> str | None:
    """A cell as an id-like text; integral numbers lose their ``.0`` (Excel stores 101 as 101.0)."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _whole(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = unicodedata.normalize("NFKC", str(value)).strip()
    return int(text) if re.fullmatch(r"[+-]?\d{1,6}", text) else None


def _all_ids(s: Structure) -> set[str]:
    ids: set[str] = set(s.areas.frame.get_column("id").to_list())
    ids.update(s.households.frame.get_column("id").to_list())
    for group in (s.organisations, s.people, s.posts, s.joint_committees):
        ids.update(x.id for x in group)
    return ids


def _added(structure: Structure, households: list[dict[str, Any]], path: Path) -> Structure:
    import polars as pl

    old = structure.households.frame
    new = pl.DataFrame(households, schema=old.schema)
    data = {name: getattr(structure, name) for name in type(structure).model_fields}
    data["households"] = pl.concat([old, new], how="vertical")
    try:
        return Structure.model_validate(data)
    except StructureError as exc:  # pragma: no cover - the row checks above should catch all
        raise LedgerError(exc.problems, source=str(path)) from exc
