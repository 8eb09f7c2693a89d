"""The fast path of ``load`` for JSON documents, against the ordinary path, on generated input.

:mod:`gridgov.io._json_fast` reads the tables as columns and the rich part with pydantic's
``validate_json``, and must give exactly what the ordinary path gives: the same structure, or
the same error with the same message and problems. Where the ordinary parser refuses the
document (a key twice, ``NaN``, too deep, not JSON) the fast path must not vouch for it at
all (``read_fast`` returns ``None``).
"""

from __future__ import annotations

import functools
import json
import random
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gridgov.errors import DataFileError, StructureError, UnsafeInputError
from gridgov.io import json_yaml, load, save
from gridgov.io._json_fast import CHUNK_BYTES, read_fast
from gridgov.io.tables import resolve_tables
from gridgov.org import Structure
from gridgov.testing import structures

PERSONAL = {"include_personal": True}
SOURCE = "city.json"


def document(s: Structure) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        json_yaml._json_blob(json_yaml.to_data(s, include_personal=True))
    )
    return data


def ordinary(raw: bytes, max_depth: int = 64) -> tuple[str, Any]:
    """What the ordinary path (parse every byte, then validate) gives for ``raw``."""
    try:
        data = json_yaml.parse_document(raw, "json", SOURCE, max_depth=max_depth)
        if not isinstance(data, dict):
            return "not-a-mapping", None
        data.pop("$schema", None)
        s = json_yaml.from_data(resolve_tables(data, SOURCE), source=SOURCE)
    except (DataFileError, StructureError) as exc:
        return type(exc).__name__, (str(exc), getattr(exc, "problems", None))
    return "ok", s.model_dump(mode="json", context=PERSONAL)


def through_load(raw: bytes, tmp: Path, max_depth: int = 64) -> tuple[str, Any]:
    """What ``gridgov.load`` (fast path first) gives for ``raw`` saved as ``city.json``."""
    path = tmp / SOURCE
    path.write_bytes(raw)
    try:
        s = load(path, max_depth=max_depth)
    except (DataFileError, StructureError) as exc:
        text = str(exc).replace(str(path), SOURCE)
        problems = getattr(exc, "problems", None)
        return type(exc).__name__, (text, problems)
    return "ok", s.model_dump(mode="json", context=PERSONAL)


def fast_outcome(raw: bytes, max_depth: int = 64, chunk_bytes: int = 1) -> tuple[str, Any] | None:
    """What the fast path alone gives, or ``None`` when it does not vouch for ``raw``.

    ``chunk_bytes``: 1 cuts every array of flat models (people, posts …) out of the rich
    part and validates it a row at a time; :data:`CHUNKS` are the sizes the tests draw.
    """
    data = read_fast(raw, SOURCE, max_depth=max_depth, min_rows=1, chunk_bytes=chunk_bytes)
    if data is None:
        return None
    try:
        s = json_yaml.from_data(resolve_tables(data, SOURCE), source=SOURCE)
    except StructureError:
        return None  # load reads it again the ordinary way, for the ordinary message
    return "ok", s.model_dump(mode="json", context=PERSONAL)


HEALTH = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
#: Slice sizes: every row, a few rows, and the default (the arrays stay in the rich part).
CHUNKS = st.sampled_from([1, 200, CHUNK_BYTES])


@settings(max_examples=60, deadline=None, suppress_health_check=HEALTH)
@given(structures(min_households=1, max_households=30), CHUNKS)
def test_a_saved_structure_takes_the_fast_path_and_loads_as_before(
    s: Structure, chunk_bytes: int
) -> None:
    raw = json_yaml._json_blob(json_yaml.to_data(s, include_personal=True))
    fast = fast_outcome(raw, chunk_bytes=chunk_bytes)
    assert fast is not None  # a document gridgov wrote is always vouched for
    assert fast == ordinary(raw)


