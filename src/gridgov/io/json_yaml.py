"""Load and save a :class:`~gridgov.org.Structure` as JSON or YAML.

The format follows the suffix: ``.json``, ``.yaml`` or ``.yml``. Saving is atomic
(:mod:`gridgov.io._atomic`): the old file stays intact unless the new one is complete. Reading
is bounded (:mod:`gridgov.io.safety`): size, nesting depth, and for YAML no tags and no
aliases, with the safe loader only. With ``tables=`` the many-row tables go into files beside
the main file (:mod:`gridgov.io.tables`). Inline, in a JSON document, each row of the areas,
households and linked-households tables is written on one line (a changed household is a
one-line difference), and :func:`load` reads those rows straight into columns
(:mod:`gridgov.io._json_fast`).

What can go wrong, and what is raised
-------------------------------------
Two kinds of failure are kept apart, so that a caller (and ``gridgov validate``, exit 2 versus
exit 1) can tell "the file could not be read" from "the file was read and describes an invalid
structure":

=========================================  ===================================================
the file is missing, unreadable, not a      :class:`~gridgov.errors.DataFileError` (a
regular file (a FIFO, a device), not        ``ValueError``), message starting with the path;
JSON/YAML, not a mapping, has a bad table   the ``OSError``/parser error is the ``__cause__``
reference, or has an unknown suffix
a table file is not the one the main file   :class:`~gridgov.errors.TableMismatchError`, a
was saved with (its SHA-256 differs)        ``DataFileError`` naming the table file
too large, too deep, a YAML tag or alias    :class:`~gridgov.errors.UnsafeInputError`, a
                                            ``DataFileError``
it parses, but fields have wrong types      :class:`~gridgov.errors.StructureError` whose
or the structure breaks integrity           message starts with the path and whose
                                            ``.problems`` list *every* problem; pydantic's
                                            ``ValidationError`` (or the original
                                            ``StructureError``) is the ``__cause__``
saving failed                               :class:`~gridgov.errors.SaveError` (an
                                            ``OSError``) naming the path; old file kept
=========================================  ===================================================

What of people a file holds follows a privacy level (:mod:`gridgov.io.privacy`): the
default ``"internal"`` writes names but never ID numbers or phones (``null`` in the file);
``privacy="full"`` writes them too (``include_personal=True`` is the deprecated spelling of
that); ``"research"`` (with a ``key``) pseudonymises people and ``"public"`` leaves them out.

Examples
--------
>>> import tempfile, pathlib
>>> from gridgov.org import Structure
>>> s = Structure.model_validate({"name": "demo", "areas": [
...     {"id": "S1", "level": "street"}, {"id": "C1", "level": "community", "parent": "S1"}]})
>>> path = save(s, pathlib.Path(tempfile.mkdtemp()) / "demo.yaml")
>>> load(path).rollup("street").get_column("id").to_list()
['S1']
"""

from __future__ import annotations

import functools
import json
import os
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal, cast

from pydantic import ValidationError

from gridgov._bulk import gc_paused
from gridgov.errors import DataFileError, GridgovError, Problem, SaveError, StructureError
from gridgov.io._atomic import Writer, Written, clean_stale_temps, write_with_companions
from gridgov.io.privacy import Privacy, policy, redact_structure
from gridgov.io.safety import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_DEPTH,
    _too_deep,
    _yaml,
    check_depth,
    json_depth,
    json_outline,
    mapped_bounded,
    read_bounded,
    scan_yaml,
)
from gridgov.io.tables import (
    TABLE_FIELDS,
    TABLE_FORMATS,
    TableFormat,
    TableTarget,
    is_table_reference,
    own_table_files,
    referenced_files,
    resolve_tables,
    table_reference,
    table_targets,
)
from gridgov.org._fields import field_problems
from gridgov.org.structure import Structure

__all__ = [
    "FORMATS",
    "ORPHAN_GRACE_SECONDS",
    "DocumentFormat",
    "SaveLayout",
    "format_of",
    "from_data",
    "load",
    "parse_document",
    "problems_from_validation",
    "save",
    "saved_layout",
    "to_data",
]

