"""Process-mining exports read back with pm4py: same cases, events, activities and times.

pm4py (a test-only dependency, extra ``dev``) is the reader a user would open the files with.
Its import warns that an optional accelerator (``r4pm``) is missing; that warning is about
pm4py's own speed, so it is the one warning ignored here.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pm4py
import polars as pl
import pytest

from gridgov.errors import EventLogError, SaveError
from gridgov.service import EVENT_COLUMNS, event_schema, to_ocel, to_xes

pytestmark = pytest.mark.filterwarnings("ignore:Install the optional requirement:UserWarning")

ACTIVITIES = ["order", "dispatch", "accept", "handle", "rate", "close"]


def little_log(cases: int, seed: int) -> pl.DataFrame:
    """A valid little event log: each case a random prefix of the activities, in time order."""
    rng = np.random.default_rng(seed)
    rows: list[dict[str, object]] = []
    start = dt.datetime(2024, 2, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    for c in range(cases):
        steps = int(rng.integers(1, len(ACTIVITIES) + 1))
        area = f"G{int(rng.integers(1, 4))}"
        when = start + dt.timedelta(hours=int(rng.integers(0, 24 * 60)))
        for s in range(steps):
            when += dt.timedelta(
                minutes=int(rng.integers(1, 3000)), microseconds=int(rng.integers(0, 10**6))
            )
            activity = ACTIVITIES[s]
            rows.append(
                {
                    "event_id": f"e{c}-{s}",
                    "case_id": f"C{c:04d}",
                    "template": "four_lists",
                    "kind": ["policy_talk", "health", "safety_check"][c % 3],
                    "urgency": "urgent" if c % 5 == 0 else "normal",
                    "area": area,
                    "activity": activity,
                    "timestamp": when,
                    "actor": f"P{int(rng.integers(0, 20))}" if s else f"H{c}",
                    "role": "resident" if activity in ("order", "rate") else "volunteer",
                    "target": f"RC{area[1:]}" if activity == "dispatch" else None,
                    "rating": int(rng.integers(1, 6)) if activity == "rate" else None,
                    "reason": '材料不全 <返工> & "复核"'
                    if activity == "handle" and c % 4 == 0
                    else None,
                }
            )
    frame = pl.DataFrame(rows, schema=event_schema())
    return frame.sample(fraction=1.0, shuffle=True, seed=seed)  # exports sort by case and time


def _utc(frame: pl.DataFrame) -> list[dt.datetime]:
    """The log's times as UTC datetimes, in event-id order."""
    stamps = frame.sort("event_id")["timestamp"].dt.convert_time_zone("UTC").to_list()
    return [s.astimezone(dt.UTC) for s in stamps]


def _py(column: object) -> list[dt.datetime]:
    """A pandas column of timestamps read by pm4py as UTC datetimes."""
    return [t.to_pydatetime().astimezone(dt.UTC) for t in column]  # type: ignore[attr-defined]


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("suffix", [".xes", ".xes.gz"])
def test_xes_reads_back(tmp_path: Path, seed: int, suffix: str) -> None:
    log = little_log(40, seed)
    path = to_xes(log, tmp_path / f"log{suffix}")
    back = pm4py.read_xes(str(path))
    assert len(back) == log.height
    assert back["case:concept:name"].nunique() == log["case_id"].n_unique()
    assert set(back["concept:name"]) == set(log["activity"])
    assert set(back["lifecycle:transition"]) == {"complete"}
    by_id = back.set_index("event_id")
    want = log.sort("event_id")
    ids = want["event_id"].to_list()
    assert by_id.loc[ids, "org:resource"].tolist() == want["actor"].to_list()
    assert by_id.loc[ids, "org:role"].tolist() == want["role"].to_list()
    assert _py(by_id.loc[ids, "time:timestamp"]) == _utc(log)
    reasons = {r for r in back.get("reason", []) if isinstance(r, str)}
    assert reasons == set(log["reason"].drop_nulls())
    # within each trace, events come in time order
    assert (
        back.groupby("case:concept:name")["time:timestamp"].diff().dropna() >= dt.timedelta(0)
    ).all()


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("suffix", [".json", ".sqlite"])
def test_ocel_reads_back(tmp_path: Path, seed: int, suffix: str) -> None:
    log = little_log(40, seed)
    path = to_ocel(log, tmp_path / f"log{suffix}")
    reader = pm4py.read_ocel2_json if suffix == ".json" else pm4py.read_ocel2_sqlite
    ocel = reader(str(path))
    assert len(ocel.events) == log.height
    assert set(ocel.events["ocel:activity"]) == set(log["activity"])
    types = ocel.objects["ocel:type"].value_counts().to_dict()
    assert types == {
        "case": log["case_id"].n_unique(),
        "area": log["area"].n_unique(),
        "organisation": log["target"].drop_nulls().n_unique(),
    }
    relations = ocel.relations["ocel:qualifier"].value_counts().to_dict()
    assert relations == {
        "case": log.height,
        "area": log.height,
        "target": log["target"].drop_nulls().len(),
    }
    assert len(ocel.o2o) == log["case_id"].n_unique()  # each case → its area
    by_id = ocel.events.set_index("ocel:eid")
    ids = log.sort("event_id")["event_id"].to_list()
    assert by_id.loc[ids, "actor"].tolist() == log.sort("event_id")["actor"].to_list()
    assert _py(by_id.loc[ids, "ocel:timestamp"]) == _utc(log)


def test_problems_are_reported_all_at_once(tmp_path: Path) -> None:
    log = little_log(5, 3)
    bad = log.with_columns(
        pl.when(pl.int_range(pl.len()) == 0)
        .then(None)
        .otherwise(pl.col("activity"))
        .alias("activity"),
        pl.when(pl.int_range(pl.len()) == 1)
        .then(pl.lit("e0-0"))
        .otherwise(pl.col("event_id"))
        .alias("event_id"),
        pl.when(pl.int_range(pl.len()) == 2)
        .then(pl.lit("G9"))
        .otherwise(pl.col("area"))
        .alias("area"),
    )
    with pytest.raises(EventLogError) as info:
        to_xes(bad, tmp_path / "bad.xes")
    assert {"null-value", "duplicate-event-id", "case-disagrees"} <= set(info.value.codes)
    assert not list(tmp_path.iterdir())  # nothing written
    with pytest.raises(EventLogError, match="missing") as info:
        to_ocel(log.drop("actor", "role"), tmp_path / "bad.json")
    assert info.value.codes == ["missing-column", "missing-column"]
    naive = log.with_columns(pl.col("timestamp").dt.replace_time_zone(None))
    with pytest.raises(EventLogError, match="time zone"):
        to_ocel(naive, tmp_path / "bad.json")
    with pytest.raises(EventLogError, match="cannot tell the OCEL format"):
        to_ocel(log, tmp_path / "log.txt")


def test_writes_are_atomic(tmp_path: Path) -> None:
    log = little_log(5, 4)
    target = tmp_path / "log.xes"
    target.write_text("previous")
    with pytest.raises(EventLogError):
        to_xes(log.with_columns(pl.lit(None, pl.String).alias("actor")), target)
    assert target.read_text() == "previous"
    folder = tmp_path / "a-directory.json"
    folder.mkdir()
    with pytest.raises(SaveError, match="previous file kept"):
        to_ocel(log, folder)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-directory.json", "log.xes"]
    with pytest.raises(SaveError):
        to_xes(log, tmp_path / "missing" / "log.xes")


def test_export_columns_are_the_schema() -> None:
    assert set(little_log(3, 5).columns) == set(EVENT_COLUMNS)
