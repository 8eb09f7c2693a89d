"""Many-row tables (areas, households, linked households) in files beside the main file.

A city's structure file would be mostly household rows, so :func:`gridgov.io.save` can put the
three columnar tables in their own files, next to the main file, as NDJSON, CSV or Parquet
(polars reads and writes all three natively; Parquet is the compact, typed choice):

``save(city, "city.json", tables="parquet")`` writes ``city.areas.<hash>.parquet``,
``city.households.<hash>.parquet``, ``city.linked_households.<hash>.parquet`` and, last,
``city.json``, in which each table field is a reference::

    "households": {"file": "city.households.0f3a…(16 hex).parquet", "format": "parquet",
                   "rows": 1000000, "sha256": "0f3a…(64 hex)"}

``<hash>`` is the first :data:`HASH_CHARS` hex digits of the file's SHA-256, so a new version
of a table never overwrites the file the old main file names, and the main file, renamed
into place last, switches the whole set at once (:func:`gridgov.io._atomic.write_with_companions`);
the old tables are removed after the switch.

:func:`gridgov.io.load` reads the references back. A reference must name a file in the main
file's own directory (no absolute paths, no ``..``), a regular file, bounded in size like
every input; its row count must match, and its ``sha256`` (when given: files written before
gridgov recorded hashes have none and still load) must match the file's bytes, else
:class:`~gridgov.errors.TableMismatchError` names the file. CSV cells are neutralised against
spreadsheet formula injection on write and restored on read
(:func:`~gridgov.io.safety.neutralise_cell`), so the round trip is lossless in every format.

Examples
--------
>>> table_file("data/city.json", "households", "parquet").as_posix()
'data/city.households.parquet'
>>> table_file("data/city.json", "households", "parquet", sha256="0f3a" * 16).name
'city.households.0f3a0f3a0f3a0f3a.parquet'
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import IO, TYPE_CHECKING, Any, Literal

from gridgov.errors import DataFileError, Problem, StructureError, TableError, TableMismatchError
from gridgov.io._atomic import Companion, Written
from gridgov.io.safety import (
    DEFAULT_MAX_BYTES,
    neutralise_frame,
    read_bounded,
    restore_frame,
)
from gridgov.org.tables import AreaTable, HouseholdTable, LinkTable, Table

if TYPE_CHECKING:
    import polars as pl

    from gridgov.org.structure import Structure

__all__ = [
    "HASH_CHARS",
    "TABLE_FIELDS",
    "TABLE_FORMATS",
    "TableFormat",
    "TableTarget",
    "inline_table_problems",
    "is_table_reference",
    "own_table_files",
    "read_table",
    "referenced_files",
    "resolve_tables",
    "table_file",
    "table_reference",
    "table_targets",
]

#: The structure fields that can live beside the main file.
TABLE_FIELDS = ("areas", "households", "linked_households")
#: Table formats and their file suffixes.
TABLE_FORMATS: dict[str, str] = {"ndjson": ".ndjson", "csv": ".csv", "parquet": ".parquet"}
TableFormat = Literal["ndjson", "csv", "parquet"]

_TABLE_CLASSES: dict[str, type[Table[Any]]] = {
    "areas": AreaTable,
    "households": HouseholdTable,
    "linked_households": LinkTable,
}
_REFERENCE_KEYS = frozenset({"file", "format", "rows", "sha256"})
#: Hex digits of a table file's SHA-256 in its name.
HASH_CHARS = 16


def table_file(
    main: str | os.PathLike[str], field: str, fmt: str, *, sha256: str | None = None
) -> Path:
    """Path of the ``field`` table beside ``main`` (``city.json`` → ``city.households.csv``).

    With ``sha256`` (hex), the name carries its first :data:`HASH_CHARS` digits
    (``city.households.0f3a0f3a0f3a0f3a.csv``), as :func:`gridgov.io.save` writes it.
    """
    p = Path(main)
    tag = f".{sha256[:HASH_CHARS]}" if sha256 is not None else ""
    return p.with_name(f"{_stem(p)}.{field}{tag}{_suffix(fmt)}")


def _stem(main: Path) -> str:
    return main.name[: -len(main.suffix)] if main.suffix else main.name


def own_table_files(main: str | os.PathLike[str]) -> list[Path]:
    """The files beside ``main`` named as :func:`gridgov.io.save` names its tables.

    Both the hashed names and the names of earlier versions (``city.households.csv``).
    """
    p = Path(main)
    pattern = re.compile(
        re.escape(_stem(p))
        + r"\.(?:"
        + "|".join(TABLE_FIELDS)
        + rf")(?:\.[0-9a-f]{{{HASH_CHARS}}})?(?:"
        + "|".join(re.escape(s) for s in TABLE_FORMATS.values())
        + r")",
        re.DOTALL,
    )
    try:
        names = [f.name for f in Path(p.parent if str(p.parent) else ".").iterdir()]
    except OSError:
        return []
    return sorted(p.with_name(n) for n in names if pattern.fullmatch(n))


def _suffix(fmt: str) -> str:
    try:
        return TABLE_FORMATS[fmt]
    except KeyError:
        raise ValueError(
            f"unknown table format {fmt!r}; choose one of {', '.join(TABLE_FORMATS)}"
        ) from None


@dataclass(frozen=True, slots=True)
class TableTarget:
    """One table to write beside a main file: its field, format, row count and companion."""

    field: str
    fmt: str
    rows: int
    companion: Companion


def table_targets(
    structure: Structure, main: str | os.PathLike[str], fmt: str
) -> list[TableTarget]:
    """The table files to write beside ``main`` (see :mod:`gridgov.io._atomic`).

    Each file is named after its content (:func:`table_file` with ``sha256``); the reference
    that replaces the field in the main file is :func:`table_reference`.
    """
    _suffix(fmt)
    targets: list[TableTarget] = []
    for field in TABLE_FIELDS:
        frame = getattr(structure, field).frame
        namer = functools.partial(_hashed_name, Path(main), field, fmt)
        writer = functools.partial(_write_frame, frame, fmt)
        label = table_file(main, field, fmt)
        targets.append(TableTarget(field, fmt, frame.height, Companion(namer, writer, label)))
    return targets


def _hashed_name(main: Path, field: str, fmt: str, sha256: str) -> str:
    return table_file(main, field, fmt, sha256=sha256).name


def table_reference(target: TableTarget, written: Written) -> dict[str, Any]:
    """``{"file": name, "format": fmt, "rows": n, "sha256": hex}`` for the main file."""
    return {
        "file": written.path.name,
        "format": target.fmt,
        "rows": target.rows,
        "sha256": written.sha256,
    }


def referenced_files(data: object, main: str | os.PathLike[str]) -> set[Path]:
    """The table files a parsed main document refers to (well-formed references only)."""
    found: set[Path] = set()
    if not isinstance(data, Mapping):
        return found
    main_path = Path(main)
    for field in TABLE_FIELDS:
        value = data.get(field)
        if is_table_reference(value):
            assert isinstance(value, Mapping)
            name = value.get("file")
            if isinstance(name, str) and name and "\0" not in name:
                try:
                    found.add(_beside(main_path, name, str(main_path)))
                except (DataFileError, OSError, ValueError):
                    continue
    return found


def _write_frame(frame: pl.DataFrame, fmt: str, fh: IO[bytes]) -> None:
    if fmt == "parquet":
        frame.write_parquet(fh)
    elif fmt == "ndjson":
        frame.write_ndjson(fh)
    else:
        neutralise_frame(frame).write_csv(fh)


def is_table_reference(value: object) -> bool:
    """Whether a field value is a reference to a table file (a mapping with a ``file`` key)."""
    return isinstance(value, Mapping) and "file" in value


def resolve_tables(
    data: dict[str, Any], main: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES
) -> dict[str, Any]:
    """Replace every table reference in loaded ``data`` by the table read from its file.

    Raises
    ------
    gridgov.errors.DataFileError
        A bad reference or an unreadable table file (see :func:`read_table`).
    gridgov.errors.StructureError
        Cells of the wrong type, in every table (beside or inline) at once; each problem
        names file, row and column.
    """
    out = dict(data)
    problems = inline_table_problems(data, Path(main).name)
    for field in TABLE_FIELDS:
        value = data.get(field)
        if is_table_reference(value):
            assert isinstance(value, Mapping)
            try:
                out[field] = read_table(value, main, field, max_bytes=max_bytes)
            except TableError as exc:
                problems.extend(exc.problems)
    if problems:
        raise StructureError(problems, source=str(main))
    return out


def read_table(
    reference: Mapping[str, Any],
    main: str | os.PathLike[str],
    field: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> pl.DataFrame:
    """Read the table a reference in ``main`` points to, as a polars frame.

    Every cell is read as the type its column needs (whole numbers, ``YYYY-MM-DD`` dates,
    text); a cell that is not (a list, an object, a fraction, a time…) is reported with the
    file, the row and the column, every such cell at once (see :mod:`gridgov.io` for how rows
    are numbered). Ranges, ids and levels are then checked by the structure's table field.

    Raises
    ------
    gridgov.errors.DataFileError
        A malformed reference, a file outside the main file's directory, an unreadable or
        corrupt file, or a row count that does not match.
    gridgov.errors.TableError
        Cells of the wrong type; ``.problems`` name file, row and column of each.
    """
    main_path = Path(main)
    where = f"{main_path}: {field}"
    name, fmt_given, rows = _reference(reference, where)
    path = _beside(main_path, name, where)
    fmt = fmt_given or _format_from_suffix(path, where)
    # hashed and parsed from the same bytes, so a file swapped in between cannot slip through
    raw = _verified_bytes(path, reference.get("sha256"), main_path, max_bytes)
    frame = _read_frame(path, raw, fmt, field)
    if rows is not None and rows != frame.height:
        raise DataFileError(
            f"{path}: has {frame.height} rows but {main_path.name} says {rows}: "
            "the files do not belong together"
        )
    return _typed(frame, field, path, fmt)


def _reference(reference: Mapping[str, Any], where: str) -> tuple[str, str | None, int | None]:
    """The checked ``(file, format, rows)`` of a table reference."""
    usage = f"{where}: a table reference is {{'file': NAME, 'format': FORMAT, 'rows': N}}"
    unknown = sorted(str(k) for k in set(reference) - _REFERENCE_KEYS)
    if unknown:
        raise DataFileError(f"{usage}; unknown key(s) {', '.join(unknown)}")
    name = reference.get("file")
    if not isinstance(name, str) or not name.strip():
        raise DataFileError(f"{usage}; 'file' must be a file name, not {_short(name)}")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        raise DataFileError(
            f"{where}: table file name {_short(name)} holds a control character "
            "(a NUL byte or a line break); rename the file"
        )
    fmt = reference.get("format")
    if fmt is not None and (not isinstance(fmt, str) or fmt not in TABLE_FORMATS):
        raise DataFileError(
            f"{where}: unknown table format {_short(fmt)}; use {', '.join(TABLE_FORMATS)}"
        )
    rows = reference.get("rows")
    if rows is not None and (isinstance(rows, bool) or not isinstance(rows, int) or rows < 0):
        raise DataFileError(f"{usage}; 'rows' must be a whole number >= 0, not {_short(rows)}")
    return name, fmt, rows


def _short(value: object) -> str:
    """A bounded ``repr`` for a message (a hostile file may hold a huge value)."""
    import reprlib

    short = reprlib.Repr()
    short.maxstring = short.maxother = 60
    return short.repr(value)


def _read_frame(path: Path, raw: bytes, fmt: str, field: str) -> pl.DataFrame:
    """Parse a table file's bytes; every failure (even a panic) is a ``DataFileError``."""
    import polars as pl

    failures: tuple[type[BaseException], ...] = (
        OSError,
        pl.exceptions.PolarsError,
        ValueError,
        *_panic_types(),
    )
    strings = _string_columns(field)
    try:
        if fmt == "parquet":
            return pl.read_parquet(io.BytesIO(raw))
        if fmt == "ndjson":
            schema = {c.name: pl.String for c in _TABLE_CLASSES[field].columns}
            return pl.read_ndjson(io.BytesIO(raw), schema=schema)
        return restore_frame(pl.read_csv(io.BytesIO(raw), infer_schema=False), strings)
    except failures as exc:
        raise DataFileError(f"{path}: cannot read the {field} table: {_one_line(exc)}") from exc


