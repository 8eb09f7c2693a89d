"""The table arrays of a JSON structure document, read straight into columns.

A city's document is mostly household and linked-household rows: a million small objects.
Parsed with :func:`json.loads` they cost a Python dict each (with the duplicate-key hook, a
Python call each), and :meth:`~gridgov.org.tables.Table.from_rows` then walks them again to
build columns. This module reads each table array from the document's bytes into a polars
frame without a Python object per row, and hands the rest of the document (the rich part:
organisations, people, posts …) to the ordinary parser with the table arrays cut out.

Which reader, and why
---------------------
polars, a core dependency, with two of its readers.

Rows laid out as :func:`gridgov.save` writes them (one per line, every key in column order,
one space after each colon and comma) are split at their commas by polars' CSV reader (no
quoting; in Rust, multi-threaded), and each field is checked against the one form it may
take and sliced to its cell (:func:`_as_saved`). No row is parsed as JSON and no key is
counted: measured on a million households, 0.6 s CPU against 1.2 s for the NDJSON reader.

Rows laid out any other way go to polars' NDJSON reader (simd-json, in Rust,
multi-threaded): the array's rows are put one per line, and ``pl.read_ndjson`` reads them
with the table's schema, refusing malformed JSON, raw control characters in strings, invalid
UTF-8, and, in an integer column, a quoted number, a fraction, an exponent, ``true`` or
anything too large. Line breaks become tabs first (both are white space between tokens, both
refused inside a string, so the text means what it meant), unless the rows are one per line
already. That reader took 2.1 s per million households before (``pl.read_csv`` cutting rows
at ``}``, then ``str.json_decode``: single-threaded and twice the work per row).
``pl.read_json`` on the array was 2.5× slower and coerces silently (``1.5`` read as an
integer 1); msgspec or orjson would be a new dependency for what polars already does.

What keeps the promises
-----------------------
The columnar read is *optimistic*: it is taken only when the array is plainly a table, and
anything it cannot vouch for sends the array back to the ordinary parser, which reports it
exactly as before (file, row, field; every problem; a duplicate key by its JSON path). An
array is read as columns by the NDJSON reader only when, all checked at C speed over its
bytes or its rows (:func:`_as_saved` says how the saved layout keeps the same promises):

* only white space comes before its first row and after its last (no trailing comma);
* it holds no backslash (so a quote always delimits a string and a key is a plain ``"name"``);
* every line is one row object that parses, no line is empty, and there is exactly one ``{``
  per row and no ``[`` or ``]`` (no nesting, no cut inside a string);
* every colon in it ends one of the table's column names written ``"name":`` (so there is no
  unknown key, and no ``:`` inside a string);
* no row gives a column name twice (counted per row: **a duplicated key is never read as
  columns**, and the ordinary parser then refuses the document naming the row);
* every text column's value is a JSON string or ``null`` (the quotes are twice the keys plus
  the text cells), so the cells are what :meth:`~gridgov.org.tables.Table.from_rows` would
  have received.

A key missing from a row takes the column's default, as in ``from_rows``. Depth and size are
bounded by the callers: :mod:`gridgov.io._json_fast` (which finds the arrays without scanning
the file) and :func:`gridgov.io.json_yaml._parse_json_columnar` (which scans it with numpy,
:func:`gridgov.io.safety.json_outline`). ``tests/io/test_json_yaml.py`` and
``tests/io/test_json_fast.py`` check, on generated structures broken in many ways, that a
load through the columns gives the structure, or the problems, of the ordinary parser.
"""

from __future__ import annotations

import mmap
import re
from typing import TYPE_CHECKING, Any, TypeAlias, cast

from gridgov.org.tables import AreaTable, HouseholdTable, LinkTable, Table

if TYPE_CHECKING:
    from collections.abc import Callable

    import numpy as np
    import numpy.typing as npt
    import polars as pl

__all__ = ["COLUMNAR_FIELDS", "MIN_ROWS", "split_tables"]

