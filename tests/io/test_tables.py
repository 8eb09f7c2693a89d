"""Tests for gridgov.io.tables: tables beside the main file, in NDJSON, CSV and Parquet."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from pathlib import Path

import polars as pl
import pytest

from gridgov.errors import DataFileError, StructureError, TableMismatchError
from gridgov.io import format_of, json_yaml, load, save
from gridgov.io.json_yaml import parse_document
from gridgov.io.safety import CSV_TRIGGERS
from gridgov.io.tables import TABLE_FIELDS, TABLE_FORMATS, read_table, table_file
from gridgov.org import Structure

PERSONAL = {"include_personal": True}


def _table(main: Path, field: str) -> Path:
    """The file the main file names for ``field``."""
    name = parse_document(main.read_bytes(), format_of(main), str(main))[field]["file"]
    assert isinstance(name, str)
    return main.with_name(name)


def _without_hashes(main: Path) -> None:
    """Drop the ``sha256`` of every reference, as files saved before hashes were recorded."""
    data = json.loads(main.read_text("utf-8"))
    for field in TABLE_FIELDS:
        del data[field]["sha256"]
    main.write_text(json.dumps(data), "utf-8")


@pytest.mark.parametrize("fmt", list(TABLE_FORMATS))
@pytest.mark.parametrize("suffix", ["json", "yaml"])
def test_tables_beside_round_trip(small: Structure, tmp_path: Path, fmt: str, suffix: str) -> None:
    main = save(small, tmp_path / f"city.{suffix}", tables=fmt, include_personal=True)
    written = sorted(p.name for p in tmp_path.iterdir())
    tables = [_table(main, field) for field in TABLE_FIELDS]
    assert written == sorted([f"city.{suffix}", *(t.name for t in tables)])
    for field, table in zip(TABLE_FIELDS, tables, strict=True):
        digest = hashlib.sha256(table.read_bytes()).hexdigest()
        assert table.name == f"city.{field}.{digest[:16]}{TABLE_FORMATS[fmt]}"
    back = load(main)
    assert back.model_dump(context=PERSONAL) == small.model_dump(context=PERSONAL)
    assert back.households == small.households
    assert back.areas == small.areas
    assert back.linked_households == small.linked_households


def test_main_file_refers_by_relative_path(small: Structure, tmp_path: Path) -> None:
    main = save(small, tmp_path / "city.json", tables="parquet")
    data = json.loads(main.read_text("utf-8"))
    digest = hashlib.sha256(_table(main, "households").read_bytes()).hexdigest()
    assert data["households"] == {
        "file": f"city.households.{digest[:16]}.parquet",
        "format": "parquet",
        "rows": len(small.households),
        "sha256": digest,
    }
    assert list(data)[:4] == ["name", "code_scheme", "reference_date", "areas"]


def test_moved_directory_still_loads(small: Structure, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    save(small, tmp_path / "a" / "city.json", tables="ndjson")
    moved = tmp_path / "b"
    (tmp_path / "a").rename(moved)
    assert load(moved / "city.json").households == small.households


def test_csv_export_neutralises_formula_like_cells(small: Structure, tmp_path: Path) -> None:
    main = save(small, tmp_path / "city.json", tables="csv")
    cells = []
    for field in TABLE_FIELDS:
        with _table(main, field).open(newline="", encoding="utf-8") as fh:
            cells += [c for row in csv.reader(fh) for c in row]
    assert cells, "the tables have cells"
    assert not [c for c in cells if c[:1] in CSV_TRIGGERS]
    assert "'=第一网格" in cells
    assert "'+2" in cells
    assert "'-1号楼" in cells
    assert "'@一单元" in cells
    assert "''二单元" in cells  # a leading quote is escaped too, so reading back is exact
    assert "'-H4" in cells


def test_table_file_names() -> None:
    assert table_file("x/city.yaml", "areas", "csv") == Path("x/city.areas.csv")
    with pytest.raises(ValueError, match="unknown table format"):
        table_file("city.json", "areas", "xlsx")


def _with_reference(tmp_path: Path, small: Structure, ref: object) -> Path:
    main = save(small, tmp_path / "city.json", tables="csv")
    shutil.copy(_table(main, "households"), tmp_path / "city.households.csv")  # an old name
    data = json.loads(main.read_text("utf-8"))
    data["households"] = ref
    main.write_text(json.dumps(data), "utf-8")
    return main


@pytest.mark.parametrize(
    ("ref", "match"),
    [
        ({"file": "../secret.csv"}, "must be a relative path inside"),
        ({"file": "/etc/passwd"}, "must be a relative path inside"),
        ({"file": "C:\\x.csv"}, "must be a relative path inside"),
        ({"file": "gone.csv"}, "gone.csv: cannot read: no such file"),
        ({"file": "city.households.csv", "rows": 99}, "has 4 rows but city.json says 99"),
        ({"file": "city.households.csv", "sheet": 1}, "unknown key"),
        ({"file": "city.households.csv", "format": "xml"}, "unknown table format 'xml'"),
        ({"file": "city.households.txt"}, "cannot tell the format"),
        ({"file": ""}, "a table reference is"),
        ({"file": 5}, "'file' must be a file name, not 5"),
        ({"file": "a\x00b.csv"}, r"holds a control character \(a NUL byte"),
        ({"file": "city.households.csv", "format": {"a": 1}}, r"unknown table format \{'a': 1\}"),
        ({"file": "city.households.csv", "format": ["csv"]}, r"unknown table format \['csv'\]"),
        ({"file": "city.households.csv", "rows": "4"}, "'rows' must be a whole number >= 0"),
        ({"file": "city.households.csv", "rows": True}, "'rows' must be a whole number >= 0"),
        ({"file": "city.households.csv", 1: 2}, "unknown key"),
    ],
)
def test_bad_references_are_data_file_errors(
    small: Structure, tmp_path: Path, ref: object, match: str
) -> None:
    main = _with_reference(tmp_path, small, ref)
    with pytest.raises(DataFileError, match=match):
        load(main)


def test_symlink_leading_outside_is_refused(small: Structure, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "t.csv").write_text("id,parent\n", "utf-8")
    inside = tmp_path / "in"
    inside.mkdir()
    (inside / "link.csv").symlink_to(outside / "t.csv")
    main = save(small, inside / "city.json", tables="csv")
    data = json.loads(main.read_text("utf-8"))
    data["households"] = {"file": "link.csv"}
    main.write_text(json.dumps(data), "utf-8")
    with pytest.raises(DataFileError, match="leads outside"):
        load(main)


def test_garbled_table_file_is_data_file_error(small: Structure, tmp_path: Path) -> None:
    main = save(small, tmp_path / "city.json", tables="parquet")
    _without_hashes(main)
    _table(main, "households").write_bytes(b"not parquet at all")
    with pytest.raises(DataFileError, match="cannot read the households table"):
        load(main)


def test_bad_rows_in_a_table_file_are_structure_problems(small: Structure, tmp_path: Path) -> None:
    main = _old_layout(small, tmp_path, "csv")
    _table(main, "households").write_text(
        "id,parent,residents,start,end\nH1,U1,three,,\nH2,U1,2,2024-13-01,\n", "utf-8"
    )
    data = json.loads(main.read_text("utf-8"))
    data["households"]["rows"] = 2
    main.write_text(json.dumps(data), "utf-8")
    with pytest.raises(StructureError) as info:
        load(main)
    # rows as the spreadsheet shows them: the header is row 1, the first record row 2
    locations = {p.location for p in info.value.problems}
    assert {
        "city.households.csv row 2, column residents",
        "city.households.csv row 3, column start",
    } <= locations


def _households_file(tmp_path: Path, small: Structure, fmt: str, frame: pl.DataFrame) -> Path:
    main = _old_layout(small, tmp_path, fmt)
    target = tmp_path / f"city.households{TABLE_FORMATS[fmt]}"
    if fmt == "parquet":
        frame.write_parquet(target)
    else:
        lines = [json.dumps(row) for row in frame.to_dicts()]
        target.write_text("\n\n".join(lines) + "\n", "utf-8")  # blank lines between records
    data = json.loads(main.read_text("utf-8"))
    data["households"]["rows"] = frame.height
    main.write_text(json.dumps(data), "utf-8")
    return main


@pytest.mark.parametrize("fmt", ["parquet", "ndjson"])
def test_nested_cells_in_table_files_name_file_row_and_column(
    small: Structure, tmp_path: Path, fmt: str
) -> None:
    base = {"id": ["H1", "H2", "H3"], "parent": ["U1", "U1", "U2"]}
    frame = pl.DataFrame(
        {
            **base,
            "residents": [[1], [2, 3], None],
            "start": [{"y": 2020}, None, {"y": 2021}],
            "end": [None, None, None],
        }
    )
    main = _households_file(tmp_path, small, fmt, frame)
    with pytest.raises(StructureError) as info:
        load(main)
    name = f"city.households.{fmt}"
    # Parquet rows are 1-based record positions; NDJSON rows are line numbers (the records
    # sit on lines 1, 3 and 5 because blank lines separate them)
    rows = [1, 2, 3] if fmt == "parquet" else [1, 3, 5]
    assert {(p.location, p.code, p.message) for p in info.value.problems} == {
        (
            f"{name} row {rows[0]}, column residents",
            "bad-type",
            "must be a whole number, not a list",
        ),
        (
            f"{name} row {rows[1]}, column residents",
            "bad-type",
            "must be a whole number, not a list",
        ),
        (
            f"{name} row {rows[0]}, column start",
            "bad-type",
            "must be a date (YYYY-MM-DD), not an object",
        ),
        (
            f"{name} row {rows[2]}, column start",
            "bad-type",
            "must be a date (YYYY-MM-DD), not an object",
        ),
    }


def test_wrongly_typed_parquet_columns_are_cell_problems(small: Structure, tmp_path: Path) -> None:
    import datetime as dt

    frame = pl.DataFrame(
        {
            "id": ["H1", "H2"],
            "parent": ["U1", "U1"],
            "residents": [2.0, 2.5],
            "start": [dt.time(9), None],
            "end": [b"x", None],
        }
    )
    main = _households_file(tmp_path, small, "parquet", frame)
    with pytest.raises(StructureError) as info:
        load(main)
    assert [p.location for p in info.value.problems] == [
        "city.households.parquet row 2, column residents",
        "city.households.parquet row 1, column start",
        "city.households.parquet row 1, column end",
    ]


@pytest.mark.parametrize("shape", ["rows", "columns"])
def test_nested_cells_inline_are_structure_problems(
    small: Structure, tmp_path: Path, shape: str
) -> None:
    main = save(small, tmp_path / "city.json")
    data = json.loads(main.read_text("utf-8"))
    data["households"][0]["residents"] = [1]
    data["households"][2]["start"] = {"y": 2020}
    if shape == "columns":
        rows = data["households"]
        data["households"] = {k: [r[k] for r in rows] for k in rows[0]}
    data["areas"][1]["end"] = []
    main.write_text(json.dumps(data), "utf-8")
    with pytest.raises(StructureError) as info:
        load(main)
    # inline tables: 1-based record positions in the array
    assert {p.location for p in info.value.problems} == {
        "city.json areas row 2, column end",
        "city.json households row 1, column residents",
        "city.json households row 3, column start",
    }


def test_flipped_parquet_footer_bytes_give_typed_errors(small: Structure, tmp_path: Path) -> None:
    """A corrupt footer makes polars panic (``pyo3_runtime.PanicException``, a BaseException)
    for some flips; every flip must load or raise a GridgovError."""
    import struct

    from gridgov.errors import GridgovError

    main = _old_layout(small, tmp_path, "parquet")
    target = tmp_path / "city.households.parquet"
    good = target.read_bytes()
    footer = len(good) - 8 - struct.unpack("<I", good[-8:-4])[0]
    outcomes = set()
    reference = {"file": target.name, "format": "parquet"}
    for at in range(footer, len(good)):
        bad = bytearray(good)
        bad[at] ^= 0x02
        target.write_bytes(bytes(bad))
        try:
            read_table(reference, main, "households")
            outcomes.add("loaded")
        except GridgovError as exc:
            outcomes.add(type(exc).__name__)
    assert "DataFileError" in outcomes


def test_table_file_size_is_bounded(small: Structure, tmp_path: Path) -> None:
    from gridgov.errors import UnsafeInputError

    main = save(small, tmp_path / "city.json", tables="ndjson")
    table = _table(main, "households")
    table.write_bytes(b" " * 100_000)
    assert main.stat().st_size < 50_000
    with pytest.raises(UnsafeInputError, match=rf"{table.name}: refused: 100,000 bytes"):
        load(main, max_bytes=50_000)


def test_huge_whole_numbers_are_out_of_range_not_bad_types(
    small: Structure, tmp_path: Path
) -> None:
    main = _old_layout(small, tmp_path, "csv")
    (tmp_path / "city.households.csv").write_text(
        "id,parent,residents,start,end\nH1,U1,99999999999999999999,,\nH2,U1,1e3,,\nH3,U1,[2],,\n",
        "utf-8",
    )
    data = json.loads(main.read_text("utf-8"))
    data["households"]["rows"] = 3
    main.write_text(json.dumps(data), "utf-8")
    with pytest.raises(StructureError) as info:
        load(main)
    assert [(p.location, p.code, p.message) for p in info.value.problems] == [
        (
            "city.households.csv row 2, column residents",
            "out-of-range",
            "'99999999999999999999' is too large a number",
        ),
        (
            "city.households.csv row 3, column residents",
            "bad-type",
            "must be a whole number, not '1e3'",
        ),
        (
            "city.households.csv row 4, column residents",
            "bad-type",
            "must be a whole number, not a list",
        ),
    ]
    frame = pl.DataFrame(
        {"id": ["H1"], "parent": ["U1"], "residents": [1e30], "start": [None], "end": [None]}
    )
    main = _households_file(tmp_path, small, "parquet", frame)
    with pytest.raises(StructureError) as info:
        load(main)
    [problem] = info.value.problems
    assert (problem.location, problem.code) == (
        "city.households.parquet row 1, column residents",
        "out-of-range",
    )


# -- one save, one switch: hashes, old files, mixtures -------------------------------------
def test_a_table_from_another_save_is_refused(small: Structure, tmp_path: Path) -> None:
    main = save(small, tmp_path / "city.json", tables="csv")
    table = _table(main, "households")
    text = table.read_text("utf-8")
    table.write_text(text.replace("H1,U1,3", "H1,U1,4"), "utf-8")  # same rows, other bytes
    with pytest.raises(TableMismatchError, match=rf"{table.name}: refused: its SHA-256") as info:
        load(main)
    assert str(info.value).startswith(str(table))
    assert isinstance(info.value, DataFileError)


def test_a_malformed_hash_is_a_data_file_error(small: Structure, tmp_path: Path) -> None:
    main = save(small, tmp_path / "city.json", tables="csv")
    data = json.loads(main.read_text("utf-8"))
    data["areas"]["sha256"] = "not-a-hash"
    main.write_text(json.dumps(data), "utf-8")
    with pytest.raises(DataFileError, match="malformed sha256"):
        load(main)


def _old_layout(small: Structure, folder: Path, fmt: str = "parquet") -> Path:
    """``folder/city.json`` as an earlier gridgov wrote it: ``city.households.parquet``…, no
    hashes (tests that edit a table file by its fixed name start from this)."""
    main = save(small, folder / "city.json", tables=fmt)
    data = json.loads(main.read_text("utf-8"))
    for field in TABLE_FIELDS:
        old_name = table_file(main, field, fmt)
        _table(main, field).rename(old_name)
        data[field] = {"file": old_name.name, "format": fmt, "rows": data[field]["rows"]}
    main.write_text(json.dumps(data), "utf-8")
    return main


def test_files_saved_without_hashes_still_load(small: Structure, tmp_path: Path) -> None:
    main = _old_layout(small, tmp_path)
    assert (tmp_path / "city.households.parquet").exists()
    assert load(main).households == small.households


def test_resave_replaces_the_old_tables_after_the_switch(small: Structure, tmp_path: Path) -> None:
    main = _old_layout(small, tmp_path)
    (tmp_path / "notes.csv").write_text("mine\n", "utf-8")  # not gridgov's: never touched
    changed = Structure.model_validate({**small.model_dump(mode="json"), "name": "新"})
    save(changed, main, tables="csv")
    tables = {_table(main, field) for field in TABLE_FIELDS}
    assert set(tmp_path.iterdir()) == {main, tmp_path / "notes.csv", *tables}
    save(changed, main)  # tables inline now: the files beside go
    assert set(tmp_path.iterdir()) == {main, tmp_path / "notes.csv"}
    assert load(main).households == small.households


def test_a_sibling_main_file_keeps_its_tables(small: Structure, tmp_path: Path) -> None:
    as_yaml = save(small, tmp_path / "city.yaml", tables="parquet")
    as_json = save(small, tmp_path / "city.json", tables="parquet")  # the same bytes, same names
    assert _table(as_yaml, "households") == _table(as_json, "households")
    save(small, as_json)
    assert load(as_yaml).households == small.households


def test_orphans_of_a_dead_save_go_once_old_enough(
    small: Structure, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    main = save(small, tmp_path / "city.json", tables="ndjson")
    orphan = tmp_path / f"city.households.{'ab' * 8}.ndjson"  # renamed, never switched to
    orphan.write_text("{}\n", "utf-8")
    save(small, main, tables="ndjson")
    assert orphan.exists()  # it may be a concurrent save's, between its renames and switch
    monkeypatch.setattr(json_yaml, "ORPHAN_GRACE_SECONDS", -1.0)
    save(small, main, tables="ndjson")
    assert not orphan.exists()
    assert load(main).households == small.households
