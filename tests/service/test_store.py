"""The case store's contract on real SQLite files and a real PostgreSQL server.

``store_url`` (tests/service/conftest.py) gives a fresh store on each backend; the server is
started by the session fixture, never mocked.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from gridgov.errors import ServiceError, StoreError
from gridgov.service.case_table import cases
from gridgov.service.rates import closing_rate, filed_count, on_time_closing_rate
from gridgov.service.sample import sample_log
from gridgov.service.schema import EVENT_COLUMNS
from gridgov.service.store import STORE_VERSION, CaseStore, default_store_url, open_store
from gridgov.service.store._trials import (
    closing_activities,
    concurrency_trial,
    crash_trial,
    without_last,
)


@pytest.fixture(scope="module")
def log() -> pl.DataFrame:
    return sample_log(["whistle", "urban_case"], cases=60, seed=3)


# -- the contract, on both backends -------------------------------------------------------------


def test_append_then_read_back(store_url: str, log: pl.DataFrame) -> None:
    with open_store(store_url) as store:
        assert isinstance(store, CaseStore)
        result = store.append(log)
        assert (result.added, result.duplicates) == (log.height, 0)
        assert store.count() == log.height
        assert store.events().equals(log)
        assert store.schema_version == STORE_VERSION
        one = store.case("whistle-0")
        assert one.activities == tuple(
            log.filter(pl.col("case_id") == "whistle-0")["activity"].to_list()
        )
    with open_store(store_url) as again:  # durable across connections
        assert again.count() == log.height


def test_retried_batch_never_duplicates(store_url: str, log: pl.DataFrame) -> None:
    with open_store(store_url) as store:
        half = log.head(log.height // 2)
        store.append(half)
        result = store.append(log)  # a retry of the first half plus new events
        assert (result.added, result.duplicates) == (log.height - half.height, half.height)
        assert store.count() == log.height


def test_conflicting_content_under_one_id_is_refused(store_url: str, log: pl.DataFrame) -> None:
    with open_store(store_url) as store:
        store.append(log.head(5))
        changed = log.head(6).with_columns(
            pl.when(pl.int_range(pl.len()) == 2)
            .then(pl.lit("someone-else"))
            .otherwise(pl.col("actor"))
            .alias("actor")
        )
        with pytest.raises(StoreError) as err:
            store.append(changed)
        assert err.value.codes == ["conflicting-event"]
        assert "actor" in str(err.value)
        assert store.count() == 5  # the sixth, valid event was not written either


def test_forbidden_transition_is_refused_with_the_reason(store_url: str, log: pl.DataFrame) -> None:
    one = log.filter(pl.col("case_id") == "whistle-0")
    with open_store(store_url) as store:
        with pytest.raises(StoreError) as err:
            store.append(one.tail(1))  # the closing event of a case never opened
        assert err.value.codes == ["forbidden-transition"]
        assert "allowed only from" in str(err.value)
        assert store.count() == 0
        store.append(one)
        again = one.tail(1).with_columns(pl.lit("whistle-0-again").alias("event_id"))
        with pytest.raises(StoreError) as err:
            store.append(again)  # closing a closed case
        assert err.value.codes == ["forbidden-transition"]
        assert "(ended)" in str(err.value)
        bad_role = log.filter(pl.col("case_id") == "whistle-1").head(1)
        with pytest.raises(StoreError) as err:
            store.append(bad_role.with_columns(pl.lit("resident").alias("role")))
        assert err.value.codes == ["forbidden-role"]
        assert isinstance(err.value, ServiceError)
        assert isinstance(err.value, ValueError)


def test_one_event_as_a_mapping(store_url: str, log: pl.DataFrame) -> None:
    with open_store(store_url) as store:
        first = log.row(0, named=True)
        assert store.append(first).added == 1
        assert store.case(first["case_id"]).events[0].event_id == first["event_id"]
        with pytest.raises(StoreError) as err:
            store.case("no-such-case")
        assert err.value.codes == ["unknown-case"]


def test_queries_by_period_area_and_template(store_url: str, log: pl.DataFrame) -> None:
    with open_store(store_url) as store:
        store.append(log)
        start, end = dt.date(2024, 3, 1), dt.date(2024, 9, 1)
        tz = log.schema["timestamp"]
        lo = pl.lit(dt.datetime(2024, 3, 1)).dt.replace_time_zone("Asia/Shanghai").cast(tz)
        hi = pl.lit(dt.datetime(2024, 9, 1)).dt.replace_time_zone("Asia/Shanghai").cast(tz)
        expected = log.filter(
            (pl.col("timestamp") >= lo)
            & (pl.col("timestamp") < hi)
            & (pl.col("area") == "G2")
            & (pl.col("template") == "urban_case")
        )
        got = store.events(start=start, end=end, area="G2", template="urban_case")
        assert expected.height > 0
        assert got.equals(expected)
        batches = list(store.iter_events(template="whistle", batch_size=7))
        assert all(b.height <= 7 for b in batches)
        assert pl.concat(batches).equals(log.filter(pl.col("template") == "whistle"))


def test_rates_equal_the_in_memory_rates(store_url: str, log: pl.DataFrame) -> None:
    with open_store(store_url) as store:
        store.append(log)
        table = cases(log)
        for name, function in (
            ("closing_rate", closing_rate),
            ("on_time_closing_rate", on_time_closing_rate),
            ("filed_count", filed_count),
        ):
            expected = function(table, by="area", period="month")
            assert store.rates(name, by="area", period="month").equals(expected), name
        with pytest.raises(StoreError) as err:
            store.rates("happiness")
        assert err.value.codes == ["unknown-rate"]


def test_open_cases_with_their_due_time(store_url: str, log: pl.DataFrame) -> None:
    partial = without_last(log)
    as_of = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    with open_store(store_url) as store:
        store.append(partial)
        got = store.open_cases(as_of=as_of)
        table = cases(partial, as_of=as_of)
        ended = {
            row["case_id"]
            for row in partial.group_by("case_id", "template")
            .agg(pl.col("activity").last())
            .iter_rows(named=True)
            if row["activity"] in closing_activities(row["template"])
        }
        expected = table.filter(~pl.col("case_id").is_in(list(ended)))
        assert sorted(got["case_id"]) == sorted(expected["case_id"])
        assert got.height > 0
        joined = got.join(expected.select("case_id", "due_at"), on="case_id", suffix="_t")
        assert joined.filter(pl.col("due_at").ne_missing(pl.col("due_at_t"))).height == 0
        overdue = store.open_cases(as_of=as_of, overdue=True)
        assert overdue["overdue"].all()
        assert set(overdue["case_id"]) == set(got.filter(pl.col("overdue"))["case_id"])


def test_events_are_append_only(store_url: str, log: pl.DataFrame) -> None:
    with open_store(store_url) as store:
        store.append(log.head(3))
        for sql in ("UPDATE events SET actor = 'x'", "DELETE FROM events"):
            with pytest.raises(StoreError) as err:
                store.execute(sql)
            assert err.value.codes == ["append-only"]
        assert store.events().equals(log.head(3))


# -- opening, URLs and bad input ----------------------------------------------------------------


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///", "mysql://h/db", "   "])
def test_a_malformed_url_is_a_typed_error(url: str) -> None:
    with pytest.raises(StoreError) as err:
        open_store(url)
    assert err.value.codes == ["bad-url"]


def test_the_default_store_is_beside_the_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    structure = tmp_path / "youyi" / "structure.toml"
    assert default_store_url(structure) == f"sqlite:///{tmp_path / 'youyi' / 'cases.db'}"
    monkeypatch.chdir(tmp_path)
    with open_store() as store:
        assert store.count() == 0
    assert (tmp_path / ".gridgov" / "cases.db").exists()


def test_a_file_that_is_not_a_store(tmp_path: Path) -> None:
    junk = tmp_path / "notes.db"
    junk.write_bytes(b"these are my notes, not a database" * 100)
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE people (name TEXT)")
    conn.close()
    for path in (junk, other, tmp_path):
        with pytest.raises(StoreError) as err:
            open_store(f"sqlite:///{path}")
        assert err.value.codes == ["not-a-store"]
    assert junk.read_bytes().startswith(b"these are my notes")  # left untouched


def test_a_store_of_version_0_is_migrated(tmp_path: Path, log: pl.DataFrame) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:  # the pre-release layout: ISO text timestamps
        conn.execute(
            "CREATE TABLE events ("
            + ", ".join(f"{c} {'INTEGER' if c == 'rating' else 'TEXT'}" for c in EVENT_COLUMNS)
            + ")"
        )
        text = log.with_columns(
            pl.col("timestamp").dt.convert_time_zone("UTC").dt.strftime("%Y-%m-%dT%H:%M:%S%.6fZ")
        )
        conn.executemany(f"INSERT INTO events VALUES ({', '.join('?' * 13)})", text.rows())
    conn.close()
    with open_store(f"sqlite:///{path}") as store:
        assert store.schema_version == STORE_VERSION
        assert store.events().equals(log)
        assert store.open_cases().height == 0  # every sampled case is closed
    with pytest.raises(StoreError) as err, open_store(f"sqlite:///{path}") as store:
        store.append(log.head(1).with_columns(pl.lit("x").alias("actor")))
    assert err.value.codes == ["conflicting-event"]


def test_a_store_from_a_newer_gridgov_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    open_store(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE gridgov_store SET value = '99' WHERE key = 'version'")
    conn.close()
    with pytest.raises(StoreError) as err:
        open_store(f"sqlite:///{path}")
    assert err.value.codes == ["too-new"]


def test_a_read_only_file(tmp_path: Path, log: pl.DataFrame) -> None:
    path = tmp_path / "cases.db"
    with open_store(f"sqlite:///{path}") as store:
        store.append(log.head(4))
    for f in tmp_path.iterdir():
        f.chmod(0o444)
    try:
        with pytest.raises(StoreError) as err:
            open_store(f"sqlite:///{path}")
        assert err.value.codes == ["read-only"]
        with open_store(f"sqlite:///{path}", read_only=True) as store:
            assert store.count() == 4
            with pytest.raises(StoreError) as err:
                store.append(log.head(8))
            assert err.value.codes == ["read-only"]
    finally:
        for f in tmp_path.iterdir():
            f.chmod(0o644)
    with open_store(f"sqlite:///{path}") as store:
        assert store.append(log.head(8)).added == 4


def test_a_full_disk(tmp_path: Path, log: pl.DataFrame) -> None:
    # SQLite's own quota (max_page_count) makes it fail exactly as on a full disk (SQLITE_FULL)
    path = tmp_path / "cases.db"
    big = sample_log(["urban_case"], cases=400, seed=5)
    with open_store(f"sqlite:///{path}") as store:
        store.append(big.head(10))
        pages = store.execute("PRAGMA page_count")[0][0]
        store.execute(f"PRAGMA max_page_count = {pages + 2}")
        with pytest.raises(StoreError) as err:
            store.append(big)
        assert err.value.codes == ["disk-full"]
    with open_store(f"sqlite:///{path}") as store:
        assert store.count() == 10
        assert store.execute("PRAGMA integrity_check") == [("ok",)]
        assert store.append(big).added == big.height - 10


def test_a_locked_store_is_busy_then_usable(tmp_path: Path, log: pl.DataFrame) -> None:
    path = tmp_path / "cases.db"
    with open_store(f"sqlite:///{path}", timeout=0.5) as store:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        with pytest.raises(StoreError) as err:
            store.append(log.head(3))
        assert err.value.codes == ["busy"]
        assert "database is locked" in str(err.value)
        other.execute("ROLLBACK")
        other.close()
        assert store.append(log.head(3)).added == 3


def test_missing_columns_and_naive_timestamps(store_url: str, log: pl.DataFrame) -> None:
    with open_store(store_url) as store:
        with pytest.raises(StoreError) as err:
            store.append(log.drop("role"))
        assert err.value.codes == ["bad-events"]
        with pytest.raises(StoreError) as err:
            store.append(log.with_columns(pl.col("timestamp").dt.replace_time_zone(None)))
        assert "timezone" in str(err.value)
        with pytest.raises(StoreError) as err:
            store.append(log.with_columns(pl.lit(None, pl.String).alias("actor")))
        assert err.value.codes == ["bad-events"]
        assert store.count() == 0


# -- crash safety and concurrency (child processes) ---------------------------------------------


def test_crash_safety(new_store_url: Callable[[], str], tmp_path: Path) -> None:
    # a handful of trials here; bench/bench_store.py runs 50 and more
    log = sample_log(["urban_case"], cases=4000, seed=7)
    rng = random.Random(11)
    for trial in range(2):
        work = tmp_path / f"t{trial}"
        work.mkdir()
        acked, stored = crash_trial(new_store_url(), log, work, 500, rng)
        assert stored >= acked


def test_concurrent_writers_close_each_case_once(store_url: str, tmp_path: Path) -> None:
    # 8 x 500 events here; bench/bench_store.py runs 8 x 10 000
    assert concurrency_trial(store_url, tmp_path, writers=8, per_writer=500, shared=16) > 4000
