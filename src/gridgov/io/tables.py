"""Many-row tables (areas, households, linked households) in files beside the main file.

A city's structure file would be mostly household rows, so :func:`gridgov.io.save` can put the
three columnar tables in their own files, next to the main file, as NDJSON, CSV or Parquet
(polars reads and writes all three natively; Parquet is the compact, typed choice):

``save(city, "city.json", tables="parquet")`` writes ``city.areas.parquet``,
``city.households.parquet``, ``city.linked_households.parquet`` and ``city.json``, in which each
table field is a reference::

    "households": {"file": "city.households.parquet", "format": "parquet", "rows": 1000000}

:func:`gridgov.io.load` reads the references back. A reference must name a file in the main
file's own directory (no absolute paths, no ``..``), is bounded in size like every input, and
its row count must match. CSV cells are neutralised against spreadsheet formula injection on
write and restored on read (:func:`~gridgov.io.safety.neutralise_cell`), so the round trip is
lossless in every format.

Examples
--------
>>> table_file("data/city.json", "households", "parquet").as_posix()
'data/city.households.parquet'
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import IO, TYPE_CHECKING, Any, Literal

from gridgov.errors import DataFileError
from gridgov.io._atomic import Writer
from gridgov.io.safety import (
    DEFAULT_MAX_BYTES,
    check_size,
    neutralise_frame,
    restore_frame,
)
from gridgov.org.tables import AreaTable, HouseholdTable, LinkTable, Table

if TYPE_CHECKING:
    import polars as pl

    from gridgov.org.structure import Structure

__all__ = [
    "TABLE_FIELDS",
    "TABLE_FORMATS",
    "TableFormat",
    "is_table_reference",
    "read_table",
    "resolve_tables",
    "table_file",
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
_REFERENCE_KEYS = frozenset({"file", "format", "rows"})


def table_file(main: str | os.PathLike[str], field: str, fmt: str) -> Path:
    """Path of the ``field`` table beside ``main`` (``city.json`` → ``city.households.csv``)."""
    p = Path(main)
    stem = p.name[: -len(p.suffix)] if p.suffix else p.name
    return p.with_name(f"{stem}.{field}{_suffix(fmt)}")


def _suffix(fmt: str) -> str:
    try:
        return TABLE_FORMATS[fmt]
    except KeyError:
        raise ValueError(
            f"unknown table format {fmt!r}; choose one of {', '.join(TABLE_FORMATS)}"
        ) from None


def table_targets(
    structure: Structure, main: str | os.PathLike[str], fmt: str
) -> tuple[list[tuple[Path, Writer]], dict[str, dict[str, Any]]]:
    """The table files to write beside ``main`` and the references that replace the fields.

    Returns
    -------
    targets
        ``(path, writer)`` pairs for :func:`gridgov.io._atomic.atomic_write_many`.
    references
        ``{field: {"file": name, "format": fmt, "rows": n}}`` for the main file.
    """
    _suffix(fmt)
    targets: list[tuple[Path, Writer]] = []
    refs: dict[str, dict[str, Any]] = {}
    for field in TABLE_FIELDS:
        frame = getattr(structure, field).frame
        path = table_file(main, field, fmt)
        targets.append((path, functools.partial(_write_frame, frame, fmt)))
        refs[field] = {"file": path.name, "format": fmt, "rows": frame.height}
    return targets, refs


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
    """Replace every table reference in loaded ``data`` by the table read from its file."""
    out = dict(data)
    for field in TABLE_FIELDS:
        value = data.get(field)
        if is_table_reference(value):
            assert isinstance(value, Mapping)
            out[field] = read_table(value, main, field, max_bytes=max_bytes)
    return out


def read_table(
    reference: Mapping[str, Any],
    main: str | os.PathLike[str],
    field: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> pl.DataFrame:
    """Read the table a reference in ``main`` points to, as a polars frame.

    The frame is not yet validated: the structure's table field does that (every bad cell,
    with its row and column).

    Raises
    ------
    gridgov.errors.DataFileError
        A malformed reference, a file outside the main file's directory, an unreadable file
        or a row count that does not match.
    """
    import polars as pl

    main_path = Path(main)
    where = f"{main_path}: {field}"
    unknown = sorted(set(reference) - _REFERENCE_KEYS)
    name = reference.get("file")
    if unknown or not isinstance(name, str) or not name:
        raise DataFileError(
            f"{where}: a table reference is {{'file': NAME, 'format': FORMAT, 'rows': N}}"
            + (f"; unknown key(s) {', '.join(unknown)}" if unknown else "")
        )
    path = _beside(main_path, name, where)
    fmt = reference.get("format") or _format_from_suffix(path, where)
    if fmt not in TABLE_FORMATS:
        raise DataFileError(
            f"{where}: unknown table format {fmt!r}; use {', '.join(TABLE_FORMATS)}"
        )
    check_size(path, max_bytes)
    strings = _string_columns(field)
    try:
        if fmt == "parquet":
            frame = pl.read_parquet(path)
        elif fmt == "ndjson":
            frame = pl.read_ndjson(path, schema=_ndjson_schema(field))
        else:
            frame = restore_frame(pl.read_csv(path, infer_schema=False), strings)
    except (OSError, pl.exceptions.PolarsError, ValueError) as exc:
        raise DataFileError(f"{path}: cannot read the {field} table: {_one_line(exc)}") from exc
    rows = reference.get("rows")
    if rows is not None and rows != frame.height:
        raise DataFileError(
            f"{path}: has {frame.height} rows but {main_path.name} says {rows}: "
            "the files do not belong together"
        )
    return frame


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


def _ndjson_schema(field: str) -> dict[str, Any]:
    import polars as pl

    return {
        c.name: (pl.Int64 if c.kind == "int" else pl.String) for c in _TABLE_CLASSES[field].columns
    }


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())
