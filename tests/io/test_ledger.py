"""Tests for gridgov.io.ledger: Chinese or English headers, every problem by row and column."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from gridgov.errors import DataFileError, LedgerError, UnsafeInputError
from gridgov.io import import_ledger
from gridgov.org import Structure


@pytest.fixture
def base() -> Structure:
    return Structure.model_validate(
        {
            "areas": [
                {"id": "S1", "level": "street"},
                {"id": "C1", "level": "community", "parent": "S1"},
                {"id": "G1", "level": "grid", "parent": "C1", "code": "230522001001"},
                {"id": "G2", "level": "grid", "parent": "C1"},
                {"id": "B1", "level": "building", "parent": "G1"},
                {"id": "U1", "level": "unit", "parent": "B1", "code": "U-1"},
                {"id": "B2", "level": "building", "parent": "G2"},
            ],
            "households": [{"id": "H0", "parent": "U1", "residents": 2}],
            "organisations": [{"id": "RC1", "kind": "residents_committee", "area": "C1"}],
        }
    )


def _csv(tmp_path: Path, text: str, name: str = "台账.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _xlsx(tmp_path: Path, rows: list[list[object]], name: str = "台账.xlsx") -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def test_chinese_headers_import_all_rows(base: Structure, tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "户号,所属网格,所属楼栋,所属单元,人口数,入住日期\n"
        "H1,G1,B1,U1,3,2021-05-01\n"
        "H2,G2,B2,,1,\n"
        "H3,G1,,,4,\n",
    )
    out = import_ledger(base, path)
    assert len(base.households) == 1  # the input structure is untouched
    assert out.households.ids() == ["H0", "H1", "H2", "H3"]
    assert [out.household(h).parent for h in ("H1", "H2", "H3")] == ["U1", "B2", "G1"]
    assert out.household("H1").start == dt.date(2021, 5, 1)
    assert out.household("H3").residents == 4


def test_english_headers_and_codes(base: Structure, tmp_path: Path) -> None:
    path = _csv(
        tmp_path, "Household ID, Grid ,UNIT,Household_Size\nH1,230522001001,U-1,2\n", "l.csv"
    )
    out = import_ledger(base, path)
    assert out.household("H1").parent == "U1"


def test_unknown_grid_and_bad_size_both_reported_nothing_imported(
    base: Structure, tmp_path: Path
) -> None:
    # The required case: one row with an unknown grid, another with a bad size.
    path = _csv(
        tmp_path,
        "户号,所属网格,所属单元,人口数\nH1,G1,U1,3\nH2,G9,,2\nH3,G1,U1,-2\nH4,G1,U1,3\n",
    )
    with pytest.raises(LedgerError) as info:
        import_ledger(base, path)
    err = info.value
    assert [(p.code, p.location) for p in err.problems] == [
        ("unknown-area", "台账.csv row 3, column B (所属网格)"),
        ("bad-size", "台账.csv row 4, column D (人口数)"),
    ]
    assert "no grid 'G9' in the structure" in str(err)
    assert "not '-2'" in str(err)
    assert str(err).startswith(f"{path}: ledger rejected, 2 problem(s)")
    assert len(base.households) == 1


@pytest.mark.parametrize("size", ["abc", "2.5", "101", "-1", "", "三"])
def test_bad_sizes(base: Structure, tmp_path: Path, size: str) -> None:
    path = _csv(tmp_path, f"户号,所属单元,人口数\nH1,U1,{size}\n")
    with pytest.raises(LedgerError) as info:
        import_ledger(base, path)
    assert info.value.codes == ["missing-value" if size == "" else "bad-size"]


def test_every_kind_of_row_problem_is_reported(base: Structure, tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "户号,所属网格,所属单元,人口数,入住日期,迁出日期\n"
        "H0,G1,U1,1,,\n"  # id already in the structure
        "H 5,G1,U1,1,,\n"  # not an id
        ",G1,U1,1,,\n"  # empty id
        "H6,G2,U1,1,,\n"  # U1 is not in G2
        "H7,C1,,1,,\n"  # C1 is a community
        "H8,,,1,,\n"  # no place
        "H9,G1,U1,1,2024-02-30,\n"  # no such day
        "H10,G1,U1,1,2024-03-01,2024-01-01\n"  # ends before it starts
        "H11,G1,U1,1,,\n"
        "H11,G1,U1,1,,\n"  # duplicate in the ledger
        "RC1,G1,U1,1,,\n",  # an organisation's id
    )
    with pytest.raises(LedgerError) as info:
        import_ledger(base, path)
    got = [
        (p.code, p.location.split(", column")[0].removeprefix("台账.csv "))
        for p in info.value.problems
    ]
    assert got == [
        ("id-taken", "row 2"),
        ("bad-id", "row 3"),
        ("missing-value", "row 4"),
        ("area-mismatch", "row 5"),
        ("wrong-level", "row 6"),
        ("missing-value", "row 7"),
        ("bad-date", "row 8"),
        ("end-before-start", "row 9"),
        ("duplicate-id", "row 11"),
        ("id-taken", "row 12"),
    ]


def test_header_problems(base: Structure, tmp_path: Path) -> None:
    path = _csv(tmp_path, "户号,户主姓名,户号\nH1,张三,H1\n")
    with pytest.raises(LedgerError) as info:
        import_ledger(base, path)
    assert info.value.codes == [
        "unknown-column",
        "duplicate-column",
        "missing-column",
        "missing-column",
    ]
    assert "column B (户主姓名)" in info.value.problems[0].location


def test_unknown_columns_can_be_ignored(base: Structure, tmp_path: Path) -> None:
    path = _csv(tmp_path, "户号,户主姓名,联系电话,所属单元,人口数\nH1,张三,138,U1,3\n")
    out = import_ledger(base, path, unknown_columns="ignore")
    assert out.household("H1").residents == 3


def test_no_household_column(base: Structure, tmp_path: Path) -> None:
    path = _csv(tmp_path, "a,b\n1,2\n")
    with pytest.raises(LedgerError, match="row 1: \\[missing-column\\] no household-id column"):
        import_ledger(base, path)


def test_empty_ledger(base: Structure, tmp_path: Path) -> None:
    path = _csv(tmp_path, "户号,所属单元,人口数\n,,\n")
    with pytest.raises(LedgerError, match="no household rows"):
        import_ledger(base, path)


def test_gb18030_csv_with_title_row(base: Structure, tmp_path: Path) -> None:
    path = _csv(
        tmp_path, "幸福社区住户台账,,\n户号,所属单元,人口数\nH1,U1,3\nH2,U9,3\n", encoding="gb18030"
    )
    with pytest.raises(LedgerError) as info:
        import_ledger(base, path)
    assert info.value.problems[0].location == "台账.csv row 4, column B (所属单元)"


def test_xlsx_ledger_with_numbers_and_dates(base: Structure, tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path,
        [
            ["幸福社区住户台账"],
            ["户号", "所属单元", "人口数", "入住日期"],
            [101, "U1", 3.0, dt.datetime(2022, 1, 5)],
            ["H2", "U1", 2, None],
        ],
    )
    out = import_ledger(base, path)
    assert out.household("101").residents == 3
    assert out.household("101").start == dt.date(2022, 1, 5)


def test_xlsx_ledger_rows_are_spreadsheet_rows(base: Structure, tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path, [["title"], ["户号", "所属网格", "人口数"], ["H1", "G1", 3], ["H2", "G7", 3.5]]
    )
    with pytest.raises(LedgerError) as info:
        import_ledger(base, path)
    assert [p.location for p in info.value.problems] == [
        "台账.xlsx row 4, column B (所属网格)",
        "台账.xlsx row 4, column C (人口数)",
    ]


def test_xlsx_formula_is_refused(base: Structure, tmp_path: Path) -> None:
    path = _xlsx(tmp_path, [["户号", "所属单元", "人口数"], ["H1", "U1", "=2+1"]])
    with pytest.raises(UnsafeInputError, match="formula cell"):
        import_ledger(base, path)


def test_other_suffixes_are_refused(base: Structure, tmp_path: Path) -> None:
    path = _csv(tmp_path, "户号\n", name="ledger.txt")
    with pytest.raises(DataFileError, match=r"a ledger is a \.csv or \.xlsx file"):
        import_ledger(base, path)


def test_missing_ledger_file(base: Structure, tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="cannot read: no such file"):
        import_ledger(base, tmp_path / "gone.csv")


def _rewritten(path: Path, member: str, change: object) -> Path:
    """A copy of the workbook at ``path`` with one zip member changed by ``change(bytes)``."""
    import zipfile

    with zipfile.ZipFile(path) as zf:
        contents = {name: zf.read(name) for name in zf.namelist()}
    contents[member] = change(contents[member])  # type: ignore[operator]
    out = path.with_name("broken.xlsx")
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in contents.items():
            zf.writestr(name, data)
    return out


@pytest.mark.parametrize(
    ("member", "change"),
    [
        # truncated worksheet XML: ElementTree's ParseError while rows are read lazily
        ("xl/worksheets/sheet1.xml", lambda b: b[: len(b) * 2 // 3]),
        # a misspelt attribute: openpyxl's TypeError for an unexpected keyword
        (
            "xl/worksheets/sheet1.xml",
            lambda b: b.replace(b"<sheetFormatPr ", b"<sheetFormatPr zz='1' "),
        ),
        # a workbook without its sheet list: IndexError in openpyxl
        ("xl/workbook.xml", lambda b: b.replace(b"<sheet ", b"<shee ").replace(b"</sheets>", b"")),
        # a cell reference that is not one: ValueError
        ("xl/worksheets/sheet1.xml", lambda b: b.replace(b'r="B2"', b'r="B?"')),
    ],
)
def test_malformed_worksheet_xml_is_a_data_file_error(
    base: Structure, tmp_path: Path, member: str, change: object
) -> None:
    good = _xlsx(tmp_path, [["户号", "所属单元", "人口数"], ["H1", "U1", 3], ["H2", "U1", 2]])
    broken = _rewritten(good, member, change)
    with pytest.raises(DataFileError, match=r"broken\.xlsx: not a readable XLSX workbook"):
        import_ledger(base, broken)


def test_values_that_look_personal_are_never_echoed(base: Structure, tmp_path: Path) -> None:
    # a shifted ledger: the phone and ID numbers landed in the id, place and size columns
    path = _csv(
        tmp_path,
        "户号,所属网格,人口数,入住日期\n"
        "H1,13800000000,110105194912310021,138-0000-0000\n"
        "11010519491231002X,G9,abc,someday\n",
    )
    with pytest.raises(LedgerError) as info:
        import_ledger(base, path)
    text = str(info.value) + "".join(p.message for p in info.value.problems)
    for secret in ("13800000000", "110105194912310021", "0000-0000", "11010519491231002X"):
        assert secret not in text
    messages = {(p.location, p.code): p.message for p in info.value.problems}
    withheld = "(value withheld: it looks like a phone or ID number)"
    assert messages[("台账.csv row 2, column B (所属网格)", "unknown-area")] == (
        f"no grid {withheld} in the structure"
    )
    assert withheld in messages[("台账.csv row 2, column C (人口数)", "bad-size")]
    assert withheld in messages[("台账.csv row 2, column D (入住日期)", "bad-date")]
    # harmless values are still echoed: they help find the cell
    assert messages[("台账.csv row 3, column B (所属网格)", "unknown-area")] == (
        "no grid 'G9' in the structure"
    )
    assert "'abc'" in messages[("台账.csv row 3, column C (人口数)", "bad-size")]
    assert "'someday'" in messages[("台账.csv row 3, column D (入住日期)", "bad-date")]


@pytest.mark.parametrize(
    "header", ["联系电话", "身份证号码", "Mobile Phone", "ID Number", "证件号码"]
)
def test_personal_columns_are_named_not_read(base: Structure, tmp_path: Path, header: str) -> None:
    path = _csv(tmp_path, f"户号,所属单元,人口数,{header}\nH1,U1,3,13800000000\n")
    with pytest.raises(LedgerError) as info:
        import_ledger(base, path)
    [problem] = info.value.problems
    assert (problem.code, problem.location) == (
        "personal-column",
        f"台账.csv row 1, column D ({header})",
    )
    assert "13800000000" not in str(info.value)
    added = import_ledger(base, path, unknown_columns="ignore")
    assert added.households.get("H1") is not None
