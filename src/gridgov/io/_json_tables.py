"""The table arrays of a JSON structure document, read straight into columns.

A city's document is mostly household and linked-household rows: a million small objects.
Parsed with :func:`json.loads` they cost a Python dict each (with the duplicate-key hook, a
Python call each), and :meth:`~gridgov.org.tables.Table.from_rows` then walks them again to
build columns. This module reads each table array from the document's bytes into a polars
frame without a Python object per row, and hands the rest of the document (the rich part:
organisations, people, posts …) to the ordinary parser with the table arrays cut out.

Which reader, and why
---------------------
polars, a core dependency: ``pl.read_csv`` with ``}`` as the line end splits the array into
one text cell per row object (in Rust, multi-threaded), and ``str.json_decode`` parses each
row with simd-json into a struct of text fields, refusing malformed JSON, raw control
characters in strings and nested values. ``pl.read_json`` on the array was measured 2× slower
(it builds a tree of values first) and coerces silently (``1.5`` read as an integer 1);
msgspec or orjson would be a new dependency for what polars already does.

What keeps the promises
-----------------------
The columnar read is *optimistic*: it is taken only when the array is plainly a table, and
anything it cannot vouch for sends the array back to the ordinary parser, which reports it
exactly as before (file, row, field; every problem; a duplicate key by its JSON path). An
array is read as columns only when, all checked at C speed over its bytes or its rows:

* it holds no backslash (so a quote always delimits a string and a key is a plain ``"name"``);
* every row object parses (simd-json: no trailing comma, no control character, no nesting);
* every colon in it ends one of the table's column names written ``"name":`` (so there is no
  unknown key, and no ``:`` inside a string);
* no row gives a column name twice (counted per row: **a duplicated key is never read as
  columns**, and the ordinary parser then refuses the document naming the row);
* every text column's value is a JSON string or ``null`` and every integer column's value a
  JSON number of at most 18 digits or ``null`` (counted by quotes and checked by pattern), so
  the cells are what :meth:`~gridgov.org.tables.Table.from_rows` would have received.

A key missing from a row takes the column's default, as in ``from_rows``. Depth and size are
bounded before this runs: :func:`gridgov.io.safety.json_outline` scans the whole file with
numpy (which also finds where each top-level array lies) and ``read_bounded`` caps the size.
``tests/io/test_json_yaml.py`` checks, on generated structures broken in many ways, that a
load through the columns gives the structure, or the problems, of the ordinary parser.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

from gridgov.org.tables import AreaTable, HouseholdTable, LinkTable, Table

if TYPE_CHECKING:
    import polars as pl

__all__ = ["COLUMNAR_FIELDS", "MIN_ROWS", "split_tables"]

#: The structure fields whose arrays may be read as columns, and their tables.
COLUMNAR_FIELDS: dict[str, type[Table]] = {  # type: ignore[type-arg]  # any row model
    "areas": AreaTable,
    "households": HouseholdTable,
    "linked_households": LinkTable,
}
#: Arrays with fewer rows go to the ordinary parser (nothing to gain there).
MIN_ROWS = 64
_WHITE = b" \t\r\n"
_TEXT_KINDS = frozenset({"id", "str", "level", "date"})
_SEPARATOR = "\x1f"  # a control character: never in valid JSON outside an escape


def split_tables(
    raw: bytes, spans: list[tuple[int, int]], *, min_rows: int = MIN_ROWS
) -> tuple[bytes, dict[str, pl.DataFrame]]:
    """The document with its columnar table arrays cut out, and those tables as frames.

    Parameters
    ----------
    raw
        The whole JSON document (its depth already checked).
    spans
        Where the containers directly inside the top-level value open and close
        (:func:`gridgov.io.safety.json_outline`).
    min_rows
        Arrays with fewer rows are left to the ordinary parser.

    Returns
    -------
    tuple
        The document with each array read as columns replaced by ``[]`` (every key left in
        place, so duplicate keys and JSON paths are as in the original), and the frames by
        field. Arrays that are not plainly tables stay in the document.

    Examples
    --------
    >>> from gridgov.io.safety import json_outline
    >>> rows = ",".join(f'{{"id": "H{k}", "parent": "U1"}}' for k in range(64))
    >>> doc = ('{"name": "x", "households": [' + rows + ']}').encode()
    >>> rest, frames = split_tables(doc, json_outline(doc)[1])
    >>> rest, frames["households"].shape
    (b'{"name": "x", "households": []}', (64, 5))
    """
    start = len(raw) - len(raw.lstrip(_WHITE))
    if raw[start : start + 1] != b"{":
        return raw, {}
    pieces: list[bytes] = []
    frames: dict[str, pl.DataFrame] = {}
    done = 0
    for opened, closed in spans:
        if raw[opened] != ord("["):
            continue
        field = _key_before(raw, opened)
        table = COLUMNAR_FIELDS.get(field or "")
        if table is None or field is None:
            continue
        frame = _columns(raw, opened, closed, table, min_rows)
        if frame is None:
            continue
        frames[field] = frame
        pieces += [raw[done:opened], b"[]"]
        done = closed + 1
    if not frames:
        return raw, {}
    pieces.append(raw[done:])
    return b"".join(pieces), frames


def _key_before(raw: bytes, opened: int) -> str | None:
    """The member name right before the value that opens at ``opened`` (plain names only)."""
    head = raw[max(0, opened - 200) : opened].rstrip(_WHITE)
    if not head.endswith(b":"):
        return None
    head = head[:-1].rstrip(_WHITE)
    if not head.endswith(b'"'):
        return None
    begin = head.rfind(b'"', 0, len(head) - 1)
    name = head[begin + 1 : -1]
    if begin < 0 or b"\\" in name or not name.isascii():
        return None
    # the quote found must open the name: a comma or the top-level brace comes before it (a
    # backslash there would mean an escaped quote inside a longer name)
    if not head[:begin].rstrip(_WHITE).endswith((b",", b"{")):
        return None
    return name.decode("ascii")


def _columns(
    raw: bytes,
    opened: int,
    closed: int,
    table: type[Table],  # type: ignore[type-arg]  # any row model
    min_rows: int,
) -> pl.DataFrame | None:
    """The array ``raw[opened:closed + 1]`` as the table's columns, or ``None`` (see above)."""
    import polars as pl

    end = closed + 1
    if raw.count(b"\\", opened, end):
        return None
    rows = _row_texts(raw[opened + 1 : end], min_rows)
    if rows is None:
        return None
    names = [c.name for c in table.columns]
    counts = pl.DataFrame({n: rows.str.count_matches(f'"{n}":', literal=True) for n in names})
    if any((counts.get_column(n).max() or 0) > 1 for n in names):  # type: ignore[operator]
        return None  # a key given twice in one row: the ordinary parser names it
    keys = sum(int(counts.get_column(n).sum()) for n in names)
    if raw.count(b":", opened, end) != keys:
        return None  # an unknown key, a key written `"name" :`, or a colon inside a string
    try:
        schema = pl.Struct(dict.fromkeys(names, pl.String))
        frame = (rows + "}").str.json_decode(schema).struct.unnest()
    except _failures():
        return None
    strings = raw.count(b'"', opened, end) // 2 - keys
    return _typed(frame, counts, rows, table, strings)