# -- broken documents -------------------------------------------------------------------------
def objects(node: Any, top: bool = True) -> list[dict[str, Any]]:
    """Every JSON object in ``node`` (the document itself too unless ``top`` is false)."""
    found: list[dict[str, Any]] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            found.append(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found if top else found[1:]


MARK = "@@MUTATION@@"


def with_mark(data: dict[str, Any], rng: random.Random, value: Any) -> str:
    """``data`` as text with a marked member added to one random non-empty object."""
    candidates = [o for o in objects(data) if o]
    target = rng.choice(candidates)
    target[MARK] = value
    return json.dumps(data, indent=rng.choice([None, 2]), ensure_ascii=rng.random() < 0.3)


def _pretty(data: dict[str, Any]) -> bytes:
    return json.dumps(data, indent=2).encode()


#: Odd names (each object's ``name`` rewritten), and how the document is then written.
RENAMED: dict[str, tuple[Any, Any]] = {
    "nan-in-string": (lambda name: "NaN or Infinity", json_yaml._json_blob),
    "colon-in-string": (lambda name: name + ":12:30", json_yaml._json_blob),
    "escapes": (lambda name: name + ' "q" \\ \u00e9', _pretty),
    "table-name-in-a-string": (lambda name: '"households": [', json_yaml._json_blob),
    "stand-in-in-a-string": (lambda name: "gridgov-table-0123456789abcdef", json_yaml._json_blob),
    # a wrong guess of where an array of people ends, or of where one of its rows does
    "bracket-in-a-string": (lambda name: name + " ] [", json_yaml._json_blob),
    "row-end-in-a-string": (lambda name: name + " }, {", json_yaml._json_blob),
}


def mutate(data: dict[str, Any], kind: str, rng: random.Random) -> bytes:
    """``data``'s document broken (or merely made unusual) in the way ``kind`` names."""
    if kind == "duplicate-key":
        target = rng.choice([o for o in objects(data) if o])
        key = rng.choice(list(target))
        target[MARK] = None
        text = json.dumps(data, indent=2)
        return text.replace(f'"{MARK}": null', f'"{key}": {json.dumps(target[key])}').encode()
    if kind == "unknown-key":
        return with_mark(data, rng, 1).replace(MARK, "colour").encode()
    if kind == "nan":
        text = with_mark(data, rng, 0.5)
        return text.replace(f'"{MARK}": 0.5', '"floor_area_m2": NaN').encode()
    if kind in RENAMED:
        rename, write = RENAMED[kind]
        for o in objects(data):
            if isinstance(o.get("name"), str):
                o["name"] = rename(o["name"])
        return write(data)
    if kind == "space-before-colon":
        return json_yaml._json_blob(data).replace(b'"name":', b'"name" :')
    if kind == "table-twice":
        text = json_yaml._json_blob(data)
        rows = json.dumps(data.get("households", []))
        return text.replace(b"{", b'{\n  "households": ' + rows.encode() + b",", 1)
    if kind == "deep":
        return with_mark(data, rng, [[[[[[[[[[1]]]]]]]]]]).encode()
    if kind == "not-json":
        return json_yaml._json_blob(data)[:-3] + rng.choice([b"", b",", b"]}", b"}}x"])
    if kind == "trailing-comma-in-a-table":
        return json_yaml._json_blob(data).replace(b" }\n  ]", b" },\n  ]", 1)
    if kind == "row-spans-lines":
        return json_yaml._json_blob(data).replace(b', "parent"', b',\n "parent"', 1)
    if kind == "bom":
        return b"\xef\xbb\xbf" + json_yaml._json_blob(data)
    if kind == "schema-hint":
        return json.dumps({"$schema": "https://example.org/s.json", **data}).encode()
    return json_yaml._json_blob(data)


#: Odd but valid documents the fast path must read itself (a backslash, a colon or ``NaN``
#: inside a string, a space before a colon, a table's name inside a string…).
VOUCHED = {"none", "space-before-colon", "row-spans-lines", "schema-hint", *RENAMED}
#: What the ordinary parser refuses or rejects: the fast path hands these back to it.
BROKEN = {"duplicate-key", "unknown-key", "nan", "table-twice", "deep", "not-json"}
KINDS = sorted(VOUCHED | BROKEN | {"trailing-comma-in-a-table", "bom"})
#: What the ordinary parser refuses outright: the fast path must not vouch for any of these.
REFUSED = {"duplicate-key", "nan", "not-json"}


@settings(max_examples=80, deadline=None, suppress_health_check=HEALTH)
@given(
    structures(min_households=1, max_households=20),
    st.sampled_from(KINDS),
    st.randoms(use_true_random=False),
    CHUNKS,
)
def test_a_broken_or_odd_document_loads_or_fails_as_the_ordinary_path_says(
    tmp_path: Path, s: Structure, kind: str, rng: random.Random, chunk_bytes: int
) -> None:
    raw = mutate(document(s), kind, rng)
    expected = ordinary(raw)
    assert through_load(raw, tmp_path) == expected
    fast = fast_outcome(raw, chunk_bytes=chunk_bytes)
    assert fast is None or fast == expected
    if kind in REFUSED and expected[0] == "DataFileError":
        assert fast is None
    if kind in VOUCHED:
        assert fast is not None  # the fast path is the one taken, not the fallback


@settings(max_examples=60, deadline=None, suppress_health_check=HEALTH)
@given(structures(min_households=1, max_households=20), st.integers(1, 6))
def test_max_depth_is_enforced_without_a_scan(tmp_path: Path, s: Structure, max_depth: int) -> None:
    raw = json_yaml._json_blob(json_yaml.to_data(s, include_personal=True))
    try:
        json_yaml.parse_document(raw, "json", SOURCE, max_depth=max_depth)
    except UnsafeInputError:
        assert read_fast(raw, SOURCE, max_depth=max_depth, min_rows=1) is None
        assert read_fast(raw, SOURCE, max_depth=max_depth, min_rows=1, chunk_bytes=1) is None
        with pytest.raises(UnsafeInputError, match=f"nested deeper than {max_depth} levels"):
            load(_written(tmp_path, raw), max_depth=max_depth)
    else:
        assert fast_outcome(raw, max_depth) == ordinary(raw, max_depth)
        assert fast_outcome(raw, max_depth, CHUNK_BYTES) == ordinary(raw, max_depth)


def _written(tmp: Path, raw: bytes) -> Path:
    path = tmp / SOURCE
    path.write_bytes(raw)
    return path


def test_a_synthetic_city_is_read_by_the_fast_path(tmp_path: Path) -> None:
    from gridgov.datasets import synthetic_city

    city = synthetic_city(3000, seed=4)
    raw = save(city, tmp_path / "city.json").read_bytes()
    data = read_fast(raw, SOURCE, max_depth=64)
    assert data is not None
    tables = ("areas", "households", "linked_households")
    assert not any(isinstance(data[f], list) for f in tables)  # all three read as columns
    back = load(tmp_path / "city.json")
    for name in Structure.model_fields:
        assert getattr(back, name) == getattr(city, name), name
    sliced = read_fast(raw, SOURCE, max_depth=64, chunk_bytes=4096)  # people, posts … sliced
    assert sliced is not None
    assert {f: sliced[f] for f in ("people", "posts")} == {f: data[f] for f in ("people", "posts")}


def _people_array(names: list[str], indent: int | None) -> tuple[bytes, int, int]:
    people = [
        {"id": f"P{k}", "name": name, "party": {"status": "full"} if k % 2 else None}
        for k, name in enumerate(names)
    ]
    raw = json.dumps({"name": "x", "people": people}, indent=indent).encode()
    return raw, raw.index(b"["), raw.rindex(b"]")


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.text(st.characters(codec="utf-8"), max_size=8), max_size=30),
    st.sampled_from([None, 2]),
    st.integers(1, 400),
)
def test_an_array_read_a_slice_at_a_time_is_the_array_read_whole(
    names: list[str], indent: int | None, size: int
) -> None:
    from gridgov.io._json_fast import _sliced, _sliced_fields, _slices

    adapter = _sliced_fields()["people"]
    raw, opened, closed = _people_array(names, indent)
    try:
        whole: tuple[Any, ...] | None = tuple(adapter.validate_json(raw[opened : closed + 1]))
    except ValueError:
        whole = None  # a name that is not a valid one: no slicing may make it valid
    sliced = _sliced(raw, opened, closed, adapter, size)
    assert sliced is None or sliced == whole
    if whole is not None and not any(c in "".join(names) for c in "{}[],"):
        assert sliced == whole  # nothing in a string looks like a row's end
    if size == 1 and len(names) > 1 and sliced is not None:
        assert len(list(_slices(raw, opened + 1, closed, size))) == len(names)  # a row a slice


