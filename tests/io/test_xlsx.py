"""Tests for gridgov.io.xlsx: ledgers go out and come back; formulas are never written."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

import gridgov
from gridgov.errors import PrivacyError
from gridgov.io import import_ledger, to_data
from gridgov.io.xlsx import write_ledger_xlsx, write_rollup_xlsx
from gridgov.org import Structure


def test_ledger_round_trips_through_import(tmp_path: Path) -> None:
    s = gridgov.datasets.load("youyi")
    path = write_ledger_xlsx(s, tmp_path / "台账.xlsx")
    data = to_data(s)
    data["households"] = []
    data["linked_households"] = []
    data["people"] = [{**p, "household": None} for p in data["people"]]
    empty = Structure.model_validate(data)
    back = import_ledger(empty, path)
    assert back.households == s.households


def test_formula_cells_are_text(tmp_path: Path) -> None:
    s = gridgov.datasets.load("youyi")
    data = to_data(s)
    grid = next(a for a in data["areas"] if a["level"] == "grid")
    grid["name"] = '=HYPERLINK("http://x")'
    path = write_rollup_xlsx(Structure.model_validate(data), tmp_path / "r.xlsx", "grid")
    ws = openpyxl.load_workbook(path).active
    assert ws is not None
    cells = [c for row in ws.iter_rows() for c in row if c.value == grid["name"]]
    assert len(cells) == 1
    assert cells[0].data_type == "s"
    assert ws.cell(row=1, column=3).value == "户数"


def test_privacy(tmp_path: Path) -> None:
    s = gridgov.datasets.load("youyi")
    with pytest.raises(PrivacyError):
        write_ledger_xlsx(s, tmp_path / "x.xlsx", privacy="public")
    with pytest.raises(PrivacyError):
        write_rollup_xlsx(s, tmp_path / "x.xlsx", "grid", privacy="secret")
    path = write_rollup_xlsx(s, tmp_path / "b.xlsx", "building")
    ws = openpyxl.load_workbook(path).active
    assert ws is not None
    counts = [c.value for row in ws.iter_rows(min_row=2, min_col=3) for c in row]
    assert None in counts  # small cells suppressed at public
    assert all(c is None or c == 0 or c >= 5 for c in counts)
