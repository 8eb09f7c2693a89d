"""A structure document read in one pass of each fast reader, or not at all.

:func:`gridgov.io.load` first tries this path on a JSON document. It reads

* the areas, households and linked-households arrays straight into columns
  (:mod:`gridgov.io._json_tables`: polars' NDJSON reader, no Python object per row), and
* the rest, the *rich part* (organisations, people, posts …), with pydantic's
  ``validate_json``: parsed and validated in Rust, no intermediate dicts,

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
"""

from __future__ import annotations

import functools
import secrets
import types
import typing
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field, TypeAdapter, ValidationError, create_model

from gridgov.errors import DataFileError
from gridgov.io._json_tables import _WHITE, COLUMNAR_FIELDS, MIN_ROWS, _columns
from gridgov.io.json_yaml import _SCHEMA_KEY, _json_loads, _utf8
from gridgov.org import Structure
from gridgov.org._base import GridgovModel

if TYPE_CHECKING:
    import polars as pl

__all__ = ["read_fast"]

#: What stands for a table read as columns, before a random suffix.
_STAND_IN = "gridgov-table-"
#: How many occurrences of a table's quoted name are tried before giving up.
_TRIES = 4


def read_fast(
    raw: bytes, source: str, *, max_depth: int, min_rows: int = MIN_ROWS
) -> dict[str, Any] | None:
    """The document's structure data (rich part validated, tables as frames), or ``None``.

    Parameters
    ----------
    raw
        The whole document (its size already bounded).
    source
        The file's name (for the secondary duplicate-key check's message, never shown: a
        failure there returns ``None``).
    max_depth
        Deepest nesting accepted.
    min_rows
        Table arrays with fewer rows stay in the rich part (nothing to gain there).

    Returns
    -------
    dict or None
        The top-level members as :class:`~gridgov.org.Structure` accepts them: models for the
        rich part, polars frames for the tables read as columns, plain data for a table left
        in the document (a table reference, or an array too small or too odd for columns).
        ``None`` when this path cannot vouch for the document.

    Examples
    --------
    >>> rows = ",".join(f'{{"id": "H{k}", "parent": "U1"}}' for k in range(64))
    >>> doc = ('{"name": "x", "posts": [], "households": [' + rows + ']}').encode()
    >>> data = read_fast(doc, "x.json", max_depth=64)
    >>> data["name"], data["households"].height
    ('x', 64)
    >>> read_fast(b'{"name": "x", "name": "y"}', "x.json", max_depth=64) is None
    True
    """
    start = _skip_white(raw, 0)
    if raw.startswith(b"\xef\xbb\xbf") or raw[start : start + 1] != b"{":
        return None
    stand_in = _STAND_IN + secrets.token_hex(8)
    rest, frames = _cut_tables(raw, stand_in, min_rows)
    doc = _rich_part(rest, stand_in, list(frames), source, max_depth)
    if doc is None:
        return None
    data: dict[str, Any] = {f: getattr(doc, f) for f in doc.model_fields_set if f != "schema_"}
    data.update(frames)
    return data


def _rich_part(
    rest: bytes, stand_in: str, cut: list[str], source: str, max_depth: int
) -> BaseModel | None:
    """``rest`` validated, if every promise holds (else ``None``); ``cut``: tables read."""
    if rest.count(stand_in.encode()) != len(cut):
        return None  # the stand-in is in the document (astronomically unlikely): be ordinary
    try:
        doc: BaseModel = _document_adapter().validate_json(rest)
    except (ValidationError, ValueError):
        return None
    keys, depth = _tally([doc], 1)
    if cut:
        depth = max(depth, 3)  # the document, a table's array, its rows
    vouched = (
        all(getattr(doc, field) == stand_in for field in cut)  # each guess was the member
        and depth <= max_depth  # else the ordinary path refuses it, naming the limit
        and _no_repeated_keys(rest, keys, source)
    )
    return doc if vouched else None


# -- the tables -------------------------------------------------------------------------------
def _cut_tables(raw: bytes, stand_in: str, min_rows: int) -> tuple[bytes, dict[str, pl.DataFrame]]:
    """The document with each table array that reads as columns replaced by ``"stand_in"``."""
    spans = sorted(
        (opened, closed, field)
        for field in COLUMNAR_FIELDS
        if (found := _guess_array(raw, field)) is not None
        for opened, closed in [found]
    )
    view = memoryview(raw)  # pieces of the document, joined without copying each first
    pieces: list[bytes | memoryview] = []
    frames: dict[str, pl.DataFrame] = {}
    done = 0
    for opened, closed, field in spans:
        if opened < done:
            continue  # overlapping guesses: the later one is not a table
        frame = _columns(raw, opened, closed, COLUMNAR_FIELDS[field], min_rows)
        if frame is None:
            continue
        frames[field] = frame
        pieces += [view[done:opened], b'"', stand_in.encode(), b'"']
        done = closed + 1
    pieces.append(view[done:])
    return b"".join(pieces), frames