def _panic_types() -> tuple[type[BaseException], ...]:
    """The exception a Rust panic inside polars surfaces as (``pyo3_runtime.PanicException``).

    It derives from ``BaseException``, not ``Exception``, so ``except Exception`` misses it;
    only this exact type is caught (never ``KeyboardInterrupt`` or ``SystemExit``).
    """
    import polars as pl

    panic = getattr(pl.exceptions, "PanicException", None)
    if isinstance(panic, type) and issubclass(panic, BaseException):
        return (panic,)
    return ()  # pragma: no cover - every supported polars has it


#: At most this many bad cells are listed per column; the rest are counted.
_MAX_CELLS = 1000


def _typed(frame: pl.DataFrame, field: str, path: Path, fmt: str) -> pl.DataFrame:
    """Cast each known column to its kind; report every cell that is not of that kind."""
    import polars as pl

    problems: list[Problem] = []
    columns: list[pl.Series] = []
    for name in frame.columns:
        series = frame.get_column(name)
        kind = _KINDS[field].get(name)
        if kind is not None:
            cast, bad, what = _as_kind(series, kind)
            if bad is not None:
                problems.extend(
                    _bad_cells(bad, path, fmt, column=name, expected=what, original=series)
                )
            series = cast
        columns.append(series)
    if problems:
        raise TableError(problems, table=str(path))
    return pl.DataFrame(columns)


