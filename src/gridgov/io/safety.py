r"""Bounds on untrusted input, and neutralising what gridgov writes for spreadsheets.

A structure file or a ledger may come from anywhere, so every reader in :mod:`gridgov.io`
goes through these guards before it parses anything:

* **Size.** A file larger than ``max_bytes`` (default :data:`DEFAULT_MAX_BYTES`, 512 MiB) is
  refused before it is read; an XLSX workbook is also refused when its *uncompressed* size
  exceeds the bound (a zip bomb).
* **Nesting.** A JSON or YAML document nested deeper than ``max_depth`` (default
  :data:`DEFAULT_MAX_DEPTH`, 64) is refused before it is parsed, so a hostile file cannot
  exhaust the parser's recursion. gridgov's own files are at most 6 deep.
* **Nothing executes.** YAML is read with the safe loader only, and before that every event is
  scanned: any explicit tag (``!!python/object``, ``!!binary``, ``!custom`` …) and any alias
  (``*ref``, the "billion laughs" expansion) is refused. Spreadsheets are opened with
  ``read_only=True, data_only=False`` so a formula is seen as the formula text it is; any
  formula cell refuses the whole workbook (it is never evaluated, and its cached value is never
  trusted). gridgov never unpickles anything.
* **Spreadsheet injection on export.** A CSV cell that starts with ``=``, ``+``, ``-`` or ``@``
  (or a tab or carriage return, per OWASP) would be run as a formula by a spreadsheet that opens
  the file; :func:`neutralise_cell` prefixes such cells with ``'``. Cells that already start
  with ``'`` get one more, so :func:`restore_cell` undoes the escape exactly and a CSV round
  trip stays lossless.

Every refusal is an :class:`~gridgov.errors.UnsafeInputError` whose message starts with the
file name.

Examples
--------
>>> neutralise_cell('=HYPERLINK("http://x")')
'\'=HYPERLINK("http://x")'
>>> restore_cell(neutralise_cell("-3 households")), neutralise_cell("张三")
('-3 households', '张三')
>>> json_depth(b'{"a": [1, {"b": "]]]"}]}')
3
"""

from __future__ import annotations

import contextlib
import functools
import mmap
import os
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar

from gridgov.errors import DataFileError, UnsafeInputError, missing_extra
from gridgov.io._atomic import open_regular

if TYPE_CHECKING:
    import polars as pl

__all__ = [
    "CSV_TRIGGERS",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_DEPTH",
    "check_depth",
    "check_size",
    "json_depth",
    "json_outline",
    "mapped_bounded",
    "neutralise_cell",
    "neutralise_frame",
    "read_bounded",
    "read_xlsx_rows",
    "restore_cell",
    "restore_frame",
    "scan_yaml",
]

_T = TypeVar("_T")

#: Largest file read by default (bytes): 512 MiB.
DEFAULT_MAX_BYTES = 512 * 1024 * 1024
#: Deepest JSON/YAML nesting accepted by default.
DEFAULT_MAX_DEPTH = 64
#: First characters that make a spreadsheet treat a CSV cell as a formula.
CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_ESCAPE = "'"
_TRIGGER_PATTERN = r"^[=+\-@\t\r']"