def _guess_array(raw: bytes, field: str) -> tuple[int, int] | None:
    """Where the array after the first ``"field": [`` opens, and the first ``]`` after it."""
    key = f'"{field}"'.encode()
    at = raw.find(key)
    for _ in range(_TRIES):
        if at < 0:
            return None
        i = _skip_white(raw, at + len(key))
        if raw[i : i + 1] == b":":
            i = _skip_white(raw, i + 1)
            if raw[i : i + 1] == b"[":
                closed = raw.find(b"]", i)
                return (i, closed) if closed > 0 else None
        at = raw.find(key, at + 1)
    return None


def _skip_white(raw: bytes, i: int) -> int:
    while i < len(raw) and raw[i] in _WHITE:
        i += 1
    return i


# -- the rich part ----------------------------------------------------------------------------
@functools.cache
def _document_adapter() -> TypeAdapter[Any]:
    """``validate_json`` of a structure document: the rich fields as the structure types them.

    A table field takes any JSON value: the stand-in for a table read as columns, or the
    array (or table reference) the structure's table field then validates as before.
    """
    fields: dict[str, Any] = {
        "schema_": (Any, Field(default=None, alias=_SCHEMA_KEY)),
    }
    for name, info in Structure.model_fields.items():
        if name in COLUMNAR_FIELDS:
            fields[name] = (Any, None)
        else:
            fields[name] = (info.annotation, info)
    config = {**GridgovModel.model_config, "populate_by_name": False}
    model = create_model("StructureDocument", __config__=config, **fields)  # type: ignore[call-overload]
    return TypeAdapter(model)


def _no_repeated_keys(rest: bytes, keys: int, source: str) -> bool:
    """Whether no object in ``rest`` gives a key twice (``keys``: the keys the models set).

    Counted in the bytes when that is exact; else (or when the counts differ, which a string
    starting with a colon also causes) the ordinary parser decides, as a check only.
    """
    found = -1
    if (
        b"\\" not in rest
        and (b"N" not in rest or b"NaN" not in rest)  # one byte is found at memchr speed
        and b"Infinity" not in rest
        and rest.count(b":") == (found := rest.count(b'":'))
    ) and found == keys:
        return True
    try:  # the ordinary parser, only as a check: it refuses a repeated key and NaN
        _json_loads(_utf8(rest, source), source)
    except DataFileError:
        return False
    return True


def _tally(values: list[Any], depth: int) -> tuple[int, int]:
    """Keys set and deepest nesting of validated values that sit at one depth.

    Models and dicts are JSON objects, lists, tuples and sets are arrays; ``depth`` is the
    nesting of the values themselves (1 for the document). The models are taken a class at
    a time, and only fields that can hold an object or an array are followed
    (:func:`_nesting_fields`), each across all the class's models at once: a city's people
    are a few list comprehensions, not a call per person.
    """
    keys, deepest = 0, 0
    models: dict[type[BaseModel], list[BaseModel]] = {}
    arrays: list[Any] = []
    for value in values:
        if isinstance(value, BaseModel):
            models.setdefault(type(value), []).append(value)
        elif isinstance(value, _ARRAYS):
            arrays.append(value)
    for model, group in models.items():
        keys += sum(len(m.__pydantic_fields_set__) for m in group)
        deepest = max(deepest, depth)
        for name in _nesting_fields(model):
            k, d = _tally([getattr(m, name) for m in group], depth + 1)
            keys, deepest = keys + k, max(deepest, d)
    for array in arrays:
        deepest = max(deepest, depth)
        if isinstance(array, dict):
            keys += len(array)
        k, d = _tally(list(array.values() if isinstance(array, dict) else array), depth + 1)
        keys, deepest = keys + k, max(deepest, d)
    return keys, deepest


_ARRAYS = (dict, list, tuple, set, frozenset)
_SCALARS: tuple[Any, ...] = (str, int, float, bool, bytes, type(None))


@functools.cache
def _nesting_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of ``model`` whose value may hold a JSON object or array."""
    return tuple(n for n, info in model.model_fields.items() if _may_nest(info.annotation))


def _may_nest(annotation: Any) -> bool:
    """Whether a value of this type may be (or hold) a JSON object or array; unsure: yes."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _may_nest(typing.get_args(annotation)[0])
    if origin is typing.Literal:
        return False
    if origin in (typing.Union, types.UnionType):
        return any(_may_nest(a) for a in typing.get_args(annotation))
    if origin is not None:
        return True  # tuple[...], list[...], dict[...] and the like
    if isinstance(annotation, type):
        import datetime as dt
        import enum

        from pydantic import SecretStr

        scalar = (*_SCALARS, dt.date, dt.datetime, dt.time, enum.Enum, SecretStr)
        return not issubclass(annotation, scalar)
    return True  # Any, a type alias (JsonValue), a forward reference
