"""A structure document read in one pass of each fast reader, or not at all.

:func:`gridgov.io.load` first tries this path on a JSON document. It reads

* the areas, households and linked-households arrays straight into columns
  (:mod:`gridgov.io._json_tables`: polars' readers, no Python object per row), checked as
  tables, with the indexes the structure's checks need from them alone built and kept on
  them, all in a second thread, while
* the rest, the *rich part* (organisations, people, posts …), is read in this one with
  pydantic's ``validate_json``: parsed and validated in Rust, no intermediate dicts,

and checks, at C speed, everything the ordinary path promises: no key twice in an object, no
``NaN``, nesting within ``max_depth``, valid UTF-8. It is *optimistic*: whenever it cannot
vouch for a document it returns ``None`` and the ordinary path (:func:`gridgov.io.json_yaml.
_parse_json_columnar`) reads the file as it always has, so every error, with its file, row and
field, is the ordinary path's. ``tests/io/test_json_fast.py`` checks this on generated
documents, valid and broken.

Where the tables are, without scanning the file
-----------------------------------------------
The ordinary path finds each top-level array with a numpy scan of every byte (to tell strings
from structure). Here a table is *guessed*: the first ``"households"`` followed by ``: [``,
and the first ``]`` after it. The guess is then proved, not trusted:

* the body must read as a table (one flat object per row, no backslash, so every quote
  delimits a string, see :mod:`gridgov.io._json_tables`); a ``[`` found inside a string would
  start a body whose quotes are out of step, and that does not read as rows;
* the array is replaced by a random string token, and after ``validate_json`` of what is left
  the top-level ``households`` member must *be* that token: so the guess was the value of the
  top-level member, outside any string, and the document with the array put back is the
  document that was read.

Duplicate keys without a hook per object
----------------------------------------
``validate_json`` keeps the last value of a repeated key without a word. So the keys are
counted twice: in the bytes (``":``, which in text without backslashes ends every key and
nothing else, unless a string *starts* with a colon, which can only count too many) and in
the validated models (the fields each object set, ``model_fields_set``, walked over every
model, dict and list). Equal counts mean no object gave a key twice. When the bytes cannot be
counted exactly (a backslash, a colon inside a string, ``NaN`` somewhere), the rich part is
parsed once more by the ordinary duplicate-refusing parser, only as a check.

The same walk measures the depth of what was read, so ``max_depth`` is enforced without a
scan of the file; ``validate_json``'s own recursion limit guards the parser itself.

Long arrays, a slice at a time
------------------------------
``validate_json`` parses its whole input into a tree in Rust before it makes one model, so
the people of a million-household city (80 MB of JSON) would cost their tree and their models
at once. A long array of models that hold no array (people, posts, appointments …) is
guessed as a table is, cut out as well, and validated about :data:`CHUNK_BYTES` at a time:
cut after a row's ``}`` and the comma that follows it, each slice put between brackets. A
slice that reads as an array on its own proves the cut lay between two rows (a cut inside a
string or a nested object leaves a slice that is not JSON), so the slices' rows are the
array's rows. An array whose slices do not all read is left in the rest. The keys and depth
of each array's models are counted as the rest's are. On the million-household city this
lowers the peak memory of ``gridgov validate`` from 2.6 GB to 2.1 GB (``/usr/bin/time -f %M``)
and its page faults by a seventh; the time it takes is unchanged.

Two threads
-----------
pydantic holds the GIL while it validates; polars and numpy let it go while they work. So
the tables are read in a second thread, and the two halves of a million-household document
take about the time of the longer one (on two cores: 3.3 s in all against 5.1 s one after
the other, ``bench/bench_city.py``). While both run, the interpreter hands the GIL to a
waiting thread after 0.2 ms rather than 5 ms (:func:`gridgov._bulk.gil_handoffs`): the
second thread makes many short calls into polars, each of which needs the GIL back. Polars
is imported before the second thread starts: an import there would wait on the GIL for
most of the validation.
"""

from __future__ import annotations

import functools
import operator
import re
import secrets
import types
import typing
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeAlias

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, create_model

