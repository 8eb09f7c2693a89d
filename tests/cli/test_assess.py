"""Tests for ``gridgov assess`` (gridgov.cli._assess): lists first, formats, files, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from gridgov import datasets
from gridgov.cli._app import cli
from gridgov.io import save


def gridgov(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_bundled_example_text_zh_lists_first() -> None:
    result = gridgov("assess", "bozhou", "--scheme", "bozhou_property_redblack", "--lang", "zh")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.index("\n红榜 (") < out.index("\n黑榜 (") < out.index("\n排名")
    assert "O-PM066" in out.split("排名")[0]  # a black-listed company, in the short table


def test_json_and_markdown() -> None:
    result = gridgov("assess", "bozhou", "--format", "json", "--explain", "O-PM066")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["scheme"] == "bozhou_property_redblack"
    assert doc["black"]
    assert "one-vote veto" in doc["explanation"]
    md = gridgov("assess", "youyi", "--format", "md", "--top", "3")
    assert md.exit_code == 0, md.output
    assert md.stdout.count("| S0") == 3


def test_structure_file_with_event_ratings_and_records_files(tmp_path: Path) -> None:
    structure = tmp_path / "bozhou.json"
    save(datasets.load("bozhou"), structure)
    events = tmp_path / "events.parquet"
    datasets.events("bozhou").write_parquet(events)
    ratings = tmp_path / "ratings.csv"
    datasets.ratings("bozhou").write_csv(ratings)
    records = tmp_path / "records.csv"
    datasets.credit_records("bozhou").write_csv(records)
    result = gridgov(
        "assess",
        structure,
        "--events",
        events,
        "--ratings",
        ratings,
        "--records",
        records,
        "--scheme",
        "bozhou_property_redblack",
        "--period",
        "2024",
    )
    assert result.exit_code == 0, result.output
    direct = gridgov("assess", "bozhou", "--period", "2024")
    assert result.stdout == direct.stdout


def test_structure_file_without_events_is_a_usage_error(tmp_path: Path) -> None:
    structure = tmp_path / "s.json"
    save(datasets.load("youyi"), structure)
    result = gridgov("assess", structure)
    assert result.exit_code == 2
    assert "--events" in result.output


def test_unknown_scheme_is_a_usage_error() -> None:
    result = gridgov("assess", "bozhou", "--scheme", "bozhou_property_redblak")
    assert result.exit_code == 2
    assert "did you mean 'bozhou_property_redblack'" in result.output