DocumentFormat = Literal["json", "yaml"]
#: File suffixes and the format each means.
FORMATS: dict[str, DocumentFormat] = {".json": "json", ".yaml": "yaml", ".yml": "yaml"}
_CHUNK = 1 << 20
_SCHEMA_KEY = "$schema"


def format_of(path: str | os.PathLike[str]) -> DocumentFormat:
    """The document format a path's suffix names.

    Raises
    ------
    gridgov.errors.DataFileError
        For any other suffix (the message lists the accepted ones).

    Examples
    --------
    >>> format_of("city.YML")
    'yaml'
    """
    p = Path(path)
    fmt = FORMATS.get(p.suffix.lower())
    if fmt is None:
        hint = ""
        if p.suffix.lower() in {".csv", ".xlsx"}:
            hint = "; a household ledger is imported with gridgov.io.import_ledger"
        raise DataFileError(
            f"{p}: cannot tell the format from {p.suffix or 'no suffix'!r}; "
            f"use {', '.join(FORMATS)}{hint}"
        )
    return fmt


# -- loading ------------------------------------------------------------------------------
def load(
    path: str | os.PathLike[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> Structure:
    """Load a structure from a JSON or YAML file (and any table files it refers to).

    Parameters
    ----------
    path
        A ``.json``, ``.yaml`` or ``.yml`` file.
    max_bytes
        Largest file (and table file) accepted; default 512 MiB.
    max_depth
        Deepest nesting accepted; default 64.

    Returns
    -------
    Structure
        The validated structure.

    Raises
    ------
    gridgov.errors.DataFileError
        The file cannot be read as a structure document (see the module docstring).
    gridgov.errors.UnsafeInputError
        The file is refused for safety (size, depth, YAML tag or alias).
    gridgov.errors.StructureError
        The document is read but is not a valid structure; ``.problems`` lists every problem.

    Notes
    -----
    A JSON document is read first by :mod:`gridgov.io._json_fast`: its tables straight into
    columns and the rest with pydantic's ``validate_json``, with every promise below checked
    at C speed. Whatever that path cannot vouch for (a repeated key, ``NaN``, too deep, not a
    valid structure…) is read again the ordinary way, which gives the errors documented here.
    The cyclic garbage collector is paused while the structure is built (:mod:`gridgov._bulk`).

    Loading also removes, best effort, the temporary files that dead saves left in the
    file's folder (:func:`gridgov.io._atomic.clean_stale_temps`).
    """
    p = Path(path)
    fmt = format_of(p)
    clean_stale_temps(p.parent)  # what killed saves left here (never a live writer's file)
    with gc_paused():  # millions of new objects, none of them garbage
        if fmt == "json":
            fast = _load_fast(p, max_bytes=max_bytes, max_depth=max_depth)
            if fast is not None:
                return fast
        raw = read_bounded(p, max_bytes)
        if fmt == "json":
            data = _parse_json_columnar(raw, str(p), max_depth=max_depth)
        else:
            data = parse_document(raw, fmt, str(p), max_depth=max_depth)
        if not isinstance(data, dict):
            kind = _kind(data)
            raise DataFileError(f"{p}: a structure file holds a mapping at the top, not {kind}")
        data.pop(_SCHEMA_KEY, None)  # editors' schema hint; not part of the structure
        data = resolve_tables(data, p, max_bytes=max_bytes)
        return from_data(data, source=str(p))


def _load_fast(p: Path, *, max_bytes: int, max_depth: int) -> Structure | None:
    """The structure through :mod:`gridgov.io._json_fast`, or ``None`` for the ordinary path.

    The file is read mapped into memory (:func:`gridgov.io.safety.mapped_bounded`), not
    copied. A document the fast path reads but that is not a valid structure is read again
    by the ordinary path, so that every error is reported exactly as it always has been.
    """
    from gridgov.io._json_fast import read_fast

    with mapped_bounded(p, max_bytes) as mapped:
        data = read_fast(mapped, str(p), max_depth=max_depth)
    if data is None:
        return None
    try:
        return from_data(resolve_tables(data, p, max_bytes=max_bytes), source=str(p))
    except GridgovError:
        return None


@dataclass(frozen=True, slots=True)
class SaveLayout:
    """How a structure file was saved, so that it can be saved again alike.

    Attributes
    ----------
    format
        ``"json"`` or ``"yaml"``.
    tables
        The format of the tables beside it (``"parquet"``, ``"csv"``, ``"ndjson"``), or
        ``None`` when every table is inline.
    include_personal
        Whether any person's ``id_number`` or ``phone`` is in the file.
    """

    format: DocumentFormat
    tables: TableFormat | None
    include_personal: bool

    def save_options(self) -> dict[str, Any]:
        """The keyword arguments of :func:`save` that write a file like this one."""
        return {"tables": self.tables, "include_personal": self.include_personal}


def saved_layout(
    path: str | os.PathLike[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> SaveLayout:
    """How the structure file at ``path`` was saved (its tables are not read).

    Re-saving with ``save(structure, path, **saved_layout(path).save_options())`` keeps the
    tables where they were and the personal fields the file held.

    Raises
    ------
    gridgov.errors.DataFileError
        As :func:`load` does, for a file that cannot be read as a structure document.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from gridgov.org import Structure
    >>> path = save(Structure(), pathlib.Path(tempfile.mkdtemp()) / "x.yaml", tables="csv")
    >>> saved_layout(path)
    SaveLayout(format='yaml', tables='csv', include_personal=False)
    """
    p = Path(path)
    fmt = format_of(p)
    data = parse_document(read_bounded(p, max_bytes), fmt, str(p), max_depth=max_depth)
    if not isinstance(data, dict):
        raise DataFileError(f"{p}: a structure file holds a mapping at the top, not {_kind(data)}")
    formats: list[TableFormat] = []
    for field in TABLE_FIELDS:
        ref = data.get(field)
        if is_table_reference(ref):
            assert isinstance(ref, Mapping)
            name = str(ref.get("file"))
            given = ref.get("format")
            suffix = Path(name).suffix
            by_suffix = [f for f, sx in TABLE_FORMATS.items() if sx == suffix]
            found = given if isinstance(given, str) and given in TABLE_FORMATS else None
            found = found or (by_suffix[0] if by_suffix else None)
            if found is not None:
                formats.append(cast("TableFormat", found))
    commonest = Counter(formats).most_common(1)
    tables = commonest[0][0] if commonest else None
    people = data.get("people")
    personal = isinstance(people, list) and any(
        isinstance(person, dict)
        and any(person.get(key) not in (None, "") for key in ("id_number", "phone"))
        for person in people
    )
    return SaveLayout(format=fmt, tables=tables, include_personal=personal)


def parse_document(
    raw: bytes, fmt: DocumentFormat, source: str, *, max_depth: int = DEFAULT_MAX_DEPTH
) -> Any:
    """Parse JSON or YAML bytes safely (bounded depth; YAML without tags or aliases).

    Examples
    --------
    >>> parse_document(b"a: [1, 2]", "yaml", "x.yaml")
    {'a': [1, 2]}
    >>> parse_document(b"!!python/object:os.system x", "yaml", "x.yaml")
    Traceback (most recent call last):
    ...
    gridgov.errors.UnsafeInputError: x.yaml: refused: YAML tag '!!python/object:os.system' ...
    """
    text = _utf8(raw, source)
    if fmt == "json":
        if json_depth(raw, stop_above=max_depth) > max_depth:
            raise _too_deep(source, max_depth)
        return _json_loads(text, source)
    scan_yaml(text, source, max_depth)
    try:
        data = _load_yaml(text)  # the safe loader only, refusing duplicate keys
    except _DuplicateYamlKeyError as exc:
        raise DataFileError(f"{source}: refused: {exc}") from None
    except _yaml().YAMLError as exc:
        raise DataFileError(f"{source}: not valid YAML: {' '.join(str(exc).split())}") from exc
    check_depth(data, max_depth, source)
    return data


def _parse_json_columnar(
    raw: bytes, source: str, *, max_depth: int = DEFAULT_MAX_DEPTH, min_rows: int | None = None
) -> Any:
    """:func:`parse_document` for JSON, with the table arrays read as columns (polars frames).

    The depth scan (numpy over the whole file) also finds where each top-level array lies;
    the areas, households and linked households arrays that are plainly tables go straight
    to columns (:mod:`gridgov.io._json_tables`), and the rest is parsed as before, duplicate
    keys refused. Whatever goes wrong, the ordinary parser reads the whole file again, so the
    error is the one it gives (the same message, offsets and JSON paths).
    """
    from gridgov.io._json_tables import MIN_ROWS, split_tables

    if raw.startswith(b"\xef\xbb\xbf"):
        return parse_document(raw, "json", source, max_depth=max_depth)
    depth, spans = json_outline(raw, stop_above=max_depth)
    if depth > max_depth:  # refused by the ordinary parser (after its UTF-8 check)
        return parse_document(raw, "json", source, max_depth=max_depth)
    rest, frames = split_tables(raw, spans, min_rows=MIN_ROWS if min_rows is None else min_rows)
    try:
        data = _json_loads(_utf8(rest, source), source)
    except DataFileError:
        if not frames:
            raise
        return parse_document(raw, "json", source, max_depth=max_depth)
    if isinstance(data, dict):
        data.update(frames)
    return data


def _utf8(raw: bytes, source: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataFileError(f"{source}: not UTF-8 text: {exc.reason} at byte {exc.start}") from exc


def _json_loads(text: str, source: str) -> Any:
    """JSON text (depth already checked) to data, refusing duplicate keys and NaN."""
    repeated: list[tuple[dict[str, Any], list[str]]] = []
    try:
        data = json.loads(
            text,
            parse_constant=_refuse_constant,
            object_pairs_hook=functools.partial(_unique_keys, repeated),
        )
    except (json.JSONDecodeError, ValueError, RecursionError) as exc:
        raise DataFileError(f"{source}: not valid JSON: {exc}") from exc
    if repeated:
        raise _duplicate_keys(source, data, repeated)
    return data


def _unique_keys(
    repeated: list[tuple[dict[str, Any], list[str]]], pairs: list[tuple[str, Any]]
) -> dict[str, Any]:
    """``object_pairs_hook`` for ``json.loads``: a dict, noting any key given twice."""
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        twice = [k for k, _ in pairs if k in seen or seen.add(k)]  # type: ignore[func-returns-value]
        repeated.append((obj, list(dict.fromkeys(twice))))
    return obj


def _duplicate_keys(
    source: str, data: Any, repeated: list[tuple[dict[str, Any], list[str]]]
) -> DataFileError:
    """The error for objects with a repeated key, each named by its JSON path (RFC 9535)."""
    paths = _json_paths(data, {id(obj) for obj, _ in repeated})
    where = [
        f"{', '.join(repr(k) for k in keys)} at {paths.get(id(obj), '$')}" for obj, keys in repeated
    ]
    shown = "; ".join(where[:20]) + (f"; … and {len(where) - 20} more" if len(where) > 20 else "")
    return DataFileError(
        f"{source}: refused: duplicate key(s) in an object: {shown}; a key may appear only "
        "once per object (JSON readers disagree on which value wins)"
    )


def _json_paths(data: Any, wanted: set[int]) -> dict[int, str]:
    """JSON paths (``$.areas[2]``; indices 0-based, as RFC 9535 says) of the wanted objects."""
    found: dict[int, str] = {}
    stack: list[tuple[Any, str]] = [(data, "$")]
    while stack and len(found) < len(wanted):
        node, path = stack.pop()
        if isinstance(node, dict):
            if id(node) in wanted:
                found[id(node)] = path
            stack.extend(
                (v, f"{path}.{k}" if k.isidentifier() else f"{path}[{json.dumps(k)}]")
                for k, v in node.items()
                if isinstance(v, dict | list)
            )
        elif isinstance(node, list):
            stack.extend(
                (v, f"{path}[{i}]") for i, v in enumerate(node) if isinstance(v, dict | list)
            )
    return found


class _DuplicateYamlKeyError(Exception):
    """A mapping key given twice in a YAML document (turned into a ``DataFileError``)."""


def _load_yaml(text: str) -> Any:
    """Load YAML with the safe loader (in C if built), refusing a key given twice in a mapping.

    PyYAML keeps the last value of a repeated key without a word; gridgov refuses it, naming
    the line, as it does for JSON.
    """
    return _yaml().load(text, Loader=_unique_key_loader())


@functools.cache
def _unique_key_loader() -> type[Any]:
    yaml = _yaml()
    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class UniqueKeyLoader(base):  # type: ignore[misc, valid-type]  # a PyYAML loader class
        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            first: dict[Any, int] = {}
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                line = key_node.start_mark.line + 1
                try:
                    if key in first:
                        raise _DuplicateYamlKeyError(
                            f"duplicate key {key!r} on line {line} (first on line {first[key]}); "
                            "a key may appear only once per mapping"
                        )
                    first[key] = line
                except TypeError:  # an unhashable key: the base constructor reports it
                    break
            return super().construct_mapping(node, deep=deep)

    return UniqueKeyLoader


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _kind(value: object) -> str:
    if value is None:
        return "an empty document"
    if isinstance(value, list):
        return "a list"
    return "a string" if isinstance(value, str) else f"a {type(value).__name__}"


def from_data(data: Any, *, source: str | None = None) -> Structure:
    """Validate loaded data into a structure; every problem becomes a ``StructureError``.

    A pydantic ``ValidationError`` (wrong field types) is turned into a ``StructureError`` with
    one :class:`~gridgov.errors.Problem` per error, so callers handle one error type for "not
    a valid structure". ``source`` (the file name) starts the message.

    Examples
    --------
    >>> from_data({"areas": [{"id": "G1", "level": "grid", "parent": "C9"}],
    ...            "posts": [{"id": "P1"}]}, source="x.json")
    Traceback (most recent call last):
    ...
    gridgov.errors.StructureError: x.json: invalid structure, 3 problem(s):
      - posts[0].kind: [missing] Field required
      - posts[0].organisation: [missing] Field required
      - area:G1: [dangling-reference] parent 'C9' is not an area
    """
    try:
        return Structure.model_validate(data)
    except StructureError as exc:
        # field and integrity problems come together; keep pydantic's error as the cause
        raise StructureError(exc.problems, source=source) from (exc.__cause__ or exc)
    except ValidationError as exc:  # pragma: no cover - Structure raises StructureError
        raise StructureError(problems_from_validation(exc), source=source) from exc


def problems_from_validation(exc: ValidationError) -> list[Problem]:
    """One problem per pydantic error (kebab-case codes); a table's own problems are kept."""
    return field_problems(exc)


# -- saving -------------------------------------------------------------------------------
def to_data(
    structure: Structure,
    *,
    include_personal: bool = False,
    exclude: set[str] | None = None,
) -> dict[str, Any]:
    """The structure as plain JSON-compatible data (what a file holds).

    ``model_dump(mode="json", context={"include_personal": ...})``: personal fields are
    ``None`` unless ``include_personal`` is true.
    """
    data: dict[str, Any] = structure.model_dump(
        mode="json", context={"include_personal": include_personal}, exclude=exclude
    )
    return data


def save(  # privacy, key and the deprecated alias are all keywords
    structure: Structure,
    path: str | os.PathLike[str],
    *,
    privacy: str | Privacy = "internal",
    key: bytes | str | None = None,
    include_personal: bool = False,
    tables: str | None = None,
) -> Path:
    """Save a structure atomically as JSON or YAML (format from the suffix).

    Parameters
    ----------
    structure
        The structure.
    path
        A ``.json``, ``.yaml`` or ``.yml`` path.
    privacy
        What of people to write (:mod:`gridgov.io.privacy`): ``"internal"`` (default: a
        working file needs names; ID numbers and phones are ``null``), ``"full"`` (ID numbers
        and phones too), ``"research"`` (pseudonyms under ``key``) or ``"public"`` (no
        person- or household-level rows).
    key
        The HMAC key for ``privacy="research"``.
    include_personal
        Deprecated alias of ``privacy="full"`` (kept for old callers).
    tables
        ``None`` to keep every table in the main file, or ``"ndjson"``, ``"csv"`` or
        ``"parquet"`` to write areas, households and linked households beside it
        (``city.households.<hash>.parquet`` …) and refer to them by relative path and SHA-256.

    Returns
    -------
    pathlib.Path
        The main file's path.

    Raises
    ------
    gridgov.errors.SaveError
        Naming the path, when the save fails; the old files are left as they were.
    gridgov.errors.PrivacyError
        An unknown level, or ``"research"`` without a key; nothing is written.

    Notes
    -----
    The save is atomic as a whole, tables included: the table files get new, content-addressed
    names and the main file, renamed into place last, switches from the old set to the new
    one (:func:`gridgov.io._atomic.write_with_companions`). A crash at any moment leaves the
    old structure or the new one, whole. Table files of this main file that it no longer
    refers to are removed after the switch, and temporary files of dead saves in the folder
    are removed before it (:func:`gridgov.io._atomic.clean_stale_temps`).
    """
    p = Path(path)
    if not isinstance(structure, Structure):
        raise TypeError(f"save() needs a Structure, got {type(structure).__name__}")
    try:
        fmt = format_of(p)
    except DataFileError as exc:
        raise SaveError(str(exc).replace("cannot tell", "cannot save: cannot tell")) from exc
    level = policy("full" if include_personal else privacy, key=key)
    structure = redact_structure(structure, level)
    include_personal = level.personal
    targets: list[TableTarget] = []
    if tables is None:
        data = to_data(structure, include_personal=include_personal)
    else:
        try:
            targets = table_targets(structure, p, tables)
        except ValueError as exc:
            raise SaveError(f"{p}: cannot save: {exc}") from exc
        data = to_data(structure, include_personal=include_personal, exclude=set(TABLE_FIELDS))
    order = list(type(structure).model_fields)
    clean_stale_temps(p.parent)
    previous = _own_references(p)  # what the old main file names, read before the switch

    def main_writer(written: list[Written]) -> Writer:
        refs = {t.field: table_reference(t, w) for t, w in zip(targets, written, strict=True)}
        document = _with_references(data, refs, order) if refs else data

        def write(fh: IO[bytes]) -> None:
            for chunk in _encode(document, fmt):
                fh.write(chunk)

        return write

    def obsolete(written: list[Written]) -> list[Path]:
        return _obsolete_tables(p, previous, {w.path for w in written})

    write_with_companions(p, [t.companion for t in targets], main_writer, obsolete=obsolete)
    return p


#: A table file of a main file that no main file names is removed once its status (inode
#: change) time is this old: until then it may belong to a save in progress.
ORPHAN_GRACE_SECONDS = 3600


def _own_references(main: Path) -> set[Path]:
    """The gridgov-named table files the current ``main`` names (empty if none or unreadable).

    A name is looked for in the file's bytes instead of parsing a document that may hold a
    city's people and posts: a name found is a file the old main file refers to; one missed
    (written escaped) is only removed later, as an orphan.
    """
    candidates = own_table_files(main)
    if not candidates:
        return set()
    try:
        raw = read_bounded(main)
    except DataFileError:
        return set()
    return {f for f in candidates if f.name.encode("utf-8") in raw}


def _references_of(main: Path) -> set[Path] | None:
    """The table files a main document names; ``None`` when it exists but cannot be read."""
    try:
        data = parse_document(read_bounded(main), format_of(main), str(main))
    except DataFileError:
        return set() if not os.path.lexists(main) else None
    return referenced_files(data, main)


def _obsolete_tables(main: Path, previous: set[Path], new: set[Path]) -> list[Path]:
    """Table files of ``main`` to remove after the switch (never one a main file names).

    Those the old main file named and the new one does not, and those no main file names
    (left by a save that died before its switch) once older than :data:`ORPHAN_GRACE_SECONDS`.
    A sibling main file with the same stem (``city.yaml`` beside ``city.json``) may share
    table files: they are kept; if a sibling cannot be read, only the old main file's files go.
    """
    candidates = [f for f in own_table_files(main) if f not in new]
    if not candidates:
        return []
    protected = set(new)
    siblings_readable = True
    for suffix in FORMATS:
        sibling = main.with_name(main.name[: len(main.name) - len(main.suffix)] + suffix)
        if sibling.name == main.name or not os.path.lexists(sibling):
            continue
        refs = _references_of(sibling)
        if refs is None:
            siblings_readable = False
        else:
            protected |= refs
    now = time.time()
    out: list[Path] = []
    for f in candidates:
        if f in protected:
            continue
        orphan = siblings_readable and _status_age(f, now) > ORPHAN_GRACE_SECONDS
        if f in previous or orphan:
            out.append(f)
    return out


def _status_age(path: Path, now: float) -> float:
    try:
        return now - path.lstat().st_ctime
    except OSError:
        return 0.0


def _with_references(
    data: dict[str, Any], refs: dict[str, dict[str, Any]], order: list[str]
) -> dict[str, Any]:
    merged = {**data, **refs}
    return {k: merged[k] for k in order if k in merged}


def _json_blob(data: dict[str, Any]) -> bytes:
    """The JSON document: indented two spaces, each row of a table array on one line.

    A city's tables are a million small objects; one per line, its file is a sixth smaller,
    a change to one household is a one-line difference, and the loader splits the rows at
    their commas and reads them straight into columns (:mod:`gridgov.io._json_tables`).

    Examples
    --------
    >>> print(_json_blob({"name": "x", "households": [{"id": "H1", "parent": "U1"}]}).decode())
    {
      "name": "x",
      "households": [
        { "id": "H1", "parent": "U1" }
      ]
    }
    <BLANKLINE>
    """
    import pydantic_core

    tables = {f: v for f in TABLE_FIELDS if isinstance(v := data.get(f), list) and v}
    if not tables:
        return pydantic_core.to_json(data, indent=2) + b"\n"
    stand_ins = {f: f"@gridgov-rows-{f}-{os.urandom(8).hex()}@" for f in tables}
    blob = pydantic_core.to_json({**data, **stand_ins}, indent=2) + b"\n"
    for field, rows in tables.items():
        quoted = f'"{stand_ins[field]}"'.encode()
        if blob.count(quoted) != 1:  # a random name found elsewhere too: never, but be plain
            return pydantic_core.to_json(data, indent=2) + b"\n"
        blob = blob.replace(quoted, _rows_one_per_line(rows))
    return blob


def _rows_one_per_line(rows: list[Any]) -> bytes:
    """A table's rows as a JSON array member at depth 1: ``[``, a row per line, ``]``.

    ``to_json`` escapes every line break inside a string, so each line break in its output is
    white space between tokens: joining a row's lines changes no value.
    """
    import pydantic_core

    text = pydantic_core.to_json(rows, indent=2)  # rows at indent 2, their members at 4
    text = text.replace(b"\n    ", b" ").replace(b"\n  }", b" }")
    return text.replace(b"\n  {", b"\n    {").removesuffix(b"\n]") + b"\n  ]"


def _encode(data: dict[str, Any], fmt: DocumentFormat) -> Iterator[bytes]:
    """The document's bytes, in chunks (the writer streams them to the temporary file)."""
    if fmt == "json":
        blob = _json_blob(data)
    else:
        yaml = _yaml()
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # the safe dumper, in C if built
        blob = yaml.dump(  # a safe dumper: plain data only
            data, Dumper=dumper, allow_unicode=True, sort_keys=False, encoding="utf-8"
        )
    for start in range(0, len(blob), _CHUNK):
        yield blob[start : start + _CHUNK]