#: The structure fields whose arrays may be read as columns, and their tables.
COLUMNAR_FIELDS: dict[str, type[Table]] = {  # type: ignore[type-arg]  # any row model
    "areas": AreaTable,
    "households": HouseholdTable,
    "linked_households": LinkTable,
}
#: A whole document: its bytes, or the file mapped into memory.
Bytes: TypeAlias = bytes | mmap.mmap
#: Arrays with fewer rows go to the ordinary parser (nothing to gain there).
MIN_ROWS = 64
_WHITE = b" \t\r\n"
_TEXT_KINDS = frozenset({"id", "str", "level", "date"})
_SEPARATOR = "\x1f"  # a control character: never in valid JSON outside an escape
#: A cell of an integer column in the saved layout (see :func:`_as_saved`).
_SAVED_INT = r"-?(?:0|[1-9][0-9]*)"
_INDENT = b"    "  # of a row, as saved
_PEEK = 4096  # bytes enough to see how the first row is laid out
_SLICE = 1 << 22  # bytes compared at a time when counting


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
    raw: Bytes,
    opened: int,
    closed: int,
    table: type[Table],  # type: ignore[type-arg]  # any row model
    min_rows: int,
) -> pl.DataFrame | None:
    """The array ``raw[opened:closed + 1]`` as the table's columns, or ``None`` (see above)."""
    first, last = raw.find(b"{", opened, closed), raw.rfind(b"}", opened, closed)
    if first < 0 or raw[opened + 1 : first].strip(_WHITE) or raw[last + 1 : closed].strip(_WHITE):
        return None  # not rows, or something after the last row (a trailing comma)
    if raw.find(b"\\", first, last) >= 0:
        return None
    indent = first - len(_INDENT)
    saved = raw[indent:first] == _INDENT and _rows_on_lines(raw[first : first + _PEEK])
    frame = _as_saved(raw[indent : last + 1], table) if saved else None
    if frame is None:
        frame = _any_layout(raw[first : last + 1], table)  # the first row's brace to the last's
    return frame if frame is not None and frame.height >= max(min_rows, 1) else None


def _any_layout(
    body: bytes,
    table: type[Table],  # type: ignore[type-arg]  # any row model
) -> pl.DataFrame | None:
    """An array's body (first row's brace to last one's) as columns, rows laid out any way."""
    import polars as pl

    for as_written in dict.fromkeys([_rows_on_lines(body), False]):
        lines = _one_row_per_line(body, as_written=as_written)
        read = None if lines is None else _rows_read(lines, table)
        if read is not None:
            break
    else:
        return None
    lines, rows, frame = read
    # a column with a cell in every row has its key in every row; the others are counted
    counted = [c.name for c in table.columns if frame.get_column(c.name).null_count()]
    counts = pl.DataFrame({n: rows.str.count_matches(f'"{n}":', literal=True) for n in counted})
    colons = rows.str.count_matches(":", literal=True)
    if not _as_read(lines, frame, colons, counts, table):
        return None
    return _with_defaults(frame, counts, table)


