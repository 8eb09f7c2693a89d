"""Tests for ``gridgov cases`` (gridgov.cli._cases): conformance exit codes and rate tables."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner, Result

from gridgov.cli._app import cli
from gridgov.io import save
from gridgov.org import Structure
from gridgov.service import sample_log


def gridgov(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def logs(tmp_path: Path) -> dict[str, Path]:
    # urgent whistles: every limit in calendar hours, no working calendar needed
    log = sample_log(["whistle"], cases=30, seed=1, urgent_share=1.0, areas=("G1", "G2"))
    clean = tmp_path / "clean.csv"
    log.write_csv(clean)
    bad = tmp_path / "bad.parquet"
    log.with_columns(
        role=pl.when(pl.col("event_id") == "whistle-0-1").then(pl.lit("grid")).otherwise("role")
    ).write_parquet(bad)
    invalid = tmp_path / "invalid.ndjson"
    log.with_columns(rating=pl.lit(9, dtype=pl.Int8)).write_ndjson(invalid)
    return {"clean": clean, "bad": bad, "invalid": invalid}


def test_check_clean_log_exits_0(logs: dict[str, Path]) -> None:
    result = gridgov("cases", "check", logs["clean"])
    assert result.exit_code == 0, result.output
    assert "30 cases" in result.output
    assert "0 deviation(s)" in result.output


def test_check_deviations_exit_1_with_bilingual_lines(logs: dict[str, Path]) -> None:
    result = gridgov("cases", "check", logs["bad"], "--lang", "zh")
    assert result.exit_code == 1
    assert f"{logs['bad']}:2: case whistle-0: [wrong-role]" in result.output
    assert "「社区召集」由角色 grid 执行" in result.output
    english = gridgov("cases", "check", logs["bad"], "--format", "json")
    assert english.exit_code == 1
    data = json.loads(english.output)
    assert data["conforms"] is False
    assert [d["code"] for d in data["deviations"]] == ["wrong-role"]


def test_check_with_a_variant_template(logs: dict[str, Path]) -> None:
    result = gridgov("cases", "check", logs["clean"], "--template", "whistle:huanan")
    assert result.exit_code == 1  # the log names 'whistle', which was not given
    assert "unknown-template" in result.output


@pytest.mark.parametrize("name", ["invalid", "missing"])
def test_unreadable_or_invalid_logs_exit_2(
    logs: dict[str, Path], tmp_path: Path, name: str
) -> None:
    path = logs.get(name, tmp_path / "missing.csv")
    result = gridgov("cases", "check", path)
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("gridgov: error: ")
    code = "rating-out-of-range" if name == "invalid" else "unreadable"
    assert code in result.stderr


def test_rates_table_in_both_languages(logs: dict[str, Path]) -> None:
    en = gridgov("cases", "rates", logs["clean"], "--by", "area", "--period", "all")
    assert en.exit_code == 0, en.output
    lines = en.output.splitlines()
    assert lines[0].split()[:5] == ["area", "period", "filed", "due", "closed"]
    assert [line.split()[0] for line in lines[1:]] == ["G1", "G2"]
    zh = gridgov("cases", "rates", logs["clean"], "--lang", "zh", "--period", "all")
    assert "结案率" in zh.output
    assert "按期结案率" in zh.output


def test_rates_json_by_grid_through_a_structure(
    logs: dict[str, Path], small: Structure, tmp_path: Path
) -> None:
    path = tmp_path / "s.json"
    save(small, path)
    # the structure checks actors: let the residents' committee act on every event
    rc = tmp_path / "rc.csv"
    pl.read_csv(logs["clean"]).with_columns(actor=pl.lit("RC1")).write_csv(rc)
    result = gridgov(
        "cases",
        "rates",
        rc,
        "--by",
        "community",
        "--structure",
        path,
        "--period",
        "2024-03",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    log = pl.read_csv(logs["clean"])
    assert [r["community"] for r in data["rows"]] == ["C1"]
    row = data["rows"][0]
    assert row["period"] == "2024-03"
    assert 0 <= row["closing_rate"] <= 1
    assert row["filed"] <= log.get_column("case_id").n_unique()


def test_rates_bad_grouping_exits_2(logs: dict[str, Path]) -> None:
    result = gridgov("cases", "rates", logs["clean"], "--by", "grid")
    assert result.exit_code == 2
    assert "needs the structure" in result.stderr
