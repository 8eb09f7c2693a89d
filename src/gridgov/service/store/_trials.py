"""Crash and concurrency trials of a store, run by the tests (small) and the benchmark (large).

Both start real child processes: :func:`crash_trial` kills an appending child with SIGKILL
at a random moment and checks that every acknowledged batch survived whole and no batch is
half-present; :func:`concurrency_trial` lets writer processes append their own cases and race
to close the same shared cases, then checks that nothing was lost and each shared case was
closed exactly once. A failed check raises :class:`TrialFailedError` (an ``AssertionError``).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import polars as pl

from gridgov.service.sample import sample_log
from gridgov.service.store import open_store
from gridgov.service.workflow import load_template

_SRC = str(Path(__file__).resolve().parents[3])


class TrialFailedError(AssertionError):
    """A guarantee that did not hold."""


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise TrialFailedError(message)


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([_SRC, os.environ.get("PYTHONPATH", "")])}


def without_last(log: pl.DataFrame) -> pl.DataFrame:
    """``log`` with each case's last event removed (so the sampled cases stay open)."""
    last = log.with_row_index("i").group_by("case_id").agg(pl.col("i").max())["i"]
    return log.with_row_index("i").filter(~pl.col("i").is_in(last.implode())).drop("i")


def closing_activities(template: str) -> set[str]:
    """The template's *closed* milestone activities."""
    return set(load_template(template).milestones.closed)


_CHILD = textwrap.dedent(
    """
    import sys, polars as pl
    from gridgov.service.store import open_store
    url, data, batch = sys.argv[1], sys.argv[2], int(sys.argv[3])
    log = pl.read_parquet(data)
    store = open_store(url)
    for n, i in enumerate(range(0, log.height, batch)):
        store.append(log.slice(i, batch))
        print(n, flush=True)
    """
)


def crash_trial(
    url: str, log: pl.DataFrame, work: Path, batch: int, rng: random.Random
) -> tuple[int, int]:
    """Append ``log`` in batches from a child killed at a random moment; check what survived.

    The kill comes a random 0–1 s after the child acknowledged its first batch, so it lands
    in the middle of the appends. Returns the number of batches acknowledged and the number
    found stored.
    """
    data = work / "log.parquet"
    log.write_parquet(data)
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, url, str(data), str(batch)],
        stdout=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    assert child.stdout is not None
    first = child.stdout.readline()  # the child is appending: kill it at a random moment now
    time.sleep(rng.uniform(0.0, 1.0))
    child.send_signal(signal.SIGKILL)
    out, _ = child.communicate()
    acked = {int(x) for x in (first + out).split()}
    _check(bool(first), "the child acknowledged no batch before it was killed")
    with open_store(url) as store:
        ids = set(store.events()["event_id"])
        if url.startswith("sqlite"):
            integrity = store.execute("PRAGMA integrity_check")
            _check(integrity == [("ok",)], f"integrity_check: {integrity}")
    stored = 0
    for n in range((log.height + batch - 1) // batch):
        wanted = set(log.slice(n * batch, batch)["event_id"])
        present = wanted & ids
        _check(present in (set(), wanted), f"batch {n} is half-present")
        _check(n not in acked or present == wanted, f"acknowledged batch {n} was lost")
        stored += present == wanted
    return len(acked), stored


_WRITER = textwrap.dedent(
    """
    import sys, polars as pl
    from gridgov.errors import StoreError
    from gridgov.service.store import open_store
    url, own, close, w = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    store = open_store(url, timeout=120)
    own, close = pl.read_parquet(own), pl.read_parquet(close)
    won = 0
    order = list(range(close.height))
    order = order[w:] + order[:w]  # each writer races for every case, starting elsewhere

    def attempt(k):
        global won
        try:
            store.append(close.slice(k, 1).with_columns(
                (pl.col("event_id") + f"-by-{w}").alias("event_id")))
            won += 1
        except StoreError as e:
            assert e.codes == ["forbidden-transition"], e

    for i in range(0, own.height, 50):
        store.append(own.slice(i, 50))
        if order:
            attempt(order.pop())
    for k in order:
        attempt(k)
    print(won)
    """
)


def concurrency_trial(url: str, work: Path, writers: int, per_writer: int, shared: int) -> int:
    """``writers`` processes append their own cases and race to close ``shared`` cases.

    Returns the number of events stored.
    """
    common = sample_log(["whistle"], cases=shared, seed=9)
    last = common.with_row_index("i").group_by("case_id").agg(pl.col("i").max())["i"]
    closes = common.with_row_index("i").filter(pl.col("i").is_in(last.implode())).drop("i")
    with open_store(url) as store:
        store.append(without_last(common))
    closes.write_parquet(work / "close.parquet")
    procs = []
    expected = common.height
    for w in range(writers):
        own = sample_log(["urban_case"], cases=max(1, per_writer // 10), seed=100 + w)
        own = own.with_columns(
            (f"w{w}-" + pl.col("case_id")).alias("case_id"),
            (f"w{w}-" + pl.col("event_id")).alias("event_id"),
        )
        expected += own.height
        own.write_parquet(work / f"own{w}.parquet")
        args = [url, str(work / f"own{w}.parquet"), str(work / "close.parquet"), str(w)]
        procs.append(
            subprocess.Popen(
                [sys.executable, "-c", _WRITER, *args],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=_env(),
            )
        )
    wins = 0
    for proc in procs:
        out, err = proc.communicate(timeout=3600)
        _check(proc.returncode == 0, f"a writer failed: {err}")
        wins += int(out)
    with open_store(url) as store:
        events = store.events()
        closed = events.filter(
            pl.col("case_id").is_in(closes["case_id"].implode())
            & pl.col("activity").is_in(list(closing_activities("whistle")))
        )
        per_case = closed.group_by("case_id").len()["len"].to_list()
        _check(per_case == [1] * closes.height, "a shared case was not closed exactly once")
        _check(wins == closes.height, f"{wins} closes acknowledged for {closes.height} cases")
        _check(events.height == expected, f"{events.height} events stored, {expected} appended")
        if url.startswith("sqlite"):
            integrity = store.execute("PRAGMA integrity_check")
            _check(integrity == [("ok",)], f"integrity_check: {integrity}")
        return events.height
