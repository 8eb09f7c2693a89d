"""gridgov.assess.ratings: typed records, questionnaire files, every problem at once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from gridgov.assess import Rating, read_ratings, validate_ratings
from gridgov.errors import DataFileError, LedgerError, UnsafeInputError

HEADER = "rater_group,rater_id,subject,date,overall,service\n"


def test_records_to_table() -> None:
    frame = validate_ratings(
        [
            Rating(
                rater_group="residents",
                rater_id="r1",
                subject="O-PM001",
                date=dt.date(2024, 12, 1),
                scores={"overall": 90.0, "service": None},
            )
        ]
    )
    assert frame.to_dicts() == [
        {
            "rater_group": "residents",
            "rater_id": "r1",
            "subject": "O-PM001",
            "date": dt.date(2024, 12, 1),
            "item": "overall",
            "score": 90.0,
        }
    ]


def test_csv_questionnaire_wide_to_long(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text(
        HEADER + "residents,r1,O-PM001,2024-12-01,90,\nresidents,r2,O-PM001,2024-12-02,70,80\n",
        encoding="utf-8",
    )
    frame = read_ratings(path)
    assert frame.height == 3  # the blank answer is no answer, not 0
    assert sorted(frame.get_column("score").to_list()) == [70.0, 80.0, 90.0]


def test_gb18030_csv(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_bytes((HEADER + "居民,张三,O-PM001,2024-12-01,90,85\n").encode("gb18030"))
    assert read_ratings(path).get_column("rater_group").to_list() == ["居民", "居民"]


def test_every_bad_cell_named_by_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text(
        HEADER + "residents,r1,O-PM001,2024-13-01,90,80\n"
        "residents,,O-PM001,2024-12-01,-5,80\nresidents,r3,O-PM001,2024-12-01,abc,80\n",
        encoding="utf-8",
    )
    with pytest.raises(LedgerError) as info:
        read_ratings(path)
    locations = {p.location for p in info.value.problems}
    assert {"q.csv:2:date", "q.csv:3:rater_id", "q.csv:3:score", "q.csv:4:score"} <= locations


def test_missing_columns(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text("rater_group,subject,overall\nresidents,O-PM001,90\n", encoding="utf-8")
    with pytest.raises(LedgerError, match="rater_id, date"):
        read_ratings(path)


def test_xlsx_with_formula_is_refused(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["rater_group", "rater_id", "subject", "date", "overall"])
    ws.append(["residents", "r1", "O-PM001", "2024-12-01", 90])
    path = tmp_path / "q.xlsx"
    wb.save(path)
    assert read_ratings(path).get_column("score").to_list() == [90.0]
    ws.append(["residents", "r2", "O-PM001", "2024-12-01", "=A1"])
    wb.save(path)
    with pytest.raises(UnsafeInputError):
        read_ratings(path)


def test_other_suffix_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "q.txt"
    path.write_text(HEADER, encoding="utf-8")
    with pytest.raises(DataFileError, match=r"\.csv or \.xlsx"):
        read_ratings(path)