from gridgov._bulk import gil_handoffs
from gridgov.errors import DataFileError, TableError
from gridgov.io._json_tables import (
    _WHITE,
    COLUMNAR_FIELDS,
    MIN_ROWS,
    Bytes,
    _columns,
    _count,
    _count_byte,
)
from gridgov.io.json_yaml import _SCHEMA_KEY, _json_loads, _utf8
from gridgov.org import Structure
from gridgov.org._base import GridgovModel
from gridgov.org.tables import AreaTable, HouseholdTable, LinkTable, Table

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    import polars as pl

__all__ = ["CHUNK_BYTES", "read_fast"]

#: What stands for a table read as columns, before a random suffix.
_STAND_IN = "gridgov-table-"
#: How many occurrences of a table's quoted name are tried before giving up.
_TRIES = 4
#: How far into an array its rows are counted, to tell a table worth reading as columns.
_LOOK_AHEAD = 1 << 16
#: Some of a document's bytes: the document (or what is left of it), where they start and end.
Piece: TypeAlias = tuple[Bytes, int, int]
#: The long arrays read a slice at a time, by field: each one's span and its models.
Sliced: TypeAlias = dict[str, tuple[tuple[int, int], tuple[Any, ...]]]
#: About how many bytes of a long array of flat models are validated at a time.
CHUNK_BYTES = 1 << 22
#: Where one row of an array ends and the next begins: ``}``, a comma, then ``{``.
_ROW_END = re.compile(rb"\}[ \t\r\n]*,(?=[ \t\r\n]*\{)")


def read_fast(
    raw: Bytes,
    source: str,
    *,
    max_depth: int,
    min_rows: int = MIN_ROWS,
    chunk_bytes: int = CHUNK_BYTES,
) -> dict[str, Any] | None:
    """The document's structure data (rich part validated, tables as frames), or ``None``.

    Parameters
    ----------
    raw
        The whole document (its size already bounded), as bytes or mapped from its file.
    source
        The file's name (for the secondary duplicate-key check's message, never shown: a
        failure there returns ``None``).
    max_depth
        Deepest nesting accepted.
    min_rows
        Table arrays with fewer rows stay in the rich part (nothing to gain there).
    chunk_bytes
        A long array of flat models (people, posts, appointments) is validated a slice of
        about this many bytes at a time (see "Long arrays, a slice at a time"); a shorter one
        stays in the rich part.

    Returns
    -------
    dict or None
        The top-level members as :class:`~gridgov.org.Structure` accepts them: models for the
        rich part, the tables read as columns (checked tables, or polars frames whose cells
        did not check), plain data for a table left in the document (a table reference, or
        an array too small or too odd for columns).
        ``None`` when this path cannot vouch for the document.

    Examples
    --------
    >>> rows = ",".join(f'{{"id": "H{k}", "parent": "U1"}}' for k in range(64))
    >>> doc = ('{"name": "x", "posts": [], "households": [' + rows + ']}').encode()
    >>> data = read_fast(doc, "x.json", max_depth=64)
    >>> data["name"], len(data["households"])
    ('x', 64)
    >>> read_fast(b'{"name": "x", "name": "y"}', "x.json", max_depth=64) is None
    True
    """
    start = _skip_white(raw, 0)
    if raw[:3] == b"\xef\xbb\xbf" or raw[start : start + 1] != b"{":
        return None
    import polars  # noqa: F401  # here: imported by the worker, it would wait on the GIL

    read_rest = functools.partial(
        _read_rest,
        stand_in=_STAND_IN + secrets.token_hex(8),
        max_depth=max_depth,
        source=source,
    )
    spans = _table_spans(raw, min_rows)
    # the tables are read in a second thread (polars, which lets go of the GIL), while the
    # rest is read in this one: the long arrays and the rest with pydantic, their keys
    # counted (numpy, which lets go too)
    with (
        gil_handoffs(),
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="gridgov-tables") as pool,
    ):
        reading = pool.submit(_read_tables, raw, spans, min_rows)
        lists = _read_arrays(raw, _array_spans(raw, spans, chunk_bytes), chunk_bytes)
        doc = read_rest(raw, spans, lists)
        frames = reading.result()
    if len(frames) < len(spans):  # a guess was not a table: its array stays in the rich part
        spans = {field: span for field, span in spans.items() if field in frames}
        doc = read_rest(raw, spans, lists)
    if doc is None:
        return None
    data: dict[str, Any] = {f: getattr(doc, f) for f in doc.model_fields_set if f != "schema_"}
    data.update({field: models for field, (_, models) in lists.items()})
    data.update(frames)
    return data


