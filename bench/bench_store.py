#!/usr/bin/env python3
"""Benchmark gridgov.service.store: ingest, rates, crash safety and concurrency (issue 11).

    python bench/bench_store.py                  # 1 M events, 50 crash trials, 8 x 10 000
    python bench/bench_store.py --events 200000 --crash-trials 5 --per-writer 1000   # quick
    python bench/bench_store.py --strict         # exit 1 when a target is missed

Cases and targets:

1. ingest of ``--events`` events in batches of ``--batch`` into a new SQLite store:
   >= 100 000 events/s, and <= 2x the time of a bare ``executemany`` of the same rows
   (prepared beforehand, not timed) into the same table of a new store file with the same
   pragmas (WAL, synchronous=FULL), one transaction per batch;
2. the same into PostgreSQL: <= 2x a bare ``COPY`` of the prepared rows into the same table;
3. rates (结案率 by area and month) from the store <= 3x the same rates from the in-memory
   polars frame (``cases()`` then ``closing_rate()``) — the store reads the events back in
   batches, then runs the same code;
4. ``--crash-trials`` SIGKILL trials per backend: every acknowledged batch present, none
   half-present, SQLite integrity_check ok;
5. ``--writers`` processes x ``--per-writer`` events on one SQLite file and on PostgreSQL,
   racing to close the same cases: no lost event, each case closed once.

Data: ``gridgov.service.sample_log`` (urban_case and hotline_12345 cases over one year, 4 000
grid areas). PostgreSQL: a throwaway server started here (initdb, pg_ctl on a Unix socket).
Timing: time.perf_counter, gc.collect() before each repetition, store and baseline
interleaved; median and [min-max] over ``--repeat`` repetitions.
"""

from __future__ import annotations

import argparse
import gc
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl

from gridgov.service import cases, closing_rate, sample_log
from gridgov.service.store import open_store
from gridgov.service.store._common import ROW_COLUMNS, to_rows
from gridgov.service.store._testserver import fresh_database, throwaway_postgres
from gridgov.service.store._trials import concurrency_trial, crash_trial

SEED = 20240601


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.3g} [{min(values):.3g}-{max(values):.3g}]"


def timed(action: Callable[[], Any]) -> float:
    gc.collect()
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def batches(frame: pl.DataFrame, size: int) -> list[pl.DataFrame]:
    return [frame.slice(i, size) for i in range(0, frame.height, size)]


def ingest_store(url: str, parts: list[pl.DataFrame]) -> float:
    with open_store(url) as store:
        return timed(lambda: [store.append(p) for p in parts])


def ingest_sqlite_bare(path: Path, rows: list[list[tuple[Any, ...]]]) -> float:
    open_store(f"sqlite:///{path}").close()  # the same tables, indexes and triggers
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    sql = f"INSERT INTO events ({', '.join(ROW_COLUMNS)}) VALUES ({', '.join('?' * 13)})"

    def work() -> None:
        for part in rows:
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(sql, part)
            conn.execute("COMMIT")

    took = timed(work)
    conn.close()
    return took


def ingest_postgres_bare(url: str, rows: list[list[tuple[Any, ...]]]) -> float:
    import psycopg

    open_store(url).close()
    with psycopg.connect(url) as conn:

        def work() -> None:
            for part in rows:
                with conn.transaction(), conn.cursor() as cur:
                    copy_sql = f"COPY events ({', '.join(ROW_COLUMNS)}) FROM STDIN"
                    with cur.copy(copy_sql) as copy:
                        for row in part:
                            copy.write_row(row)

        return timed(work)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--batch", type=int, default=50_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--crash-trials", type=int, default=50)
    ap.add_argument("--writers", type=int, default=8)
    ap.add_argument("--per-writer", type=int, default=10_000)
    ap.add_argument("--strict", action="store_true")
    args = ap.parse_args()

    areas = [f"G{i:04d}" for i in range(4000)]
    log = sample_log(
        ["urban_case", "hotline_12345"], cases=args.events * 10 // 114, seed=SEED, areas=areas
    )
    parts = batches(log, args.batch)
    rows = [to_rows(p, "bench") for p in parts]
    print(f"data: {log.height} events, {log['case_id'].n_unique()} cases, batches of {args.batch}")
    missed: list[str] = []
    work = Path(tempfile.mkdtemp(prefix="gridgov-bench-store-"))
    try:
        run(args, log, parts, rows, work, missed)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if missed:
        print(f"missed: {', '.join(missed)}")
        return 1 if args.strict else 0
    print("all targets met")
    return 0


