"""Fuzz every reader: mutated files give a structure or a GridgovError, nothing else.

Each test starts from a real small file (the structure of ``tests/conftest.py`` saved as JSON,
YAML or with its tables beside it as CSV, NDJSON or Parquet; a household ledger as CSV or
XLSX), mutates it (bytes flipped, inserted, deleted, the file truncated, a value anywhere in
the document replaced by a value of another type, cells of the wrong type in every table
format) and feeds it to :func:`gridgov.load` or :func:`gridgov.io.import_ledger`. Success and
any :class:`~gridgov.errors.GridgovError` are accepted; every other exception fails the test,
including ``BaseException`` subclasses such as ``pyo3_runtime.PanicException`` (only
``KeyboardInterrupt`` passes through).

Parquet is mutated in its footer (metadata) and by truncation only: a corrupt *data page
header* can make polars abort the whole process on a failed allocation, which no Python code
can catch (see the io notes in the report of issue 8); a content hash checked before parsing
is the defence against that, not the reader.
"""

from __future__ import annotations

import csv
import io
import json
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gridgov.errors import GridgovError
from gridgov.io import import_ledger, load, save
from gridgov.org import Structure

FUZZ = settings(
    max_examples=100,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    deadline=None,
)


def _typed_or_success(action: Callable[[], object]) -> None:
    """Run ``action``; anything but success or a GridgovError fails the test."""
    try:
        action()
    except GridgovError:
        return
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # the point: PanicException is a BaseException
        pytest.fail(f"untyped {type(exc).__module__}.{type(exc).__qualname__}: {exc!r:.300}")