def _read_arrays(raw: Bytes, arrays: dict[str, tuple[int, int]], chunk_bytes: int) -> Sliced:
    """The long ``arrays`` that read a slice at a time: each one's span and its models.

    An array whose slices do not all read (a wrong guess, or rows that do not validate) is
    left out: it stays in the rest, and is read with it.
    """
    lists: Sliced = {}
    for field, (opened, closed) in arrays.items():
        models = _sliced(raw, opened, closed, _sliced_fields()[field], chunk_bytes)
        if models is not None:
            lists[field] = ((opened, closed), models)
    return lists


def _read_rest(
    raw: Bytes,
    spans: dict[str, tuple[int, int]],
    lists: Sliced,
    *,
    stand_in: str,
    max_depth: int,
    source: str,
) -> BaseModel | None:
    """The rest validated: all but the tables in ``spans`` and the arrays read in ``lists``.

    ``None`` if a promise fails; the keys and depth of the arrays' models are checked with
    the rest's.
    """
    arrays = {field: span for field, (span, _) in lists.items()}
    cut = dict(sorted({**spans, **arrays}.items(), key=lambda item: item[1]))
    rest = _cut(raw, cut, stand_in)
    pieces: list[Piece] = [(rest, 0, len(rest))]
    pieces += [(raw, opened, closed + 1) for opened, closed in arrays.values()]
    counts = [_key_count(piece) for piece in pieces]
    rich = _rich_part(rest, stand_in, cut, frozenset(arrays))
    if rich is None:
        return None
    doc, keys, depth = rich
    for _, models in lists.values():  # each array's rows sit at depth 3: document, array, row
        k, d = _tally_runs([models], 3)
        keys, depth = keys + k, max(depth, d, 2)
    if depth > max_depth:
        return None  # the ordinary path refuses it, naming the limit
    counted = None if None in counts else sum(c for c in counts if c is not None)
    if not _no_repeated_keys(pieces, keys, counted, source):
        return None
    return doc


def _rich_part(
    rest: bytes, stand_in: str, cut: dict[str, tuple[int, int]], sliced: frozenset[str]
) -> tuple[BaseModel, int, int] | None:
    """``rest`` validated, the keys its models set and its depth; ``None`` if a guess was wrong.

    ``cut``: the arrays taken out of the document (tables read as columns, and the arrays
    in ``sliced``, read a slice at a time). Repeated keys and the depth are checked by the
    caller.
    """
    if rest.count(stand_in.encode()) != len(cut):
        return None  # the stand-in is in the document (astronomically unlikely): be ordinary
    try:
        doc: BaseModel = _document_adapter(sliced).validate_json(rest)
    except (ValidationError, ValueError):
        return None
    keys, depth = _tally([doc], 1)
    if len(cut) > len(sliced):
        depth = max(depth, 3)  # the document, a table's array, its rows
    if not all(getattr(doc, field) == stand_in for field in cut):
        return None  # some guess was not the top-level member
    return doc, keys, depth


# -- long arrays, a slice at a time ----------------------------------------------------------
def _array_spans(
    raw: Bytes, taken: dict[str, tuple[int, int]], chunk_bytes: int
) -> dict[str, tuple[int, int]]:
    """Where each long array of flat models is guessed to open and close, by field.

    Guessed as a table is (:func:`_guess_array`), but only between the spans already
    guessed, the tables' and the other arrays' (a member of the document is not inside
    another's array, and the bytes there need no second search); an array shorter than
    ``chunk_bytes`` stays in the rich part.
    """
    spans: dict[str, tuple[int, int]] = {}
    busy = sorted(taken.values())
    for field in _sliced_fields():
        starts = [0, *(closed + 1 for _, closed in busy)]
        ends = [*(opened for opened, _ in busy), len(raw)]
        found = next(
            (g for a, b in zip(starts, ends, strict=True) if (g := _guess_array(raw, field, a, b))),
            None,
        )
        if (
            found is not None
            and found[1] - found[0] >= chunk_bytes
            and not any(found[0] <= closed and opened <= found[1] for opened, closed in busy)
        ):
            spans[field] = found
            busy = sorted([*busy, found])
    return spans