_EXPECTED = {"int": "a whole number", "date": "a date (YYYY-MM-DD)"}


def _as_kind(series: pl.Series, kind: str) -> tuple[pl.Series, pl.Series | None, str]:
    """``(cast series, mask of bad cells or None, what they should be)``."""
    import polars as pl

    expected = _EXPECTED.get(kind, "text")
    if series.dtype == pl.Null:
        return series, None, expected
    if isinstance(series.dtype, pl.Enum | pl.Categorical):
        series = series.cast(pl.String)
    cast = {"int": _as_int, "date": _as_date}.get(kind, _as_text)(series)
    if cast is series:
        return series, None, expected
    bad = cast.is_null() & series.is_not_null()
    return cast.alias(series.name), (bad if bad.any() else None), expected


def _as_int(series: pl.Series) -> pl.Series:
    import polars as pl

    dtype = series.dtype
    if dtype.is_integer():
        return series.cast(pl.Int64)
    if dtype.is_float():
        whole = (series == series.round(0)) & series.is_finite() & (series.abs() < 2.0**62)
        cast = series.cast(pl.Int64, strict=False)
        return cast.scatter((~whole).fill_null(True).arg_true(), None)
    if dtype == pl.String:
        text = series.str.strip_chars()
        cast = text.str.to_integer(strict=False).cast(pl.Int64, strict=False)
        digits = text.str.contains(r"^[+-]?\d{1,18}$").fill_null(True)
        return cast.scatter((~digits).arg_true(), None)
    return pl.Series(series.name, [None] * len(series), dtype=pl.Int64)


