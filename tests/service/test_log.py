"""Tests for gridgov.service.log: validation of event logs, reading files, one case."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import small_data

from gridgov.errors import EventLogError
from gridgov.org import Structure
from gridgov.service.log import case, read_events, validate_events
from gridgov.service.sample import sample_log
from gridgov.service.schema import EVENT_COLUMNS, event_schema


def row(i: int, **changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "event_id": f"e{i}",
        "case_id": "c1",
        "template": "urban_case",
        "kind": "event",
        "urgency": "normal",
        "area": "G1",
        "activity": "report",
        "timestamp": f"2024-06-03T{9 + i:02d}:00:00+08:00",
        "actor": "P1",
        "role": "collector",
        "target": None,
        "rating": None,
        "reason": None,
    }
    base.update(changes)
    return base


def problems(rows: list[dict[str, Any]], structure: Structure | None = None) -> list[str]:
    with pytest.raises(EventLogError) as info:
        validate_events(
            pl.DataFrame(rows, schema=dict.fromkeys(EVENT_COLUMNS, pl.String)), structure
        )
    return [f"{p.location}:{p.code}" for p in info.value.problems]


def test_clean_sample_validates_to_the_schema() -> None:
    log = sample_log(["urban_case", "hotline_12345"], cases=50, seed=4)
    out = validate_events(log)
    assert out.schema == event_schema()
    assert out.equals(log)


def test_text_columns_are_typed_and_converted_to_shanghai() -> None:
    out = validate_events(
        pl.DataFrame(
            [row(0, timestamp="2024-06-03T01:00:00Z", rating="5")],
            schema=dict.fromkeys(EVENT_COLUMNS, pl.String),
        )
    )
    assert out.item(0, "timestamp") == dt.datetime(2024, 6, 3, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert out.item(0, "rating") == 5


def test_every_row_problem_is_named_by_row_column_and_code() -> None:
    rows = [
        row(0),
        row(1, event_id="e0", rating="9"),  # duplicate id; rating out of range
        row(2, timestamp="2024-06-03 11:00:00"),  # naive
        row(3, area="G2", urgency="soon"),  # a case touching two grids; bad urgency
        row(4, timestamp="2024-06-03T08:00:00+08:00"),  # earlier than logged before
        row(5, actor=None, rating="x", timestamp="yesterday+08:00"),
    ]
    assert problems(rows) == [
        "<events>:2:event_id:duplicate-event-id",
        "<events>:2:rating:rating-out-of-range",
        "<events>:3:timestamp:naive-timestamp",
        "<events>:4:urgency:bad-urgency",
        "<events>:4:urgency:case-inconsistent",
        "<events>:4:area:case-inconsistent",
        "<events>:5:timestamp:out-of-order",
        "<events>:6:timestamp:bad-type",
        "<events>:6:actor:null-value",
        "<events>:6:rating:bad-type",
    ]


def test_missing_columns_are_all_named() -> None:
    with pytest.raises(EventLogError) as info:
        validate_events(pl.DataFrame({"event_id": ["e1"]}))
    assert info.value.codes == ["missing-column"] * (len(EVENT_COLUMNS) - 1)


def test_naive_datetime_column_is_refused() -> None:
    frame = validate_events(sample_log(cases=2)).with_columns(
        pl.col("timestamp").dt.replace_time_zone(None)
    )
    with pytest.raises(EventLogError) as info:
        validate_events(frame)
    assert set(info.value.codes) == {"naive-timestamp"}


def test_structure_checks_areas_actors_targets_and_posts(small: Structure) -> None:
    data = small_data()
    data["appointments"][0]["end"] = "2024-06-30"
    s = Structure.model_validate(data)
    rows = [
        row(0),  # P1 holds PO1 from 2023-01-01 to 2024-06-30
        row(1, actor="PO1", target="RC1"),  # a post; an organisation target
        row(2, actor="-H4", role="resident"),  # a household (residents)
        row(3, actor="RC1"),  # an organisation
        row(4, case_id="c2", area="G9", actor="nobody", target="PO1"),
        row(5, case_id="c3", timestamp="2024-07-01T10:00:00+08:00"),  # after the post ended
        row(6, case_id="c4", timestamp="2022-12-31T23:30:00+08:00"),  # before it began
    ]
    assert problems(rows, s) == [
        "<events>:5:area:unknown-area",
        "<events>:5:actor:unknown-actor",
        "<events>:5:target:unknown-target",
        "<events>:6:actor:actor-without-post",
        "<events>:7:actor:actor-without-post",
    ]
    assert validate_events(pl.DataFrame(rows[:4]), small).height == 4


def test_case_materialises_one_case_in_replay_order() -> None:
    log = validate_events(sample_log(["hotline_12345"], cases=3, seed=2))
    one = case(log.reverse(), "hotline_12345-1")
    assert one.activities == tuple(
        log.filter(pl.col("case_id") == "hotline_12345-1").get_column("activity")
    )
    assert one.opened_at == one.events[0].timestamp
    with pytest.raises(EventLogError, match="unknown-case"):
        case(log, "nope")


@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".ndjson"])
def test_read_events_round_trips_each_format(tmp_path: Path, suffix: str) -> None:
    log = sample_log(["whistle"], cases=5, seed=1)
    path = tmp_path / f"log{suffix}"
    if suffix == ".parquet":
        log.write_parquet(path)
    elif suffix == ".csv":
        log.write_csv(path)
    else:
        log.write_ndjson(path)
    assert read_events(path).equals(log)


def test_read_events_names_the_bad_row_and_unreadable_files(tmp_path: Path) -> None:
    log = sample_log(["whistle"], cases=2, seed=1).with_columns(pl.col("rating").cast(pl.String))
    path = tmp_path / "log.csv"
    log.with_columns(
        rating=pl.when(pl.int_range(pl.len()) == 2).then(pl.lit("great")).otherwise("rating")
    ).write_csv(path)
    with pytest.raises(EventLogError) as info:
        read_events(path)
    assert [p.location for p in info.value.problems] == [f"{path}:3:rating"]
    for name, text in [("x.txt", "a"), ("gone.csv", None), ("bad.parquet", "not parquet")]:
        p = tmp_path / name
        if text is not None:
            p.write_text(text, encoding="utf-8")
        with pytest.raises(EventLogError) as info:
            read_events(p)
        assert info.value.codes == ["unreadable"]


@given(
    seed=st.integers(0, 10_000),
    swaps=st.lists(st.tuples(st.integers(0, 200), st.integers(0, 200)), max_size=5),
)
def test_out_of_order_rows_match_a_naive_scan(seed: int, swaps: list[tuple[int, int]]) -> None:
    log = sample_log(["urban_case"], cases=6, seed=seed)
    order = list(range(log.height))
    for i, j in swaps:
        a, b = i % log.height, j % log.height
        order[a], order[b] = order[b], order[a]
    shuffled = log[order]
    latest: dict[str, dt.datetime] = {}
    expected = []
    for i, r in enumerate(shuffled.iter_rows(named=True)):
        before = latest.get(r["case_id"])
        if before is not None and r["timestamp"] < before:
            expected.append(i + 1)
        latest[r["case_id"]] = max(before or r["timestamp"], r["timestamp"])
    if not expected:
        assert validate_events(shuffled).height == log.height
        return
    with pytest.raises(EventLogError) as info:
        validate_events(shuffled)
    assert set(info.value.codes) == {"out-of-order"}
    assert [int(p.location.split(":")[1]) for p in info.value.problems] == expected