def _sliced(
    raw: Bytes, opened: int, closed: int, adapter: TypeAdapter[Any], chunk_bytes: int
) -> tuple[Any, ...] | None:
    """The array ``raw[opened:closed + 1]`` validated a slice of rows at a time, or ``None``.

    Each slice, put between brackets, must be an array on its own: then the slices are the
    array's rows in order, whatever the guess of where one row ends (a cut inside a string
    or a nested value leaves a slice that is not JSON). ``None`` when a slice does not read
    or its rows do not validate.
    """
    view = memoryview(raw)
    models: list[Any] = []
    try:
        for start, end in _slices(raw, opened + 1, closed, chunk_bytes):
            models += adapter.validate_json(b"".join((b"[", view[start:end], b"]")))
    except (ValidationError, ValueError):
        return None
    return tuple(models)


def _slices(raw: Bytes, start: int, end: int, size: int) -> Iterator[tuple[int, int]]:
    """``raw[start:end]`` (an array's rows) cut after the first row end past every ``size`` bytes.

    Each cut drops the comma between two rows (:data:`_ROW_END`).
    """
    while end - start > size:
        found = _ROW_END.search(raw, start + size, end)  # (an mmap too)
        if found is None:
            break
        yield start, found.start() + 1
        start = found.end()
    yield start, end


@functools.cache
def _sliced_fields() -> dict[str, TypeAdapter[Any]]:
    """The structure's arrays of models that hold no array, each with a row-list adapter.

    Without an array inside a row, the first ``]`` after an array opens is its end, unless
    one sits in a string, which the slices then refuse (:func:`_sliced`).
    """
    config = ConfigDict(cache_strings="keys")  # as the rich part (:func:`_document_adapter`)
    fields: dict[str, TypeAdapter[Any]] = {}
    for name, info in Structure.model_fields.items():
        if typing.get_origin(info.annotation) is not tuple:
            continue
        item, *more = typing.get_args(info.annotation)
        if more == [Ellipsis] and not _may_nest(item, objects=False):
            fields[name] = TypeAdapter(list[item], config=config)  # type: ignore[valid-type]
    return fields


# -- the tables -------------------------------------------------------------------------------
def _table_spans(raw: Bytes, min_rows: int) -> dict[str, tuple[int, int]]:
    """Where each table array is guessed to open and close, by field, in document order.

    Overlapping guesses keep the first (the later one is not a table); an array with fewer
    than ``min_rows`` opening braces in its first 64 KiB is left in the rich part (nothing to
    gain there).
    """
    guesses = sorted(
        (*found, field)
        for field in COLUMNAR_FIELDS
        if (found := _guess_array(raw, field)) is not None
    )
    spans: dict[str, tuple[int, int]] = {}
    done = 0
    for opened, closed, field in guesses:
        rows = raw[opened : min(closed, opened + _LOOK_AHEAD)].count(b"{")
        if opened >= done and rows >= max(min_rows, 1):
            spans[field] = (opened, closed)
            done = closed + 1
    return spans


def _read_tables(
    raw: Bytes, spans: dict[str, tuple[int, int]], min_rows: int
) -> dict[str, Table[Any] | pl.DataFrame]:
    """The guessed arrays that read as their tables' columns, by field.

    Each is returned as its table, checked here, off the main thread, with the indexes the
    structure's checks need from the tables alone built and kept on them (the households'
    key index, the area index, the household row of each link). A frame whose cells do not
    check is returned as it is, and the structure then reports its problems with everything
    else's.
    """
    frames = {
        field: _columns(raw, opened, closed, COLUMNAR_FIELDS[field], min_rows)
        for field, (opened, closed) in spans.items()
    }
    read: dict[str, Table[Any] | pl.DataFrame] = {}
    for field, frame in frames.items():
        if frame is not None:
            try:
                read[field] = COLUMNAR_FIELDS[field](frame)
            except TableError:
                read[field] = frame
    households, areas, links = (read.get(f) for f in ("households", "areas", "linked_households"))
    if isinstance(households, HouseholdTable):
        households.key_index  # noqa: B018  # built now, and kept
        if isinstance(areas, AreaTable):
            households.area_index(areas)
        if isinstance(links, LinkTable):
            links.household_rows(households)
    return read