def _as_date(series: pl.Series) -> pl.Series:
    import polars as pl

    dtype = series.dtype
    if dtype == pl.Date:
        return series
    if isinstance(dtype, pl.Datetime):
        return series.dt.date()
    if dtype == pl.String:
        return series.str.strip_chars().str.to_date("%Y-%m-%d", strict=False)
    return pl.Series(series.name, [None] * len(series), dtype=pl.Date)


def _as_text(series: pl.Series) -> pl.Series:
    import polars as pl

    if series.dtype == pl.String:
        return series
    return pl.Series(series.name, [None] * len(series), dtype=pl.String)


def _bad_cells(
    bad: pl.Series, path: Path, fmt: str, *, column: str, expected: str, original: pl.Series
) -> list[Problem]:
    """One problem per bad cell (up to :data:`_MAX_CELLS`, then a count of the rest)."""
    positions: list[int] = bad.arg_true().to_list()
    shown = positions[:_MAX_CELLS]
    rows = _row_numbers(path, fmt, shown)
    values = original.gather(shown).to_list()
    out = [
        _cell_problem(f"{path.name} row {row}, column {column}", expected, original.dtype, value)
        for row, value in zip(rows, values, strict=True)
    ]
    if len(positions) > _MAX_CELLS:
        out.append(
            Problem(
                "bad-type",
                f"{path.name} column {column}",
                f"… and {len(positions) - _MAX_CELLS} more cell(s) that must be {expected}",
            )
        )
    return out