def read_bounded(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read a whole file, refusing it when it is larger than ``max_bytes``.

    Parameters
    ----------
    path
        The file.
    max_bytes
        Largest size accepted.

    Returns
    -------
    bytes
        The file's content.

    Raises
    ------
    gridgov.errors.DataFileError
        When the file is missing, a directory or unreadable (the ``OSError`` is the cause).
    gridgov.errors.UnsafeInputError
        When it is larger than ``max_bytes``.

    Examples
    --------
    >>> read_bounded("no/such/file.json")
    Traceback (most recent call last):
    ...
    gridgov.errors.DataFileError: no/such/file.json: cannot read: no such file
    """
    p = Path(path)
    # special files report size 0: bound the read too
    data = _opened(p, max_bytes, lambda fh, _size: fh.read(max_bytes + 1))
    if len(data) > max_bytes:
        raise _too_large(p, len(data), max_bytes)
    return data


def _opened(p: Path, max_bytes: int, use: Callable[[BinaryIO, int], _T]) -> _T:
    """``use(file, size)`` on ``p`` opened if regular and not over ``max_bytes``; errors named."""
    try:
        with open_regular(p) as fh:  # a FIFO or device is refused, never blocks
            size = os.fstat(fh.fileno()).st_size
            if size > max_bytes:
                raise _too_large(p, size, max_bytes)
            return use(fh, size)
    except OSError as exc:
        raise DataFileError(f"{p}: cannot read: {_os_reason(exc)}") from exc


@contextlib.contextmanager
def mapped_bounded(
    path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[mmap.mmap | bytes]:
    """A whole file's bytes mapped into memory (read-only), refused as :func:`read_bounded` does.

    For a large document read in parts (:mod:`gridgov.io._json_fast`): the pages come
    straight from the operating system's file cache, with no copy into a new ``bytes`` and
    no fault per fresh page (a quarter of a second for a 439 MB document). The map is closed
    when the block ends, so nothing read may keep a view of it. An empty file gives ``b""``.

    A file another program *shortens* while it is mapped makes reading past its new end
    fail with ``SIGBUS``, as with any memory map; :func:`gridgov.save` never does that (it
    writes a new file and renames it over the old one, whose pages stay as they were).

    Raises
    ------
    gridgov.errors.DataFileError, gridgov.errors.UnsafeInputError
        As :func:`read_bounded`.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "x.json"
    >>> _ = path.write_bytes(b'{"name": "x"}')
    >>> with mapped_bounded(path) as data:
    ...     data[:9]
    b'{"name": '
    """
    mapped = _opened(Path(path), max_bytes, _mapped)
    if mapped is None:
        yield b""
        return
    with mapped:
        yield mapped


def _mapped(fh: BinaryIO, size: int) -> mmap.mmap | None:
    """``fh``'s file mapped read-only (``None`` when empty), its pages mapped at once on Linux.

    ``MAP_POPULATE`` maps every page of the file in one call, where touching them one by one
    would fault once per 64 KiB: the whole file is read in any case.
    """
    if not size:
        return None
    populate = getattr(mmap, "MAP_POPULATE", 0)
    if populate:
        flags = mmap.MAP_SHARED | populate
        return mmap.mmap(fh.fileno(), 0, flags=flags, prot=mmap.PROT_READ)
    return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)


def check_size(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    """Refuse a file larger than ``max_bytes`` without reading it (see :func:`read_bounded`)."""
    p = Path(path)
    try:
        if not p.is_file():
            what = "not a file" if p.exists() else "no such file"
            raise DataFileError(f"{p}: cannot read: {what}")
        size = p.stat().st_size
    except OSError as exc:
        raise DataFileError(f"{p}: cannot read: {_os_reason(exc)}") from exc
    if size > max_bytes:
        raise _too_large(p, size, max_bytes)


def _too_large(p: Path, size: int, max_bytes: int) -> UnsafeInputError:
    return UnsafeInputError(
        f"{p}: refused: {size:,} bytes is larger than the limit of {max_bytes:,} bytes "
        "(pass max_bytes= to raise it)"
    )


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return exc.strerror or str(exc)


# -- nesting ------------------------------------------------------------------------------
def json_depth(data: bytes | bytearray | memoryview, *, stop_above: int | None = None) -> int:
    r"""Deepest nesting of arrays and objects in a JSON document, without parsing it.

    Brackets inside strings are ignored (a quote preceded by an odd run of backslashes does
    not end a string). The scan walks the bytes in chunks of :data:`_SCAN_CHUNK` with numpy,
    looking only at the few bytes that matter (``"``, ``\``, brackets), so it runs at C speed
    and its memory is bounded by the chunk, not the document: a few MiB whatever the file
    size. With ``stop_above``, it returns as soon as the depth exceeds that bound.

    Examples
    --------
    >>> json_depth(rb'[["\\", "\"]["], {}]')
    2
    >>> json_depth(b"[" * 100 + b"]" * 100, stop_above=64) > 64
    True
    """
    return _json_depth(data, stop_above, _SCAN_CHUNK)


def json_outline(
    data: bytes | bytearray | memoryview, *, stop_above: int | None = None
) -> tuple[int, list[tuple[int, int]]]:
    r"""The nesting depth of a JSON document and where its top-level members' containers lie.

    The same scan as :func:`json_depth` (numpy over chunks, strings skipped), which also
    notes the byte offsets of every array or object opened directly inside the top-level
    value and of its closing bracket: for a structure document, where each table's array
    starts and ends, found without parsing anything. With ``stop_above``, the scan stops as
    soon as the depth exceeds it (the spans are then incomplete).

    Examples
    --------
    >>> json_outline(b'{"a": [1, {"x": "]"}], "b": 2, "c": {}}')
    (3, [(6, 20), (36, 37)])
    """
    spans: list[tuple[int, int]] = []
    return _json_scan(data, stop_above, _SCAN_CHUNK, spans), spans


def _json_depth(data: bytes | bytearray | memoryview, stop_above: int | None, size: int) -> int:
    """:func:`json_depth` with chunks of ``size`` bytes (tests use tiny chunks)."""
    return _json_scan(data, stop_above, size, None)


def _json_scan(
    data: bytes | bytearray | memoryview,
    stop_above: int | None,
    size: int,
    spans: list[tuple[int, int]] | None,
) -> int:
    """The depth scan; with ``spans``, also the containers that open at depth 1 (see above)."""
    import numpy as np

    interesting, step = _lookup()
    view = np.frombuffer(data, dtype=np.uint8)
    depth = peak = 0
    in_string = 0  # 1 while inside a string at a chunk boundary
    run = 0  # backslashes that end the previous chunk
    opened: list[int] = []
    closed: list[int] = []
    for start in range(0, len(view), size):
        chunk = view[start : start + size]
        pos = np.flatnonzero(interesting[chunk])
        if not len(pos):
            run = 0
            continue
        codes = chunk[pos]
        backslash = codes == _BACKSLASH
        quotes = codes == _QUOTE
        if run or backslash.any():  # most chunks have no escapes at all
            escaped, run = _escaped_quotes(pos, backslash, run, len(chunk))
            quotes &= ~escaped
        quotes_before = np.cumsum(quotes, dtype=np.int64) - quotes
        outside = ((quotes_before + in_string) & 1) == 0
        steps = step[codes] * outside
        levels = np.cumsum(steps, dtype=np.int64) + depth
        peak = max(peak, int(levels.max()))
        depth = int(levels[-1])
        in_string = int((in_string + int(quotes.sum())) & 1)
        if stop_above is not None and peak > stop_above:
            break
        if spans is not None:
            opened += (pos[(steps == 1) & (levels == 2)] + start).tolist()
            closed += (pos[(steps == -1) & (levels == 1)] + start).tolist()
    if spans is not None:
        spans.extend(zip(opened, closed, strict=False))
    return peak


def _escaped_quotes(pos: Any, backslash: Any, carried: int, size: int) -> tuple[Any, int]:
    """Which interesting bytes follow an odd run of backslashes, and the run ending the chunk.

    ``pos`` are the positions of the interesting bytes in a chunk of ``size`` bytes,
    ``backslash`` marks those that are backslashes, ``carried`` is the run of backslashes
    ending the previous chunk.
    """
    import numpy as np

    k = np.arange(len(pos))
    adjacent = np.zeros(len(pos), dtype=bool)
    adjacent[1:] = (pos[1:] == pos[:-1] + 1) & backslash[:-1]
    starts = backslash & ~adjacent
    first_of_run = np.maximum.accumulate(np.where(starts, k, 0))
    length = k - first_of_run + 1  # for a backslash: its place in its run
    if pos[0] == 0 and backslash[0]:
        length[first_of_run == 0] += carried  # the run goes on from the previous chunk
    before = np.zeros(len(pos), dtype=np.int64)  # backslashes right before each byte
    before[1:] = np.where(adjacent[1:], length[:-1], 0)
    if pos[0] == 0:
        before[0] = carried
    escaped = (before & 1) == 1
    trailing = int(length[-1]) if backslash[-1] and pos[-1] == size - 1 else 0
    return escaped, trailing


#: Bytes the depth scan looks at in one step (bounds its memory: about 40 bytes per byte
#: of a chunk in the worst case, 10 MiB; typical JSON needs far less).
_SCAN_CHUNK = 1 << 18
_QUOTE, _BACKSLASH = ord('"'), ord("\\")


@functools.cache
def _lookup() -> tuple[Any, Any]:
    """Byte tables: which bytes the depth scan looks at, and each one's step in depth."""
    import numpy as np

    interesting = np.zeros(256, dtype=bool)
    step = np.zeros(256, dtype=np.int64)
    for byte in b'"\\[]{}':
        interesting[byte] = True
    step[ord("[")] = step[ord("{")] = 1
    step[ord("]")] = step[ord("}")] = -1
    return interesting, step


def check_depth(obj: Any, max_depth: int, source: str) -> None:
    """Refuse a parsed object nested deeper than ``max_depth`` (iterative: never recurses)."""
    stack: list[tuple[Any, int]] = [(obj, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list | tuple):
            children = item
        else:
            continue
        depth += 1
        if depth > max_depth:
            raise _too_deep(source, max_depth)
        stack.extend((c, depth) for c in children if isinstance(c, dict | list | tuple))


def _too_deep(source: str, max_depth: int, where: str = "") -> UnsafeInputError:
    return UnsafeInputError(
        f"{source}: refused: nested deeper than {max_depth} levels{where} "
        "(pass max_depth= to raise it)"
    )


# -- YAML ---------------------------------------------------------------------------------
def scan_yaml(text: str, source: str, max_depth: int = DEFAULT_MAX_DEPTH) -> None:
    """Refuse YAML with a tag, an alias or nesting deeper than ``max_depth``, before loading.

    The scan reads parser events only (nothing is constructed), so a refused document never
    reaches a constructor.

    Raises
    ------
    gridgov.errors.UnsafeInputError
        Naming the file and the line.
    gridgov.errors.DataFileError
        When the text is not YAML at all.
    """
    yaml = _yaml()
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    depth = 0
    try:
        for event in yaml.parse(text, Loader=loader):
            line = f" (line {event.start_mark.line + 1})" if event.start_mark else ""
            if isinstance(event, yaml.AliasEvent):
                raise UnsafeInputError(
                    f"{source}: refused: YAML alias *{event.anchor}{line}; "
                    "gridgov files never use anchors or aliases"
                )
            tag = getattr(event, "tag", None)
            if tag is not None:
                raise UnsafeInputError(
                    f"{source}: refused: YAML tag {_short_tag(tag)!r}{line}; "
                    "gridgov reads plain YAML only and never constructs tagged objects"
                )
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > max_depth:
                    raise _too_deep(source, max_depth, line)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as exc:
        if "nesting depth" in str(exc):  # libyaml's own bound, below ours only if max_depth is
            raise _too_deep(source, max_depth) from exc
        raise DataFileError(f"{source}: not valid YAML: {_one_line(exc)}") from exc


def _short_tag(tag: str) -> str:
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix) :] if tag.startswith(prefix) else tag


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def _yaml() -> Any:
    try:
        import yaml
    except ImportError:  # pragma: no cover - pyyaml is in the dev environment
        raise missing_extra("yaml", "io", "YAML files") from None
    return yaml


# -- spreadsheets -------------------------------------------------------------------------
def read_xlsx_rows(
    path: str | os.PathLike[str],
    *,
    sheet: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> list[tuple[Any, ...]]:
    """The cell values of one worksheet, refusing any workbook with a formula.

    The workbook is opened with openpyxl ``read_only=True, data_only=False``: a formula cell
    reads as its formula text (``"=SUM(A1:A3)"``), which is detected and refused, never
    evaluated; cached results are never used.

    Parameters
    ----------
    path
        The ``.xlsx`` file.
    sheet
        Worksheet name; the first (active) sheet if ``None``.
    max_bytes
        Bound on the file size and on the workbook's uncompressed size.

    Returns
    -------
    list of tuple
        One tuple of values per row, row 1 first.

    Raises
    ------
    gridgov.errors.UnsafeInputError
        A formula (all formula cells are named, up to 20), or a workbook too large.
    gridgov.errors.DataFileError
        Not an XLSX workbook, or no such sheet.
    """
    import zipfile

    p = Path(path)
    check_size(p, max_bytes)
    try:
        with zipfile.ZipFile(p) as zf:
            unpacked = sum(info.file_size for info in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise DataFileError(f"{p}: not an XLSX workbook: {_one_line(exc)}") from exc
    if unpacked > max_bytes:
        raise UnsafeInputError(
            f"{p}: refused: the workbook unpacks to {unpacked:,} bytes, more than the limit of "
            f"{max_bytes:,} bytes"
        )
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - openpyxl is in the dev environment
        raise missing_extra("openpyxl", "io", "XLSX ledgers") from None
    with warnings.catch_warnings():
        # openpyxl warns about workbook features it drops (styles, extensions); the cell
        # values read here do not depend on them
        warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
        title, rows, formulas = _xlsx_cells(openpyxl, p, sheet)
    if formulas:
        shown = ", ".join(formulas[:20]) + (" …" if len(formulas) > 20 else "")
        raise UnsafeInputError(
            f"{p}: refused: {len(formulas)} formula cell(s) in sheet {title!r} ({shown}); "
            "formulas are never evaluated: paste values instead"
        )
    return rows


def _xlsx_cells(
    openpyxl: Any, p: Path, sheet: str | None
) -> tuple[str, list[tuple[Any, ...]], list[str]]:
    """``(sheet title, rows of values, formula cells)`` of one worksheet.

    openpyxl parses worksheets lazily, so a broken workbook can fail while its rows are read
    (``ParseError``, ``ValueError``, ``IndexError``, ``TypeError``… there is no common base):
    any such failure, at opening or reading, is a :class:`~gridgov.errors.DataFileError`
    naming the file.
    """
    try:
        fh = p.open("rb")  # gridgov's own handle: openpyxl leaks its own when it fails
    except OSError as exc:
        raise DataFileError(f"{p}: cannot read: {_os_reason(exc)}") from exc
    with fh:
        try:
            book = openpyxl.load_workbook(fh, read_only=True, data_only=False)
        except Exception as exc:  # openpyxl raises many kinds for a broken workbook
            raise DataFileError(f"{p}: not a readable XLSX workbook: {_one_line(exc)}") from exc
        try:
            return _worksheet_cells(book, p, sheet)
        except DataFileError:
            raise
        except Exception as exc:  # a worksheet that does not parse (see above)
            raise DataFileError(
                f"{p}: not a readable XLSX workbook: a worksheet does not parse: {_one_line(exc)}"
            ) from exc
        finally:
            book.close()


def _worksheet_cells(
    book: Any, p: Path, sheet: str | None
) -> tuple[str, list[tuple[Any, ...]], list[str]]:
    if sheet is not None and sheet not in book.sheetnames:
        raise DataFileError(
            f"{p}: no sheet {sheet!r}; sheets: {', '.join(book.sheetnames) or '(none)'}"
        )
    if sheet is None and not book.worksheets:
        raise DataFileError(f"{p}: the workbook has no worksheet")
    ws = book[sheet] if sheet is not None else (book.active or book.worksheets[0])
    rows: list[tuple[Any, ...]] = []
    formulas: list[str] = []
    for r, row in enumerate(ws.iter_rows(), start=1):
        values = []
        for c, cell in enumerate(row, start=1):
            value = cell.value
            if getattr(cell, "data_type", None) == "f" or (
                isinstance(value, str) and value.startswith("=")
            ):
                formulas.append(f"{_column_letter(c)}{r}")
            values.append(value)
        rows.append(tuple(values))
    return str(ws.title), rows, formulas


def _column_letter(index: int) -> str:
    """Spreadsheet column letters of a 1-based column index (1 → A, 28 → AB)."""
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


# -- CSV neutralising ---------------------------------------------------------------------
def neutralise_cell(value: str) -> str:
    """Prefix ``'`` to a cell a spreadsheet would read as a formula (or that starts with ``'``).

    Examples
    --------
    >>> [neutralise_cell(v) for v in ["=1+1", "+86", "@SUM", "-2", "'quoted", "ok"]]
    ["'=1+1", "'+86", "'@SUM", "'-2", "''quoted", 'ok']
    """
    if value[:1] in CSV_TRIGGERS or value.startswith(_ESCAPE):
        return _ESCAPE + value
    return value


def restore_cell(value: str) -> str:
    """Undo :func:`neutralise_cell` (drop one leading ``'``)."""
    return value[1:] if value.startswith(_ESCAPE) else value


def neutralise_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Apply :func:`neutralise_cell` to every string column of a polars frame (vectorised)."""
    import polars as pl

    return frame.with_columns(
        pl.when(pl.col(name).str.contains(_TRIGGER_PATTERN))
        .then(pl.lit(_ESCAPE) + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name, dtype in frame.schema.items()
        if dtype == pl.String
    )


def restore_frame(frame: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    """Apply :func:`restore_cell` to the named string columns of a polars frame."""
    import polars as pl

    return frame.with_columns(
        pl.when(pl.col(name).str.starts_with(_ESCAPE))
        .then(pl.col(name).str.slice(1))
        .otherwise(pl.col(name))
        .alias(name)
        for name in columns
        if name in frame.columns
    )