def _cut(raw: Bytes, spans: dict[str, tuple[int, int]], stand_in: str) -> bytes:
    """The document with each array in ``spans`` replaced by ``"stand_in"``."""
    view = memoryview(raw)  # pieces of the document, joined without copying each first
    pieces: list[bytes | memoryview] = []
    done = 0
    for opened, closed in spans.values():
        pieces += [view[done:opened], b'"', stand_in.encode(), b'"']
        done = closed + 1
    pieces.append(view[done:])
    return b"".join(pieces)


def _guess_array(
    raw: Bytes, field: str, start: int = 0, end: int | None = None
) -> tuple[int, int] | None:
    """Where the array after the first ``"field": [`` opens, and the first ``]`` after it.

    The name is looked for in ``raw[start:end]``.
    """
    key = f'"{field}"'.encode()
    end = len(raw) if end is None else end
    at = raw.find(key, start, end)
    for _ in range(_TRIES):
        if at < 0:
            return None
        i = _skip_white(raw, at + len(key))
        if raw[i : i + 1] == b":":
            i = _skip_white(raw, i + 1)
            if raw[i : i + 1] == b"[":
                closed = raw.find(b"]", i)
                return (i, closed) if closed > 0 else None
        at = raw.find(key, at + 1, end)
    return None


def _skip_white(raw: Bytes, i: int) -> int:
    while i < len(raw) and raw[i] in _WHITE:
        i += 1
    return i


# -- the rich part ----------------------------------------------------------------------------
@functools.cache
def _document_adapter(sliced: frozenset[str] = frozenset()) -> TypeAdapter[Any]:
    """``validate_json`` of a structure document: the rich fields as the structure types them.

    A table field takes any JSON value: the stand-in for a table read as columns, or the
    array (or table reference) the structure's table field then validates as before. So
    does a field in ``sliced``: its array is cut out and read a slice at a time.
    """
    fields: dict[str, Any] = {
        "schema_": (Any, Field(default=None, alias=_SCHEMA_KEY)),
    }
    for name, info in Structure.model_fields.items():
        if name in COLUMNAR_FIELDS or name in sliced:
            fields[name] = (Any, None)
        else:
            fields[name] = (info.annotation, info)
    # strings are not looked up in a cache of those seen (only keys are): a city's ids and
    # names are nearly all distinct, and the lookups cost a tenth of the validation
    config = {**GridgovModel.model_config, "populate_by_name": False, "cache_strings": "keys"}
    model = create_model("StructureDocument", __config__=config, **fields)  # type: ignore[call-overload]
    return TypeAdapter(model)


def _key_count(piece: Piece) -> int | None:
    """The keys in a piece's bytes (``":``), when that count is exact; else ``None``.

    Exact when there is no backslash (so a quote always delimits a string), no ``NaN`` or
    ``Infinity`` (which the ordinary parser refuses) and every colon follows a quote (none sits
    inside a string or after white space). Counted with numpy a slice at a time, off the GIL.
    """
    data, start, end = piece
    if any(data.find(odd, start, end) >= 0 for odd in _ODD if data.find(odd[:1], start, end) >= 0):
        return None  # (a word looked for only where its first letter is: memchr is faster)
    view = memoryview(data)[start:end]
    colons = _count_byte(view, b":")
    after_quote = _count(view, lambda part: (part[1:] == _COLON) & (part[:-1] == _QUOTE), behind=1)
    return after_quote if colons == after_quote else None


_COLON, _QUOTE = ord(":"), ord('"')
_ODD = (b"\\", b"Infinity", b"NaN")


