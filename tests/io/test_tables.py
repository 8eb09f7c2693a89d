"""Tests for gridgov.io.tables: tables beside the main file, in NDJSON, CSV and Parquet."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from gridgov.errors import DataFileError, StructureError
from gridgov.io import load, save
from gridgov.io.safety import CSV_TRIGGERS
from gridgov.io.tables import TABLE_FIELDS, TABLE_FORMATS, table_file
from gridgov.org import Structure

PERSONAL = {"include_personal": True}


@pytest.mark.parametrize("fmt", list(TABLE_FORMATS))
@pytest.mark.parametrize("suffix", ["json", "yaml"])
def test_tables_beside_round_trip(small: Structure, tmp_path: Path, fmt: str, suffix: str) -> None:
    main = save(small, tmp_path / f"city.{suffix}", tables=fmt, include_personal=True)
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(
        [f"city.{suffix}", *(f"city.{field}{TABLE_FORMATS[fmt]}" for field in TABLE_FIELDS)]
    )
    back = load(main)
    assert back.model_dump(context=PERSONAL) == small.model_dump(context=PERSONAL)
    assert back.households == small.households
    assert back.areas == small.areas
    assert back.linked_households == small.linked_households


def test_main_file_refers_by_relative_path(small: Structure, tmp_path: Path) -> None:
    main = save(small, tmp_path / "city.json", tables="parquet")
    data = json.loads(main.read_text("utf-8"))
    assert data["households"] == {
        "file": "city.households.parquet",
        "format": "parquet",
        "rows": len(small.households),
    }
    assert list(data)[:4] == ["name", "code_scheme", "reference_date", "areas"]


def test_moved_directory_still_loads(small: Structure, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    save(small, tmp_path / "a" / "city.json", tables="ndjson")
    moved = tmp_path / "b"
    (tmp_path / "a").rename(moved)
    assert load(moved / "city.json").households == small.households


def test_csv_export_neutralises_formula_like_cells(small: Structure, tmp_path: Path) -> None:
    save(small, tmp_path / "city.json", tables="csv")
    cells = []
    for field in TABLE_FIELDS:
        with (tmp_path / f"city.{field}.csv").open(newline="", encoding="utf-8") as fh:
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
    (tmp_path / "city.households.parquet").write_bytes(b"not parquet at all")
    with pytest.raises(DataFileError, match="cannot read the households table"):
        load(main)


def test_bad_rows_in_a_table_file_are_structure_problems(small: Structure, tmp_path: Path) -> None:
    main = save(small, tmp_path / "city.json", tables="csv")
    (tmp_path / "city.households.csv").write_text(
        "id,parent,residents,start,end\nH1,U1,three,,\nH2,U1,2,2024-13-01,\n", "utf-8"
    )
    data = json.loads(main.read_text("utf-8"))
    data["households"]["rows"] = 2
    main.write_text(json.dumps(data), "utf-8")
    with pytest.raises(StructureError) as info:
        load(main)
    locations = {p.location for p in info.value.problems}
    assert {"households row 1, column residents", "households row 2, column start"} <= locations


def test_table_file_size_is_bounded(small: Structure, tmp_path: Path) -> None:
    from gridgov.errors import UnsafeInputError

    main = save(small, tmp_path / "city.json", tables="ndjson")
    (tmp_path / "city.households.ndjson").write_bytes(b" " * 100_000)
    assert main.stat().st_size < 50_000
    with pytest.raises(UnsafeInputError, match=r"city\.households\.ndjson: refused: 100,000 bytes"):
        load(main, max_bytes=50_000)