# -- mutations ----------------------------------------------------------------------------
@st.composite
def _byte_mutation(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` with a few bytes flipped, inserted or deleted, or cut short."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "set"]))
        at = draw(st.integers(0, max(len(out) - 1, 0)))
        if kind == "flip" and out:
            out[at] ^= draw(st.integers(1, 255))
        elif kind == "set" and out:
            out[at] = draw(st.sampled_from(b'"[]{},:\\\n\x00-0e.'))
        elif kind == "insert":
            out[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "delete":
            del out[at : at + draw(st.integers(1, 16))]
        else:
            del out[at:]
    return bytes(out)


_ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(["", " ", "2024-02-30", "0", "-1", "1e3", "U1", "\u200b", "G1\x00"]),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value in a JSON-like document."""
    out: list[tuple[Any, ...]] = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out.extend(_paths(value, (*prefix, key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out.extend(_paths(value, (*prefix, i)))
    return out


@st.composite
def _value_mutation(draw: st.DrawFn, doc: dict[str, Any]) -> dict[str, Any]:
    """``doc`` with one to three values anywhere replaced by values of another type."""
    doc = json.loads(json.dumps(doc))
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(doc) if p]
        path = draw(st.sampled_from(paths))
        parent = doc
        for part in path[:-1]:
            parent = parent[part]
        if draw(st.booleans()) or not isinstance(parent, dict):
            parent[path[-1]] = draw(_ODD_VALUES)
        else:  # a key renamed: unknown or duplicated fields
            parent[draw(st.sampled_from(["id", "zz", "parent", "residents"]))] = parent.pop(
                path[-1]
            )
    return doc


# -- the structure files ------------------------------------------------------------------
@pytest.fixture
def saved(small: Structure, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The small structure's bytes in each format (main files and tables beside)."""
    folder = tmp_path_factory.mktemp("saved")
    out: dict[str, bytes] = {}
    for suffix in ("json", "yaml"):
        out[suffix] = save(small, folder / f"city.{suffix}", include_personal=True).read_bytes()
    for fmt in ("csv", "ndjson", "parquet"):
        sub = folder / fmt
        sub.mkdir()
        _without_hashes(save(small, sub / "city.json", tables=fmt), fmt)
        for file in sub.iterdir():
            out[f"{fmt}:{file.name}"] = file.read_bytes()
    return out


@pytest.mark.parametrize("suffix", ["json", "yaml"])
@FUZZ
@given(data=st.data())
def test_mutated_structure_bytes(
    saved: dict[str, bytes], tmp_path: Path, suffix: str, data: st.DataObject
) -> None:
    path = tmp_path / f"city.{suffix}"
    path.write_bytes(data.draw(_byte_mutation(saved[suffix])))
    _typed_or_success(lambda: load(path))


@pytest.mark.parametrize("suffix", ["json", "yaml"])
@FUZZ
@given(data=st.data())
def test_values_of_the_wrong_type_anywhere(
    saved: dict[str, bytes], tmp_path: Path, suffix: str, data: st.DataObject
) -> None:
    doc = data.draw(_value_mutation(json.loads(saved["json"])))
    path = tmp_path / f"city.{suffix}"
    if suffix == "json":
        path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    else:
        import yaml

        path.write_text(yaml.safe_dump(doc, allow_unicode=True), "utf-8")
    _typed_or_success(lambda: load(path))


def _without_hashes(main: Path, fmt: str) -> None:
    """Rename the tables to fixed names and drop their hashes (the layout before hashes).

    A mutated table under a hash is refused before it is parsed; the fuzz is for the parsers.
    """
    data = json.loads(main.read_text("utf-8"))
    for field in _TABLES:
        fixed = main.with_name(f"city.{field}.{fmt}")
        (main.parent / data[field]["file"]).rename(fixed)
        data[field] = {"file": fixed.name, "format": fmt, "rows": data[field]["rows"]}
    main.write_text(json.dumps(data), "utf-8")


def _write_tables(saved: dict[str, bytes], fmt: str, folder: Path) -> Path:
    for key, content in saved.items():
        if key.startswith(f"{fmt}:"):
            (folder / key.split(":", 1)[1]).write_bytes(content)
    return folder / "city.json"


_TABLES = ["areas", "households", "linked_households"]


@pytest.mark.parametrize("fmt", ["csv", "ndjson"])
@FUZZ
@given(data=st.data())
def test_mutated_text_tables(
    saved: dict[str, bytes], tmp_path: Path, fmt: str, data: st.DataObject
) -> None:
    main = _write_tables(saved, fmt, tmp_path)
    table = tmp_path / f"city.{data.draw(st.sampled_from(_TABLES))}.{fmt}"
    table.write_bytes(data.draw(_byte_mutation(table.read_bytes())))
    _typed_or_success(lambda: load(main))


@pytest.mark.parametrize("fmt", ["csv", "ndjson"])
@FUZZ
@given(data=st.data())
def test_text_table_cells_of_the_wrong_type(
    saved: dict[str, bytes], tmp_path: Path, fmt: str, data: st.DataObject
) -> None:
    main = _write_tables(saved, fmt, tmp_path)
    name = data.draw(st.sampled_from(_TABLES))
    table = tmp_path / f"city.{name}.{fmt}"
    rows = list(_rows(table, fmt))
    if not rows:
        return
    for _ in range(data.draw(st.integers(1, 3))):
        row = data.draw(st.sampled_from(rows))
        row[data.draw(st.sampled_from(sorted(row)))] = data.draw(_ODD_VALUES)
    if fmt == "ndjson":
        table.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        table.write_text(buffer.getvalue(), "utf-8")
    _typed_or_success(lambda: load(main))


def _rows(table: Path, fmt: str) -> list[dict[str, Any]]:
    text = table.read_text("utf-8")
    if fmt == "ndjson":
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    return list(csv.DictReader(io.StringIO(text)))


@FUZZ
@given(data=st.data())
def test_mutated_parquet_footer_or_length(
    saved: dict[str, bytes], tmp_path: Path, data: st.DataObject
) -> None:
    main = _write_tables(saved, "parquet", tmp_path)
    table = tmp_path / f"city.{data.draw(st.sampled_from(_TABLES))}.parquet"
    content = bytearray(table.read_bytes())
    footer = len(content) - 8 - struct.unpack("<I", content[-8:-4])[0]
    if data.draw(st.booleans()):
        at = data.draw(st.integers(footer, len(content) - 1))
        content[at] ^= data.draw(st.integers(1, 255))
    else:
        del content[data.draw(st.integers(0, len(content) - 1)) :]
    table.write_bytes(bytes(content))
    _typed_or_success(lambda: load(main))


@FUZZ
@given(data=st.data())
def test_parquet_cells_of_the_wrong_type(
    saved: dict[str, bytes], tmp_path: Path, data: st.DataObject
) -> None:
    import polars as pl

    main = _write_tables(saved, "parquet", tmp_path)
    name = data.draw(st.sampled_from(_TABLES))
    table = tmp_path / f"city.{name}.parquet"
    frame = pl.read_parquet(table)
    column = data.draw(st.sampled_from(frame.columns))
    replacement = data.draw(
        st.sampled_from(
            [
                pl.Series([[1]] * frame.height),
                pl.Series([{"a": 1}] * frame.height),
                pl.Series([1.5] * frame.height),
                pl.Series([b"x"] * frame.height),
                pl.Series([True] * frame.height),
                pl.Series([None] * frame.height),
                pl.Series(["2024-02-30"] * frame.height),
                pl.Series([2**40] * frame.height),
            ]
        )
    )
    frame.with_columns(replacement.alias(column)).write_parquet(table)
    _typed_or_success(lambda: load(main))


# -- ledgers ------------------------------------------------------------------------------
_LEDGER_ROWS: list[list[object]] = [
    ["户号", "所属网格", "所属单元", "人口数", "入住日期"],
    ["N1", "G1", "U1", 3, "2021-05-01"],
    ["N2", "G1", "U2", 2, None],
    ["N3", "G2", None, 1, "2022-01-01"],
]


@pytest.fixture(scope="module")
def ledger_xlsx() -> dict[str, bytes]:
    """The members of a small XLSX ledger made by openpyxl."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in _LEDGER_ROWS:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return buffer.getvalue()


@FUZZ
@given(data=st.data())
def test_mutated_xlsx_ledger(
    small: Structure, ledger_xlsx: dict[str, bytes], tmp_path: Path, data: st.DataObject
) -> None:
    members = dict(ledger_xlsx)
    if data.draw(st.booleans()):  # broken XML inside a valid zip: the worksheet parser's turn
        name = data.draw(st.sampled_from(sorted(members)))
        members[name] = data.draw(_byte_mutation(members[name]))
        content = _zipped(members)
    else:  # a broken zip
        content = data.draw(_byte_mutation(_zipped(members)))
    path = tmp_path / "台账.xlsx"
    path.write_bytes(content)
    _typed_or_success(lambda: import_ledger(small, path))


@FUZZ
@given(data=st.data())
def test_xlsx_ledger_cells_of_the_wrong_type(
    small: Structure, tmp_path: Path, data: st.DataObject
) -> None:
    import datetime as dt

    import openpyxl

    rows = [list(r) for r in _LEDGER_ROWS]
    cell_values = st.one_of(
        _ODD_VALUES.filter(lambda v: not isinstance(v, list | dict)),
        st.sampled_from([dt.date(2020, 1, 1), dt.datetime(2020, 1, 1, 8), dt.time(9), 1e308]),
    )
    for _ in range(data.draw(st.integers(1, 4))):
        row = data.draw(st.integers(0, len(rows) - 1))
        col = data.draw(st.integers(0, len(rows[0]) - 1))
        rows[row][col] = data.draw(cell_values)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    from openpyxl.utils.exceptions import IllegalCharacterError

    for row_values in rows:
        try:
            sheet.append(row_values)
        except (ValueError, TypeError, IllegalCharacterError):  # openpyxl refuses to write it
            return
    path = tmp_path / "台账.xlsx"
    book.save(path)
    _typed_or_success(lambda: import_ledger(small, path))


@FUZZ
@given(data=st.data())
def test_mutated_csv_ledger(small: Structure, tmp_path: Path, data: st.DataObject) -> None:
    text = "\n".join(",".join("" if v is None else str(v) for v in r) for r in _LEDGER_ROWS)
    encoding = data.draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
    path = tmp_path / "台账.csv"
    path.write_bytes(data.draw(_byte_mutation(text.encode(encoding))))
    _typed_or_success(lambda: import_ledger(small, path))


def test_the_unmutated_inputs_load(
    small: Structure, saved: dict[str, bytes], tmp_path: Path
) -> None:
    """The fuzzers start from inputs that load, so a mutation is what makes any failure."""
    for suffix in ("json", "yaml"):
        path = tmp_path / f"city.{suffix}"
        path.write_bytes(saved[suffix])
        assert isinstance(load(path), Structure)
    for fmt in ("csv", "ndjson", "parquet"):
        folder = tmp_path / fmt
        folder.mkdir()
        assert len(load(_write_tables(saved, fmt, folder)).households) == 4
    path = tmp_path / "台账.csv"
    path.write_text("\n".join(",".join(str(v or "") for v in r) for r in _LEDGER_ROWS), "utf-8")
    assert len(import_ledger(small, path).households) == 7
