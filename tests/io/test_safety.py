"""Tests for gridgov.io.safety: bounded reads, refused tags/aliases/formulas, CSV neutralising."""

from __future__ import annotations

import json
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gridgov.errors import DataFileError, UnsafeInputError
from gridgov.io import load
from gridgov.io.safety import (
    CSV_TRIGGERS,
    _json_depth,
    check_depth,
    json_depth,
    mapped_bounded,
    neutralise_cell,
    read_bounded,
    read_xlsx_rows,
    restore_cell,
    scan_yaml,
)


def test_read_bounded_refuses_large_files(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(b" " * 2000)
    assert read_bounded(path, max_bytes=2000) == b" " * 2000
    with pytest.raises(UnsafeInputError, match=r"big\.json: refused: 2,000 bytes .* 1,999 bytes"):
        read_bounded(path, max_bytes=1999)


def _mapped(path: Path, max_bytes: int) -> bytes:
    with mapped_bounded(path, max_bytes) as data:
        return bytes(data[:])


@pytest.mark.parametrize("kind", ["missing", "directory", "fifo", "too-large", "empty", "ok"])
def test_a_mapped_file_is_refused_or_read_as_read_bounded_does(tmp_path: Path, kind: str) -> None:
    """Same bytes, or the same error with the same message, for every kind of bad path."""
    import os

    path = tmp_path / "doc.json"
    if kind == "directory":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind != "missing":
        path.write_bytes(b"" if kind == "empty" else b'{"name": "x"}')
    limit = 5 if kind == "too-large" else 100
    outcomes = []
    for read in (read_bounded, _mapped):
        try:
            outcomes.append(("ok", read(path, limit)))
        except (DataFileError, UnsafeInputError) as exc:
            outcomes.append((type(exc).__name__, str(exc)))
    assert outcomes[0] == outcomes[1]
    assert (outcomes[0][0] == "ok") == (kind in {"empty", "ok"})


def test_load_passes_the_size_bound(tmp_path: Path) -> None:
    path = tmp_path / "city.json"
    path.write_text('{"name": "x"}', "utf-8")
    with pytest.raises(UnsafeInputError, match="larger than the limit"):
        load(path, max_bytes=5)


@pytest.mark.parametrize(
    ("doc", "depth"),
    [
        (b"1", 0),
        (b"{}", 1),
        (b'{"a": [1, {"b": "]]]"}]}', 3),
        (b'["\\\\", ["\\"[[["]]', 2),
        (b'[["\\\\\\"[[["]]', 2),
    ],
)
def test_json_depth_ignores_brackets_in_strings(doc: bytes, depth: int) -> None:
    assert json_depth(doc) == depth
    for size in (1, 2, 3, 7):  # every chunk boundary, inside runs of backslashes too
        assert _json_depth(doc, None, size) == depth


def _nesting(value: object) -> int:
    """Depth of a Python value the way JSON nests it (the known answer for the scan)."""
    if isinstance(value, dict):
        return 1 + max((_nesting(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_nesting(v) for v in value), default=0)
    return 0


_JSON_TEXT = st.text(alphabet='"\\[]{}ab\n\u00e9\u4e2d', max_size=8)
_JSON_VALUES = st.recursive(
    st.none() | st.integers() | _JSON_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_JSON_TEXT, inner, max_size=4),
    max_leaves=30,
)


@given(value=_JSON_VALUES, size=st.integers(1, 9), ascii_only=st.booleans())
def test_json_depth_matches_the_parsed_nesting(value: object, size: int, ascii_only: bool) -> None:
    doc = json.dumps(value, ensure_ascii=ascii_only).encode("utf-8")
    assert _json_depth(doc, None, size) == _nesting(value) == json_depth(doc)


def test_json_depth_memory_is_bounded_by_its_chunk() -> None:
    # 24 MiB of strings full of brackets, quotes and escapes: the old scan copied the text
    # several times and split it into millions of pieces (about 10-46x the size); the chunked
    # scan holds one chunk's arrays
    doc = json.dumps(['a "[b]" {c} \\ d'] * 1_200_000).encode("utf-8")
    tracemalloc.start()
    try:
        depth = json_depth(doc)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert depth == 1
    assert len(doc) > 24 * 2**20
    assert peak < 16 * 2**20 < len(doc)


def test_json_depth_stops_early_above_the_bound() -> None:
    assert json_depth(b"[" * 1000, stop_above=64) > 64


@pytest.mark.parametrize("suffix", ["json", "yaml"])
def test_deep_nesting_is_refused_before_parsing(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"deep.{suffix}"
    path.write_text("name: " * (suffix == "yaml") + "[" * 65 + "]" * 65, "utf-8")
    with pytest.raises(UnsafeInputError, match="nested deeper than 64 levels"):
        load(path)
    path.write_text("name: " * (suffix == "yaml") + "[" * 100_000 + "]" * 100_000, "utf-8")
    with pytest.raises(UnsafeInputError, match="nested deeper than 64 levels"):
        load(path)


def test_max_depth_is_a_parameter(tmp_path: Path) -> None:
    path = tmp_path / "city.json"
    path.write_text('{"name": "x", "posts": []}', "utf-8")
    with pytest.raises(UnsafeInputError, match="deeper than 1 levels"):
        load(path, max_depth=1)


def test_check_depth_walks_without_recursion() -> None:
    deep: list[object] = []
    node = deep
    for _ in range(5000):
        node.append([])
        node = node[0]  # type: ignore[assignment]  # building a nested list
    with pytest.raises(UnsafeInputError, match=r"x\.yaml: refused"):
        check_depth(deep, 64, "x.yaml")
    check_depth({"a": [1, 2, {"b": 3}]}, 3, "ok")


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("a: !!python/object/apply:os.system ['id']", "YAML tag '!!python/object/apply:os.system'"),
        ("a: !!python/name:os.system", "YAML tag '!!python/name:os.system'"),
        ("a: !!binary aGk=", "YAML tag '!!binary'"),
        ("a: !custom {x: 1}", "YAML tag '!custom'"),
        ("a: ! plain", "YAML tag '!'"),
        ("a: &x [1]\nb: *x", "YAML alias \\*x \\(line 2\\)"),
    ],
)
def test_yaml_tags_and_aliases_are_refused(text: str, what: str) -> None:
    with pytest.raises(UnsafeInputError, match=f"f.yaml: refused: {what}"):
        scan_yaml(text, "f.yaml")


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [
        f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    ]
    path = tmp_path / "lol.yaml"
    path.write_text("\n".join(lines), "utf-8")
    with pytest.raises(UnsafeInputError, match="YAML alias"):
        load(path)