def _as_saved(
    lines: bytes,
    table: type[Table],  # type: ignore[type-arg]  # any row model
) -> pl.DataFrame | None:
    """An array's rows as :func:`gridgov.save` writes them, as columns; else ``None``.

    ``lines``: from the start of the first row's line to the last row's closing brace. The
    saved layout is one row per line, indented by four spaces, every key in column order, one
    space after each colon and comma, ``null`` for an empty cell::

            { "id": "H1", "parent": "U1", "residents": 3, "start": null, "end": null },

    Such a line split at its commas (polars' CSV reader, no quoting, in Rust, multi-threaded)
    gives one field per column, read as null when it is its key and ``null``. Every other
    field must take its column's one form, checked a column at a time (no Python per row):

    * its key in its place, then, in a text column, a quote, anything, a quote, where the
      anything holds no quote, backslash or control character: a backslash or carriage
      return anywhere refuses the array, and the quotes and control characters are counted
      over it (two quotes a key and two a string, no byte below U+0020 but the line feeds);
      or, in an integer column, a JSON integer (a regular expression);
    * nothing after the comma that ends a line; every line but the last ends in ``},``, so
      the rows are the array's elements exactly: as every comma then ends a field, there is
      one comma per cell but one (the last row's), which is counted too.

    A comma inside a string splits a field, which then fails its form, or the count, or
    makes a row too long to read. No key can be missing, repeated or unknown, so these rows
    need none of the counting :func:`_as_read` does. Each cell is then the field with its
    fixed key and quotes sliced off: one pass per column.
    """
    import polars as pl

    if b"\r" in lines or b"\\" in lines:
        return None  # line ends other than the writer's, an escape
    columns = table.columns
    fields = [f"f{k}" for k in range(len(columns) + 1)]  # the last: after the row's comma
    heads = [("    { " if k == 0 else " ") + f'"{c.name}": ' for k, c in enumerate(columns)]
    tails = [""] * (len(columns) - 1) + [" }"]
    failures: tuple[type[BaseException], ...] = (*_failures(), KeyError)
    try:
        kinds = [_row_type(c.kind) for c in columns]
        split = pl.read_csv(
            lines,
            has_header=False,
            separator=",",
            quote_char=None,
            new_columns=fields,
            schema=dict.fromkeys(fields, pl.String),
            empty_string_is_null=False,
            # an empty cell, key and all, is read as null
            null_values={f: f"{h}null{t}" for f, h, t in zip(fields, heads, tails, strict=False)},
        )
    except failures:
        return None  # a kind this layout does not cover, invalid UTF-8, a row too long
    forms: list[pl.Expr] = [(pl.col(fields[-1]) == "").fill_null(False)]
    texts: list[pl.Expr] = []
    cells: list[pl.Expr] = []
    for field, head, tail, c, kind in zip(fields, heads, tails, columns, kinds, strict=False):
        cell, text = pl.col(field), c.kind in _TEXT_KINDS
        if text:  # its key, a quote, anything, a quote; the anything is checked below
            shortest = len(head) + len(tail) + 2
            form = cell.str.starts_with(f'{head}"') & cell.str.ends_with(f'"{tail}')
            forms.append((form & (cell.str.len_bytes() >= shortest)).fill_null(True))
            texts.append(cell.count())
        else:
            pattern = re.escape(head) + _SAVED_INT + re.escape(tail)
            forms.append(cell.str.contains(f"^{pattern}$").fill_null(True))
        cut = len(head) + text  # and the opening quote
        value = cell.str.slice(cut, cell.str.len_chars() - cut - len(tail) - text)
        cells.append(value.cast(kind).alias(c.name))
    try:
        checked = split.select(pl.all_horizontal(forms).all(), *texts).row(0)
        if not checked[0]:
            return None
        frame = split.select(cells)
    except _failures():
        return None  # an integer too large
    keys, strings = frame.height * len(columns), sum(checked[1:])
    if not (
        _count_byte(lines, b",") == keys - 1  # a comma ends every field but the last row's
        and _count_byte(lines, b'"') == 2 * (keys + strings)  # no quote inside a string
        and _count_byte(lines, b"\n") == _count_below(lines, 0x20)  # nor a control character
    ):
        return None
    return frame.rechunk()


def _count_byte(data: bytes | memoryview, byte: bytes) -> int:
    """How often ``byte`` occurs in ``data`` (numpy, a slice at a time: off the GIL, no copy)."""
    value = ord(byte)
    return _count(data, lambda part: part == value)


def _count_below(data: bytes | memoryview, limit: int) -> int:
    """How many bytes of ``data`` are below ``limit`` (as :func:`_count_byte`)."""
    return _count(data, lambda part: part < limit)


def _count(
    data: bytes | memoryview,
    test: Callable[[npt.NDArray[np.uint8]], npt.NDArray[np.bool_]],
    *,
    behind: int = 0,
) -> int:
    """How many places of ``data`` ``test`` marks, given ``data`` a slice at a time.

    numpy, off the GIL, no copy. With ``behind``, each slice but the first starts that many
    bytes early, so that ``test`` can look back across the cut (it then marks only from its
    ``behind``-th byte on: a pair of bytes, say, by its second byte).
    """
    import numpy as np

    view = np.frombuffer(data, dtype=np.uint8)
    return sum(
        int(np.count_nonzero(test(view[max(start - behind, 0) : start + _SLICE])))
        for start in range(0, len(view), _SLICE)
    )


def _rows_read(
    lines: bytes,
    table: type[Table],  # type: ignore[type-arg]  # any row model
) -> tuple[bytes, pl.Series, pl.DataFrame] | None:
    """NDJSON ``lines`` read as the table's cells, with each line's text; ``None`` if not rows."""
    import polars as pl

    if b"[" in lines or b"]" in lines:
        return None  # a nested array, or a bracket inside a string
    failures: tuple[type[BaseException], ...] = (*_failures(), KeyError)
    try:
        rows = _line_texts(lines)
        frame = pl.read_ndjson(lines, schema={c.name: _row_type(c.kind) for c in table.columns})
    except failures:
        return None  # not JSON, not one object per line, a wrong number, a column of floats
    n = lines.count(b"\n") + 1
    if not frame.height == rows.len() == n or lines.count(b"{") != n:
        return None  # an empty row (a trailing or doubled comma), a nested object, a brace
    return lines, rows, frame