def _no_repeated_keys(pieces: list[Piece], keys: int, counted: int | None, source: str) -> bool:
    """Whether no object in the pieces gives a key twice (``keys``: the keys the models set).

    ``counted``: the keys in the pieces' bytes (:func:`_key_count`); when it is not known or
    differs (a string starting with a colon also makes it differ), the ordinary parser
    decides, as a check only.
    """
    if counted is not None and counted == keys:
        return True
    try:  # the ordinary parser, only as a check: it refuses a repeated key and NaN
        for data, start, end in pieces:
            _json_loads(_utf8(bytes(memoryview(data)[start:end]), source), source)
    except DataFileError:
        return False
    return True


def _tally(values: Iterable[Any], depth: int) -> tuple[int, int]:
    """Keys set and deepest nesting of validated values that sit at one depth.

    Models and dicts are JSON objects, lists, tuples and sets are arrays; ``depth`` is the
    nesting of the values themselves (1 for the document).
    """
    return _tally_runs([values], depth)


def _tally_runs(runs: list[Iterable[Any]], depth: int) -> tuple[int, int]:
    """:func:`_tally` of the values in ``runs`` (iterables), all at one depth.

    The walk makes one call per level, not per value. Everything one level down (the fields
    of the models that can hold an object or an array, :func:`_nesting_fields`, and the
    members of the arrays and dicts) is gathered as runs for the next call. A run of one
    model class (a city's people) is taken whole, a run of plain values skipped whole, both
    at C speed (``set(map(type, run))``); only mixed runs are looked at value by value.
    """
    keys, deepest = 0, 0
    models: dict[type[BaseModel], list[BaseModel]] = {}
    below: list[Iterable[Any]] = []
    for run in runs:
        values = run if isinstance(run, list | tuple) else list(run)
        kinds = set(map(type, values))
        if kinds <= _PLAIN:
            continue
        if len(kinds) == 1 and issubclass(only := next(iter(kinds)), BaseModel):
            models.setdefault(only, []).extend(values)
            continue
        for value in values:
            if isinstance(value, BaseModel):
                models.setdefault(type(value), []).append(value)
            elif isinstance(value, _ARRAYS):
                deepest = depth
                if isinstance(value, dict):
                    keys += len(value)
                    below.append(value.values())
                else:
                    below.append(value)
    for model, group in models.items():
        deepest = depth
        keys += sum(map(len, map(_FIELDS_SET, group)))
        below += [map(operator.attrgetter(name), group) for name in _nesting_fields(model)]
    if below:
        k, d = _tally_runs(below, depth + 1)
        keys, deepest = keys + k, max(deepest, d)
    return keys, deepest


_FIELDS_SET = operator.attrgetter("__pydantic_fields_set__")
_ARRAYS = (dict, list, tuple, set, frozenset)
_SCALARS: tuple[Any, ...] = (str, int, float, bool, bytes, type(None))
_PLAIN = frozenset(_SCALARS)  # (exactly these types: a subclass, an enum, may be anything)


@functools.cache
def _nesting_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of ``model`` whose value may hold a JSON object or array."""
    return tuple(n for n, info in model.model_fields.items() if _may_nest(info.annotation))


def _may_nest(annotation: Any, *, objects: bool = True) -> bool:
    """Whether a value of this type may be (or hold) a JSON array; unsure: yes.

    With ``objects``, a JSON object counts too (a model is one); without, a model may nest
    only if one of its fields may.
    """
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _may_nest(typing.get_args(annotation)[0], objects=objects)
    if origin in (typing.Union, types.UnionType):
        return any(_may_nest(a, objects=objects) for a in typing.get_args(annotation))
    if origin is not None:
        return origin is not typing.Literal  # tuple[...], list[...], dict[...] and the like
    if not objects and isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return any(_may_nest(f.annotation, objects=False) for f in annotation.model_fields.values())
    if isinstance(annotation, type):
        import datetime as dt
        import enum

        from pydantic import SecretStr

        scalar = (*_SCALARS, dt.date, dt.datetime, dt.time, enum.Enum, SecretStr)
        return not issubclass(annotation, scalar)
    return True  # Any, a type alias (JsonValue), a forward reference