_WHOLE = re.compile(r"^\s*[+-]?\d+\s*$")


def _cell_problem(location: str, expected: str, dtype: pl.DataType, value: object) -> Problem:
    """The problem of one bad cell: out of range (a whole number too large) or of a bad type."""
    import polars as pl

    whole = (isinstance(value, str) and _WHOLE.match(value)) or (
        isinstance(value, float) and value.is_integer()
    )
    if expected == _EXPECTED["int"] and whole:
        return Problem("out-of-range", location, f"{_short(value)} is too large a number")
    if isinstance(dtype, pl.List | pl.Array) or (isinstance(value, str) and value[:1] == "["):
        what = "a list"
    elif isinstance(dtype, pl.Struct) or (isinstance(value, str) and value[:1] == "{"):
        what = "an object"
    else:
        what = _short(value)
    return Problem("bad-type", location, f"must be {expected}, not {what}")


def _row_numbers(path: Path, fmt: str, positions: list[int]) -> list[int]:
    """Rows as the person sees them (the convention of :mod:`gridgov.io`).

    CSV: spreadsheet rows (the header is row 1); NDJSON: line numbers; Parquet: 1-based
    record positions.
    """
    if fmt == "csv":
        return [k + 2 for k in positions]
    if fmt == "ndjson":
        lines = _record_lines(path)
        return [lines[k] if k < len(lines) else k + 1 for k in positions]
    return [k + 1 for k in positions]


def _record_lines(path: Path) -> list[int]:
    """Line numbers (1-based) of the non-blank lines of an NDJSON file (read only on error)."""
    with path.open("rb") as fh:
        return [n for n, line in enumerate(fh, start=1) if line.strip()]