def _as_read(
    lines: bytes,
    frame: pl.DataFrame,
    colons: pl.Series,
    counts: pl.DataFrame,
    table: type[Table],  # type: ignore[type-arg]  # any row model
) -> bool:
    """Whether the frame holds each row's cells as written.

    ``colons`` is each row's number of colons; ``counts`` how often each column that has an
    empty cell somewhere is written ``"name":`` in each row. A column with a cell in every
    row has its key at least once in every row, so a row whose colons are exactly those keys
    plus the counted ones gives every key once, has no unknown key and no colon in a string.
    """
    if any((counts.get_column(n).max() or 0) > 1 for n in counts.columns):  # type: ignore[operator]
        return False  # a key given twice in one row: the ordinary parser names it
    expected = _row_sums(counts, len(table.columns) - counts.width, colons.len())
    if not (colons == expected).all():
        return False  # a key given twice, an unknown key, or a colon inside a string
    text = [c.name for c in table.columns if c.kind in _TEXT_KINDS]
    strings = int(colons.sum()) + sum(frame.get_column(n).count() for n in text)
    return lines.count(b'"') == 2 * strings  # else a text cell holding a number or true


def _row_sums(counts: pl.DataFrame, plus: int, height: int) -> pl.Series:
    """Each row's sum of ``counts``, plus ``plus`` (a series of ``height`` rows)."""
    import polars as pl

    if not counts.width:
        return pl.Series([plus] * height, dtype=pl.UInt32)
    return counts.sum_horizontal() + plus


def _row_type(kind: str) -> Any:
    """How ``read_ndjson`` reads a kind of column (``KeyError`` for a kind it cannot vouch for).

    Text as text (a number or ``true`` would be turned into text: the quote count refuses
    those); whole numbers as Int64, which refuses a quoted number, a fraction, an exponent,
    ``true`` and anything too large.
    """
    import polars as pl

    if kind in _TEXT_KINDS:
        return pl.String
    return {"int": pl.Int64}[kind]


def _one_row_per_line(body: bytes, *, as_written: bool) -> bytes | None:
    """An array's body (between its brackets) as NDJSON: one row object per line.

    ``as_written``: the rows are already one per line (as :func:`gridgov.save` writes them),
    so only the comma after each row goes; every line but the last must end in ``},``, else
    (a row without the comma that separates it from the next) ``None``. Otherwise a line
    feed or carriage return becomes a tab first: all three are white space between tokens
    and all three are refused inside a string, so the text means what it meant; then each
    ``},`` ends a line, and rows not separated by a comma stay on one line, which then holds
    two braces. Either way, a cut inside a string leaves it open (strings here hold no
    quote, as there is no backslash), and the line then fails to parse.
    """
    if as_written:
        lines = body.replace(b"},\n", b"}\n")
        return lines if len(body) - len(lines) == lines.count(b"\n") else None
    return body.translate(_NEWLINES_TO_TABS).replace(b"},", b"}\n")


def _rows_on_lines(body: bytes) -> bool:
    """Whether the first row of an array's body ends on the line it starts on (a guess)."""
    start = body.find(b"{")
    end = body.find(b"}", start)
    newline = body.find(b"\n", start)
    return b"\r" not in body[:4096] and 0 <= start < end and (newline < 0 or end < newline)


_NEWLINES_TO_TABS = bytes.maketrans(b"\n\r", b"\t\t")


def _line_texts(lines: bytes) -> pl.Series:
    """Each line of ``lines`` as one text cell (polars' CSV reader, no quoting, no separator)."""
    import polars as pl

    return pl.read_csv(
        lines,
        has_header=False,
        separator=_SEPARATOR,
        quote_char=None,
        new_columns=["row"],
        infer_schema=False,
    ).get_column("row")


def _failures() -> tuple[type[BaseException], ...]:
    """What polars raises on input it cannot read (a Rust panic included)."""
    import polars as pl

    panic = getattr(pl.exceptions, "PanicException", pl.exceptions.PolarsError)
    return (pl.exceptions.PolarsError, ValueError, panic)


def _with_defaults(
    frame: pl.DataFrame,
    counts: pl.DataFrame,
    table: type[Table],  # type: ignore[type-arg]  # any row model
) -> pl.DataFrame:
    """A missing key takes its column's default, as in ``from_rows`` (``counts``: keys per row)."""
    columns: list[pl.Series] = []
    for c in table.columns:
        cells = frame.get_column(c.name)
        if c.default is not None and c.name in counts.columns:
            missing = counts.get_column(c.name) == 0
            if missing.any():
                default = cast("Any", c.default)
                cells = cells.zip_with(~missing, cells.clear(len(cells)).fill_null(default))
        columns.append(cells.alias(c.name))
    return frame.select(columns).rechunk()  # the reader leaves many chunks: slower to use