def test_a_row_end_inside_a_string_is_never_a_cut() -> None:
    from gridgov.io._json_fast import _sliced, _sliced_fields

    adapter = _sliced_fields()["people"]
    raw, opened, closed = _people_array(["a }, {", "b", "c"], None)
    assert _sliced(raw, opened, closed, adapter, 1) is None  # the cut made a slice not JSON
    raw, opened, closed = _people_array(["a", "b", "c"], None)
    assert _sliced(raw, opened, closed, adapter, 1) is not None


def test_saved_tables_have_one_row_per_line(tmp_path: Path) -> None:
    from gridgov.datasets import synthetic_city

    city = synthetic_city(200, seed=4)
    text = save(city, tmp_path / "city.json").read_text(encoding="utf-8")
    start = text.index('"households": [')
    block = text[start : text.index("]", start)]
    lines = [line for line in block.splitlines()[1:] if line.strip()]
    assert len(lines) == len(city.households)
    assert all(line.startswith("    { ") and line.rstrip(",").endswith(" }") for line in lines)


def test_tally_keeps_the_deepest_of_models_of_several_classes() -> None:
    """A list holding a nested model before a flat one is as deep as the nested one."""
    from pydantic import BaseModel

    from gridgov.io._json_fast import _tally

    class Inner(BaseModel):
        x: int

    class Outer(BaseModel):
        inner: Inner

    class Flat(BaseModel):
        y: int

    # [ {"inner": {"x": 1}}, {"y": 2} ]: the array (1), its objects (2), the inner object (3);
    # keys: inner, x, y
    assert _tally([[Outer(inner=Inner(x=1)), Flat(y=2)]], 1) == (3, 3)