def _row_texts(body: bytes, min_rows: int) -> pl.Series | None:
    """The text of each row object of an array's body (after its ``[``), without its ``}``.

    polars' CSV reader with ``}`` as the line end (and a separator and quote that valid JSON
    cannot hold) cuts the body at each ``}``: one cell per row, then the closing ``]``. A
    ``}`` inside a string cuts a string open, which then fails to parse as JSON.
    """
    import polars as pl

    try:
        pieces = pl.read_csv(
            body,
            has_header=False,
            separator=_SEPARATOR,
            quote_char=None,
            eol_char="}",
            new_columns=["row"],
            infer_schema=False,
        ).get_column("row")
    except _failures():
        return None
    if pieces.len() < max(min_rows, 1) + 1 or (pieces[-1] or "").strip(" \t\r\n") != "]":
        return None
    rows = pieces.head(pieces.len() - 1)
    # what lies between two rows is a comma and white space, before the first white space only
    if not (rows[0] or "").lstrip(" \t\r\n").startswith("{"):
        return None
    if not rows.slice(1).str.contains(r"^[ \t\r\n]*,[ \t\r\n]*\{").all():
        return None
    return rows.str.strip_chars_start(", \t\r\n")


def _failures() -> tuple[type[BaseException], ...]:
    """What polars raises on input it cannot read (a Rust panic included)."""
    import polars as pl

    panic = getattr(pl.exceptions, "PanicException", pl.exceptions.PolarsError)
    return (pl.exceptions.PolarsError, ValueError, panic)


def _typed(
    frame: pl.DataFrame,
    counts: pl.DataFrame,
    rows: pl.Series,
    table: type[Table],  # type: ignore[type-arg]  # any row model
    strings: int,
) -> pl.DataFrame | None:
    """Cells as ``from_rows`` would get them; ``None`` if a value is not of its JSON type.

    ``counts`` holds how often each column's name is a key, per row; ``strings`` is the
    number of string values in the array (quotes / 2 minus the keys).
    """
    import polars as pl

    text = [c.name for c in table.columns if c.kind in _TEXT_KINDS]
    if strings != sum(frame.get_column(n).count() for n in text):
        return None  # a text cell holding a number, true or false
    columns: list[pl.Series] = []
    for c in table.columns:
        cells = frame.get_column(c.name)
        if c.kind not in _TEXT_KINDS:
            if c.kind != "int" or rows.str.contains(f'"{re.escape(c.name)}":\\s*"').any():
                return None  # a quoted number
            if not cells.drop_nulls().str.contains(r"^-?\d{1,18}$").all():
                return None  # a fraction, an exponent, true/false or too large
            cells = cells.cast(pl.Int64)
        if c.default is not None:
            missing = counts.get_column(c.name) == 0
            if missing.any():
                default = cast("Any", c.default)
                cells = cells.zip_with(~missing, cells.clear(len(cells)).fill_null(default))
        columns.append(cells.alias(c.name))
    return pl.DataFrame(columns)
