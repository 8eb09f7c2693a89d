"""Fixtures for the command-line tests: files good and bad (``small`` is in tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gridgov.org import Structure


@pytest.fixture
def files(tmp_path: Path, small: Structure) -> dict[str, Path]:
    """Files for the command line: a valid structure and each kind of bad input."""
    import openpyxl

    from gridgov.io import save

    out = {"valid": save(small, tmp_path / "city.json")}
    out["invalid"] = tmp_path / "invalid.json"
    out["invalid"].write_text(
        '{"areas": [{"id": "G1", "level": "grid", "parent": "C9"},'
        ' {"id": "G2", "level": "grid", "parent": "C9"}]}',
        "utf-8",
    )
    out["garbled"] = tmp_path / "garbled.json"
    out["garbled"].write_bytes(b'{"areas": [{"id": ')
    out["tag"] = tmp_path / "evil.yaml"
    out["tag"].write_text("name: !!python/object/apply:os.system ['echo pwned']\n", "utf-8")
    out["missing"] = tmp_path / "missing.json"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["户号", "所属单元", "人口数"])
    sheet.append(["N1", "U1", "=1+2"])
    out["formula"] = tmp_path / "formula.xlsx"
    book.save(out["formula"])
    out["ledger_ok"] = tmp_path / "ok.csv"
    out["ledger_ok"].write_text("户号,所属单元,人口数\nN1,U1,3\nN2,U2,2\n", "utf-8")
    out["ledger_bad"] = tmp_path / "bad.csv"
    out["ledger_bad"].write_text("户号,所属网格,人口数\nN1,G9,3\nN2,G1,-1\n", "utf-8")
    return out