def test_plain_yaml_passes_the_scan() -> None:
    scan_yaml("a: [1, 2]\nb: {c: '2024-01-01'}\nd: 2024-01-01\n", "ok.yaml")


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "台账"
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_xlsx_values_are_read(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "a.xlsx", [["户号", "人口数"], ["H1", 3]])
    assert read_xlsx_rows(path) == [("户号", "人口数"), ("H1", 3)]


def test_xlsx_formulas_are_refused_never_evaluated(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "f.xlsx",
        [["户号", "人口数"], ["H1", "=1+2"], ["H2", '=HYPERLINK("http://x","y")']],
    )
    with pytest.raises(UnsafeInputError, match=r"f\.xlsx: refused: 2 formula cell\(s\) .*B2, B3"):
        read_xlsx_rows(path)


def test_xlsx_unknown_sheet_lists_sheets(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "a.xlsx", [["户号"]])
    with pytest.raises(DataFileError, match="no sheet 'x'; sheets: 台账"):
        read_xlsx_rows(path, sheet="x")


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("户号,人口数\n", "utf-8")
    with pytest.raises(DataFileError, match=r"fake\.xlsx: not an XLSX workbook"):
        read_xlsx_rows(path)


def test_zip_bomb_is_refused_by_unpacked_size(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/big.xml", b"0" * 1_000_000)
    assert path.stat().st_size < 20_000
    with pytest.raises(UnsafeInputError, match="unpacks to 1,000,000 bytes"):
        read_xlsx_rows(path, max_bytes=100_000)


@given(st.text(max_size=20))
def test_neutralise_is_reversible_and_safe(value: str) -> None:
    out = neutralise_cell(value)
    assert restore_cell(out) == value
    assert out[:1] not in CSV_TRIGGERS


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@x", "\tx", "\rx"])
def test_triggers_are_prefixed(value: str) -> None:
    assert neutralise_cell(value) == "'" + value