# -- the saved layout of a table, read as split lines ---------------------------------------
def _quotes_moved(line: str) -> str:
    """A string cut to a lone quote, and a quote added inside the next: the count holds."""
    lone = re.sub(r'("[a-z_]+": )"[^"]*"', r'\1"', line, count=1)
    if lone == line:
        return line
    at = lone.index('": "', lone.index('": "') + 1) if lone.count('": "') > 1 else -1
    return lone if at < 0 else lone[: at + 4] + '"' + lone[at + 4 :]


#: Edits of one saved row line; each keeps or breaks the JSON, and changes a cell or not.
LINE_EDITS: dict[str, Any] = {
    "as-saved": lambda line: line,
    "comma-in-text": lambda line: line.replace('": "', '": "a, ', 1),
    "text-null": lambda line: line.replace('": null', '": "null"', 1),
    "empty-text": lambda line: re.sub(r'"parent": "[^"]*"', '"parent": ""', line, count=1),
    "chinese-text": lambda line: line.replace('": "', '": "网格，', 1),
    "tab-in-text": lambda line: line.replace('": "', '": "\t', 1),
    "no-comma-after": lambda line: line.rstrip(","),
    "space-after-comma": lambda line: line + " " if line.endswith(",") else line,
    "two-spaces": lambda line: line.replace('": ', '":  ', 1),
    "no-space": lambda line: line.replace('": ', '":', 1),
    "indent-8": lambda line: "    " + line,
    "leading-zero": lambda line: line.replace('"residents": ', '"residents": 0', 1),
    "plus-sign": lambda line: line.replace('"residents": ', '"residents": +', 1),
    "fraction": lambda line: line.replace(', "start"', '.5, "start"', 1),
    "huge": lambda line: line.replace('"residents": ', '"residents": 99999999999999999999', 1),
    "true": lambda line: line.replace('": null', '": true', 1),
    "number-as-text": lambda line: line.replace('"parent": "', '"parent": 7, "p": "', 1),
    "keys-swapped": lambda line: line.replace('{ "id"', '{ "idx"', 1),
    "key-missing": lambda line: line.replace(', "end": null', "", 1),
    "key-twice": lambda line: line.replace(" }", ', "end": null }', 1),
    "unknown-key": lambda line: line.replace(" }", ', "colour": "red" }', 1),
    "nested": lambda line: line.replace('": null', '": {"a": 1}', 1),
    "cr": lambda line: line + "\r",
    "nul": lambda line: line.replace('": "', '": "\x00', 1),
    "blank-line-after": lambda line: line + "\n",
    "quote-in-text": lambda line: line.replace('": "', '": "a"', 1),
    "quotes-moved": _quotes_moved,
}