def run(
    args: argparse.Namespace,
    log: pl.DataFrame,
    parts: list[pl.DataFrame],
    rows: list[list[tuple[Any, ...]]],
    work: Path,
    missed: list[str],
) -> None:

    # 1. SQLite ingest ----------------------------------------------------------------------
    store_t, bare_t = [], []
    for r in range(args.repeat):
        store_t.append(ingest_store(f"sqlite:///{work / f's{r}.db'}", parts))
        bare_t.append(ingest_sqlite_bare(work / f"b{r}.db", rows))
    rate = [log.height / t for t in store_t]
    ratio = [s / b for s, b in zip(store_t, bare_t, strict=True)]
    print(
        f"sqlite ingest: store {spread(rate)} events/s; bare executemany "
        f"{spread([log.height / t for t in bare_t])} events/s; ratio {spread(ratio)} "
        "(target >= 100000 events/s, ratio <= 2)"
    )
    if statistics.median(rate) < 100_000 or statistics.median(ratio) > 2:
        missed.append("sqlite ingest")

    # 3. rates from the SQLite store vs in memory -------------------------------------------
    def in_memory() -> pl.DataFrame:
        return closing_rate(cases(log), by="area", period="month")

    store = open_store(f"sqlite:///{work / 's0.db'}")
    in_memory()  # warm-up: the working calendar's table is built on first use
    mem_t, db_t = [], []
    for _ in range(args.repeat):
        mem_t.append(timed(in_memory))
        db_t.append(timed(lambda: store.rates("closing_rate", by="area", period="month")))
    same = store.rates("closing_rate", by="area", period="month").equals(in_memory())
    read_t = timed(store.events)
    store.close()
    ratio = [d / m for d, m in zip(db_t, mem_t, strict=True)]
    print(
        f"rates (sqlite): store {spread(db_t)} s, in memory {spread(mem_t)} s, ratio "
        f"{spread(ratio)} (target <= 3); reading the events alone {read_t:.3g} s; "
        f"equal: {same}"
    )
    if statistics.median(ratio) > 3 or not same:
        missed.append("sqlite rates")

    with throwaway_postgres() as server:
        # 2. PostgreSQL ingest -------------------------------------------------------------
        store_t, bare_t = [], []
        for _ in range(args.repeat):
            store_t.append(ingest_store(fresh_database(server), parts))
            bare_t.append(ingest_postgres_bare(fresh_database(server), rows))
        ratio = [s / b for s, b in zip(store_t, bare_t, strict=True)]
        print(
            f"postgres ingest: store {spread([log.height / t for t in store_t])} events/s; "
            f"bare COPY {spread([log.height / t for t in bare_t])} events/s; ratio "
            f"{spread(ratio)} (target <= 2)"
        )
        if statistics.median(ratio) > 2:
            missed.append("postgres ingest")
        url = fresh_database(server)
        with open_store(url) as pg:
            for p in parts:
                pg.append(p)
            db_t = [
                timed(lambda: pg.rates("closing_rate", by="area", period="month"))
                for _ in range(args.repeat)
            ]
        ratio = [d / statistics.median(mem_t) for d in db_t]
        print(
            f"rates (postgres): store {spread(db_t)} s, ratio to in memory {spread(ratio)} "
            "(target <= 3)"
        )
        if statistics.median(ratio) > 3:
            missed.append("postgres rates")

        # 4. crash trials ------------------------------------------------------------------
        small = sample_log(["urban_case"], cases=4000, seed=7)
        rng = random.Random(SEED)
        for backend in ("sqlite", "postgres"):
            acked = stored = 0
            for t in range(args.crash_trials):
                trial = work / f"crash-{backend}-{t}"
                trial.mkdir()
                target = (
                    f"sqlite:///{trial / 'c.db'}" if backend == "sqlite" else fresh_database(server)
                )
                a, s = crash_trial(target, small, trial, 500, rng)
                acked += a
                stored += s
            print(
                f"crash ({backend}): {args.crash_trials} SIGKILL trials passed; "
                f"{acked} batches acknowledged, {stored} stored, none half-present"
            )

        # 5. concurrency -------------------------------------------------------------------
        for backend in ("sqlite", "postgres"):
            trial = work / f"writers-{backend}"
            trial.mkdir()
            target = (
                f"sqlite:///{trial / 'w.db'}" if backend == "sqlite" else fresh_database(server)
            )
            took = time.perf_counter()
            n = concurrency_trial(target, trial, args.writers, args.per_writer, shared=200)
            took = time.perf_counter() - took
            print(
                f"concurrency ({backend}): {args.writers} writers, {n} events in all "
                f"(>= {args.per_writer} each), 200 cases raced: none lost, each closed once, "
                f"in {took:.1f} s"
            )


if __name__ == "__main__":
    sys.exit(main())