def inline_table_problems(data: Mapping[str, Any], source: str) -> list[Problem]:
    """Problems of tables written inline whose cells hold a list or an object.

    A table cell is a single value; a nested value cannot be a whole number, a date or an id,
    and the columnar engine cannot even hold it. Rows are 1-based record positions.

    Examples
    --------
    >>> inline_table_problems({"households": [{"id": "H1", "residents": [3]}]}, "x.json")
    [Problem(code='bad-type', location='x.json households row 1, column residents', \
message='must be a whole number, not a list')]
    """
    problems: list[Problem] = []
    for field in TABLE_FIELDS:
        value = data.get(field)
        known = _KINDS[field]
        cells: list[tuple[int, str, object]] = []
        if not _may_nest(value):
            continue
        if isinstance(value, list):
            cells = [
                (k, name, cell)
                for k, row in enumerate(value, start=1)
                if isinstance(row, Mapping)
                for name, cell in row.items()
                if isinstance(cell, list | dict)
            ]
        elif isinstance(value, Mapping) and not is_table_reference(value):
            cells = [
                (k, name, cell)
                for name, column in value.items()
                if isinstance(column, list)
                for k, cell in enumerate(column, start=1)
                if isinstance(cell, list | dict)
            ]
        problems.extend(
            _nested(f"{source} {field} row {k}, column {name}", known[name], cell)
            for k, name, cell in cells
            if name in known
        )
    if len(problems) > _MAX_CELLS:
        more = len(problems) - _MAX_CELLS
        problems = problems[:_MAX_CELLS]
        problems.append(Problem("bad-type", source, f"… and {more} more nested cell(s)"))
    return problems


def _may_nest(value: object) -> bool:
    """Whether an inline table may hold a nested cell (a quick pass at C speed: map, set)."""
    import itertools

    if isinstance(value, list) and set(map(type, value)) <= {dict}:
        cells = itertools.chain.from_iterable(map(dict.values, value))
    elif isinstance(value, dict) and set(map(type, value.values())) <= {list}:
        cells = itertools.chain.from_iterable(value.values())
    else:
        return isinstance(value, list | dict)  # odd shapes: look closely
    return not set(map(type, cells)).isdisjoint({list, dict})


def _nested(location: str, kind: str, cell: object) -> Problem:
    what = "a list" if isinstance(cell, list) else "an object"
    return Problem("bad-type", location, f"must be {_EXPECTED.get(kind, 'text')}, not {what}")


def _verified_bytes(path: Path, sha256: object, main: Path, max_bytes: int) -> bytes:
    """The file's bytes (a regular file, bounded), checked against the reference's hash.

    The bytes hashed are the bytes parsed, so the check cannot be raced.
    """
    if sha256 is not None and not (
        isinstance(sha256, str) and re.fullmatch(r"[0-9a-f]{64}", sha256)
    ):
        raise DataFileError(f"{main}: the reference to {path.name} has a malformed sha256")
    raw = read_bounded(path, max_bytes)
    if sha256 is not None and hashlib.sha256(raw).hexdigest() != sha256:
        raise TableMismatchError(
            f"{path}: refused: its SHA-256 does not match the one {main.name} records, so it "
            f"is not the table {main.name} was saved with (a mixture of two saves, or an edited "
            "file)"
        )
    return raw


def _beside(main: Path, name: str, where: str) -> Path:
    """The file ``name`` in the directory of ``main``; refuse anything that leaves it."""
    for flavour in (PurePosixPath, PureWindowsPath):
        pure = flavour(name)
        if pure.is_absolute() or pure.anchor or ".." in pure.parts:
            raise DataFileError(
                f"{where}: table file {name!r} must be a relative path inside {main.parent}"
            )
    base = main.parent.resolve()
    path = (main.parent / name).resolve()
    if not path.is_relative_to(base):
        raise DataFileError(f"{where}: table file {name!r} leads outside {main.parent}")
    return main.parent / name


def _format_from_suffix(path: Path, where: str) -> str:
    for fmt, suffix in TABLE_FORMATS.items():
        if path.suffix == suffix:
            return fmt
    raise DataFileError(f"{where}: cannot tell the format of {path.name}; add 'format'")


def _string_columns(field: str) -> list[str]:
    return [c.name for c in _TABLE_CLASSES[field].columns if c.kind in {"id", "str", "level"}]


_KINDS: dict[str, dict[str, str]] = {
    field: {c.name: c.kind for c in table.columns} for field, table in _TABLE_CLASSES.items()
}


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())