#: Edits that keep the saved layout (a value changed, still a string or ``null``).
SAVED_LAYOUT = {"as-saved", "text-null", "empty-text", "chinese-text"}


@settings(max_examples=150, deadline=None, suppress_health_check=HEALTH)
@given(
    structures(min_households=2, max_households=20),
    st.sampled_from(sorted(LINE_EDITS)),
    st.sampled_from(["areas", "households"]),
    st.randoms(use_true_random=False),
)
def test_saved_rows_are_read_as_columns_only_as_json_reads_them(
    tmp_path: Path, s: Structure, edit: str, table: str, rng: random.Random
) -> None:
    """The split-line reader gives the cells ``json.loads`` gives, or leaves the array alone.

    One row line of a saved table is edited. Whatever the edit, ``load`` gives what the
    ordinary path gives; and when the split-line reader reads the array, the JSON parser,
    refusing repeated keys, reads the same cells in the same columns.
    """
    _check_edit(tmp_path, s, edit, table, rng.random())


@pytest.mark.parametrize("edit", sorted(LINE_EDITS))
@pytest.mark.parametrize("where", [0.0, 0.5, 0.999])
def test_each_edit_of_a_saved_row_in_a_city(tmp_path: Path, edit: str, where: float) -> None:
    """Every edit, on the first, a middle and the last row, of tables read as columns."""
    for table in ("areas", "households"):
        _check_edit(tmp_path, _city(), edit, table, where)


@functools.cache
def _city() -> Structure:
    from gridgov.datasets import synthetic_city

    return synthetic_city(800, seed=3)  # tables long enough for load to read as columns


def _check_edit(tmp: Path, s: Structure, edit: str, table: str, where: float) -> None:
    from gridgov.io import _json_tables

    raw = json_yaml._json_blob(json_yaml.to_data(s, include_personal=True)).decode()
    head = f'  "{table}": [\n'
    opened = raw.index(head) + len(head)
    closed = raw.index("\n  ]", opened)
    lines = raw[opened:closed].split("\n")
    k = int(where * len(lines))
    lines[k] = LINE_EDITS[edit](lines[k])
    raw_bytes = (raw[:opened] + "\n".join(lines) + raw[closed:]).encode()
    assert through_load(raw_bytes, tmp) == ordinary(raw_bytes)

    body = "\n".join(lines).rstrip().encode()
    kind = _json_tables.COLUMNAR_FIELDS[table]
    frame = _json_tables._as_saved(body, kind)
    try:
        rows = json.loads(b"[" + body + b"]", object_pairs_hook=_refusing_repeats)
    except ValueError:
        assert frame is None  # not JSON (or a key twice): never read as columns
        return
    if frame is None:
        assert edit not in SAVED_LAYOUT  # the layout gridgov writes is always read this way
        return  # not the saved layout: the other readers decide
    names = [c.name for c in kind.columns]
    assert all(list(row) == names for row in rows)  # every key, in column order
    assert frame.columns == names
    assert frame.rows() == [tuple(row[n] for n in names) for row in rows]


def _refusing_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError("a key twice")
    return dict(pairs)


def test_tables_come_back_checked_with_their_indexes_built(tmp_path: Path) -> None:
    """The worker builds what the checks need from the tables; the structure adopts it."""
    from gridgov.datasets import synthetic_city
    from gridgov.org import AreaTable, HouseholdTable, LinkTable

    city = synthetic_city(3000, seed=2)  # areas enough to be read as columns too
    raw = save(city, tmp_path / "city.json").read_bytes()
    data = read_fast(raw, SOURCE, max_depth=64)
    assert data is not None
    areas, households, links = data["areas"], data["households"], data["linked_households"]
    assert isinstance(areas, AreaTable)
    assert isinstance(households, HouseholdTable)
    assert isinstance(links, LinkTable)
    built = (households._index, households._under, links._rows_in)
    assert all(part is not None for part in built)  # built off the main thread, kept
    s = json_yaml.from_data(dict(data), source=SOURCE)
    assert s.households is households
    assert s.index is households._under[1]  # adopted, not built again
    for level in ("grid", "community", "street"):
        assert s.rollup(level).equals(city.rollup(level))
