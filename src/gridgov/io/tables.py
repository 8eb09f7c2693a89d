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

from gridgov.errors import DataFileError, TableMismatchError
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
    source = io.BytesIO(_verified_bytes(path, reference.get("sha256"), main_path, max_bytes))
    strings = _string_columns(field)
    try:
        if fmt == "parquet":
            frame = pl.read_parquet(source)
        elif fmt == "ndjson":
            frame = pl.read_ndjson(source, schema=_ndjson_schema(field))
        else:
            frame = restore_frame(pl.read_csv(source, infer_schema=False), strings)
    except (OSError, pl.exceptions.PolarsError, ValueError) as exc:
        raise DataFileError(f"{path}: cannot read the {field} table: {_one_line(exc)}") from exc
    rows = reference.get("rows")
    if rows is not None and rows != frame.height:
        raise DataFileError(
            f"{path}: has {frame.height} rows but {main_path.name} says {rows}: "
            "the files do not belong together"
        )
    return frame


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


def _ndjson_schema(field: str) -> dict[str, Any]:
    import polars as pl

    return {
        c.name: (pl.Int64 if c.kind == "int" else pl.String) for c in _TABLE_CLASSES[field].columns
    }


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())
