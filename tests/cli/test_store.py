"""Tests for ``gridgov cases ingest/open/rates --store`` (gridgov.cli._store) on SQLite files."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner, Result

from gridgov.cli._app import cli
from gridgov.service import sample_log


def gridgov(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def log() -> pl.DataFrame:
    # urgent whistles: every limit in calendar hours
    return sample_log(["whistle"], cases=30, seed=1, urgent_share=1.0, areas=("G1", "G2"))


def test_ingest_twice_adds_once(tmp_path: Path, log: pl.DataFrame) -> None:
    path = tmp_path / "log.parquet"
    log.write_parquet(path)
    url = f"sqlite:///{tmp_path / 'x.db'}"
    first = gridgov("cases", "ingest", path, "--store", url, "--batch", "50")
    assert first.exit_code == 0, first.output
    assert f"{log.height} events added, 0 already stored" in first.output
    again = gridgov("cases", "ingest", path, "--store", url, "--lang", "zh")
    assert again.exit_code == 0, again.output
    assert f"新增 0 条事件, {log.height} 条已存在" in again.output


def test_ingest_defaults_to_a_store_beside_the_log(tmp_path: Path, log: pl.DataFrame) -> None:
    path = tmp_path / "data" / "log.csv"
    path.parent.mkdir()
    log.write_csv(path)
    assert gridgov("cases", "ingest", path).exit_code == 0
    assert (tmp_path / "data" / "cases.db").exists()


def test_a_refused_batch_exits_2_with_the_reason(tmp_path: Path, log: pl.DataFrame) -> None:
    path = tmp_path / "log.parquet"
    log.filter(pl.col("activity") == "close").write_parquet(path)
    result = gridgov("cases", "ingest", path, "--store", tmp_path / "x.db")
    assert result.exit_code == 2
    assert "forbidden-transition" in result.output


def test_open_and_overdue(tmp_path: Path, log: pl.DataFrame) -> None:
    path = tmp_path / "log.parquet"
    log.filter(pl.col("activity") != "close").write_parquet(path)
    url = f"sqlite:///{tmp_path / 'x.db'}"
    assert gridgov("cases", "ingest", path, "--store", url).exit_code == 0
    listed = gridgov("cases", "open", "--store", url, "--format", "json")
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.output)["cases"]
    assert len(rows) == 30
    late = gridgov("cases", "open", "--store", url, "--overdue", "--as-of", "2030-01-01")
    assert late.exit_code == 1
    assert "30 open case(s), 30 overdue" in late.output
    early = gridgov("cases", "open", "--store", url, "--overdue", "--as-of", "2000-01-01")
    assert early.exit_code == 0
    assert "0 open case(s)" in early.output


def test_rates_from_a_store_equal_rates_from_the_log(tmp_path: Path, log: pl.DataFrame) -> None:
    path = tmp_path / "log.parquet"
    log.write_parquet(path)
    url = f"sqlite:///{tmp_path / 'x.db'}"
    assert gridgov("cases", "ingest", path, "--store", url).exit_code == 0
    from_store = gridgov("cases", "rates", "--store", url, "--by", "area", "--format", "json")
    from_log = gridgov("cases", "rates", path, "--by", "area", "--format", "json")
    assert from_store.exit_code == 0, from_store.output
    assert json.loads(from_store.output)["rows"] == json.loads(from_log.output)["rows"]
    both = gridgov("cases", "rates", path, "--store", url)
    assert both.exit_code == 2


def test_a_bad_store_url_is_one_line(tmp_path: Path) -> None:
    result = gridgov("cases", "open", "--store", "mysql://somewhere/db")
    assert result.exit_code == 2
    assert "bad-url" in result.output
    assert "Traceback" not in result.output
