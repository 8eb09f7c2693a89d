"""Benchmark: a million households end to end, every figure a ratio against a same-run baseline.

One run prints, for a synthetic city (``gridgov.datasets.synthetic_city``, seed 1):

============================  ===========================================================  =====
figure                        baseline (measured in the same run, same data)               goal
============================  ===========================================================  =====
load from tables (NDJSON,     polars reading the same three table files, the vectorised     1.5×
Parquet, CSV)                 checks a user would write (ids unique, parents and linked
                              households exist) and pydantic validating the main file's
                              rich part (organisations, people, posts …)
load from one JSON document   pydantic ``TypeAdapter.validate_json`` of the same document   0.5×
                              into models (no integrity checks)
roll-up grid+community+       numpy ``bincount`` on a prepared dense grid index (DESIGN     2× /
street, warm / first after    §4: households and party-member households per grid, summed  5×
load                          to communities and streets)
first ``household(id)``       building a ``dict`` of every id (what a lookup used to cost)  1×
``gridgov validate`` /        the load alone (in this process)                              —
``gridgov report``            (absolute goals: 5 s / 10 s on the 1 M city, indicative)
``synthetic_city(1M)``        absolute goal 10 s (generated and validated)                  —
``from gridgov import         ``import pydantic, numpy`` and defining (and using) one       1.25×
Structure``                   model, ``python -X importtime``
============================  ===========================================================  =====

A figure over its goal is flagged ``MISS``. Then the scaling table: load, roll-up and
generation per household from 100 k up (costs must stay linear).

Run: ``python bench/bench_city.py [--households N] [--reps R] [--full]``; ``--full`` adds the
3 M-household city to the scaling table (a few minutes more). Timings are medians of ``R``
runs (default 3); the machine's load average is printed, since a shared machine is noisy.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

import gridgov
from gridgov.datasets import synthetic_city
from gridgov.io.tables import table_file
from gridgov.org import AreaLevel, Structure

RESULTS: list[tuple[str, float, float, float | None]] = []


def measure(fn: Callable[[], object], reps: int) -> float:
    """Median wall time of ``reps`` calls (garbage collected before each)."""
    times = []
    for _ in range(reps):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def report(name: str, ours: float, base: float, goal: float | None) -> None:
    """Print one figure as a ratio, flagging a miss."""
    ratio = ours / base
    flag = "" if goal is None else ("ok" if ratio <= goal else "MISS")
    goal_s = "" if goal is None else f"≤ {goal:g}×"
    print(f"  {name:44s} {ours:9.3f} s  base {base:9.4f} s  {ratio:7.2f}×  {goal_s:8s} {flag}")
    RESULTS.append((name, ours, base, goal))


def absolute(name: str, seconds: float, goal: float | None, cpu: float | None = None) -> None:
    """Print one absolute timing against an absolute goal (and the CPU time, if known)."""
    flag = "" if goal is None else ("ok" if seconds <= goal else "MISS")
    goal_s = "" if goal is None else f"≤ {goal:g} s"
    cpu_s = "" if cpu is None else f"(CPU {cpu:.2f} s)"
    print(f"  {name:44s} {seconds:9.3f} s  {cpu_s:26s} {goal_s:8s} {flag}")


# -- baselines -------------------------------------------------------------------------------
def polars_tables_baseline(paths: dict[str, Path], fmt: str, main: Path) -> None:
    """Read the same table files with polars and run the checks a user would write."""
    import json

    from pydantic import TypeAdapter

    read: dict[str, Callable[[Path], pl.DataFrame]] = {
        "parquet": pl.read_parquet,
        "ndjson": pl.read_ndjson,
        "csv": lambda p: pl.read_csv(p, infer_schema=False),
    }
    areas = read[fmt](paths["areas"])
    households = read[fmt](paths["households"])
    links = read[fmt](paths["linked_households"])
    ids = pl.concat([areas.get_column("id"), households.get_column("id")])
    assert not ids.is_duplicated().any()
    known = areas.get_column("id").implode()
    assert households.get_column("parent").is_in(known).all()
    assert areas.get_column("parent").drop_nulls().is_in(known).all()
    assert links.get_column("household").is_in(households.get_column("id").implode()).all()
    rich = json.loads(main.read_bytes())
    for field, adapter in _rich_adapters(TypeAdapter).items():
        adapter.validate_python(rich.get(field, []))


def _rich_adapters(type_adapter: Any) -> dict[str, Any]:
    rich = ("compounds", "organisations", "people", "posts", "appointments", "report_backs")
    rich += ("agreements", "joint_committees", "supervision")
    return {f: type_adapter(Structure.model_fields[f].annotation) for f in rich}


def pydantic_document_adapter() -> Any:
    """``TypeAdapter`` of the whole document as pydantic models (tables as row models)."""
    from pydantic import TypeAdapter, create_model

    from gridgov.org import Household, LinkedHousehold
    from gridgov.org.areas import Area

    fields: dict[str, Any] = {
        name: (info.annotation, info.default)
        for name, info in Structure.model_fields.items()
        if name not in {"areas", "households", "linked_households"}
    }
    doc = create_model(  # type: ignore[call-overload]
        "Document",
        areas=(list[Area], []),
        households=(list[Household], []),
        linked_households=(list[LinkedHousehold], []),
        **fields,
    )
    return TypeAdapter(doc)


def bincount_baseline(s: Structure) -> Callable[[], object]:
    """DESIGN §4's fastest roll-up: bincount on a prepared dense grid index, summed upwards."""
    ix = s.index
    hh_grid = ix.household_ancestor_at(AreaLevel.GRID)
    gidx = np.where(hh_grid >= 0, hh_grid, 0)
    homes = s.households.key_index.positions(
        pl.Series([p.household for p in s.people if p.party is not None and p.household])
    )
    party = np.zeros(len(s.households))
    party[homes[homes >= 0]] = 1.0
    g2c = np.maximum(ix.ancestor_at(AreaLevel.COMMUNITY), 0)
    c2s = np.maximum(ix.ancestor_at(AreaLevel.STREET), 0)
    n = ix.n

    def run() -> object:
        n_g = np.bincount(gidx, minlength=n)
        p_g = np.bincount(gidx, weights=party, minlength=n)
        n_c = np.bincount(g2c, weights=n_g, minlength=n)
        p_c = np.bincount(g2c, weights=p_g, minlength=n)
        return np.bincount(c2s, weights=n_c), np.bincount(c2s, weights=p_c)

    return run


def three_levels(s: Structure) -> None:
    for level in ("grid", "community", "street"):
        s.rollup(level)


# -- import time -----------------------------------------------------------------------------
def import_seconds(code: str) -> float:
    """Cumulative top-level import time of ``code`` in a fresh interpreter (-X importtime)."""
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ,
    )
    total = 0
    for line in out.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        parts = line.split(":", 1)[1].split("|")
        name = parts[2][1:]
        if name == name.lstrip(" "):
            total += int(parts[1])
    return total / 1e6


def import_figures(reps: int) -> None:
    base_code = "import pydantic, numpy\nclass M(pydantic.BaseModel):\n    x: int\nM(x=1)"
    ours_code = "from gridgov import Structure"
    start = min(import_seconds("pass") for _ in range(3))
    base, ours = [], []
    for _ in range(max(reps, 9)):
        base.append(import_seconds(base_code) - start)
        ours.append(import_seconds(ours_code) - start)
    # the minimum: import time only ever grows with noise from other processes
    report("from gridgov import Structure (min)", min(ours), min(base), 1.25)
    report("from gridgov import Structure (median)", statistics.median(ours),
           statistics.median(base), None)  # fmt: skip


# -- the 1 M figures -------------------------------------------------------------------------
def city_figures(households: int, reps: int, tmp: Path) -> None:
    t0, c0 = time.perf_counter(), time.process_time()
    city = synthetic_city(households, seed=1)
    absolute(f"synthetic_city({households:_}) generated+validated", time.perf_counter() - t0,
             10.0 if households <= 1_000_000 else None, time.process_time() - c0)  # fmt: skip
    doc = gridgov.save(city, tmp / "city.json")
    table_mains = {fmt: gridgov.save(city, tmp / f"t_{fmt}.json", tables=fmt)
                   for fmt in ("ndjson", "parquet", "csv")}  # fmt: skip
    n = len(city.households)
    del city
    gc.collect()

    for fmt, main in table_mains.items():
        paths = {f: table_file(main, f, fmt) for f in ("areas", "households", "linked_households")}
        ours = measure(lambda m=main: gridgov.load(m), reps)
        base = measure(lambda p=paths, f=fmt, m=main: polars_tables_baseline(p, f, m), reps)
        report(f"load from {fmt} tables", ours, base, 1.5)

    raw = doc.read_bytes()
    adapter = pydantic_document_adapter()
    ours = measure(lambda: gridgov.load(doc), reps)
    base = measure(lambda: adapter.validate_json(raw), reps)
    report("load from one JSON document", ours, base, 0.5)
    t_load_json = ours

    # roll-ups: first call right after a load, then warm
    firsts = []
    loaded = gridgov.load(table_mains["parquet"])
    for _ in range(reps):
        loaded = gridgov.load(table_mains["parquet"])
        t1 = time.perf_counter()
        three_levels(loaded)
        firsts.append(time.perf_counter() - t1)
    warm = measure(lambda s=loaded: three_levels(s), max(reps, 5))
    base = measure(bincount_baseline(loaded), max(reps, 5))
    report("roll-up grid+community+street, warm", warm, base, 2.0)
    report("roll-up grid+community+street, first after load", statistics.median(firsts), base, 5.0)

    # the first id lookup after a load, against building a dict of every id
    ids = loaded.households.frame.get_column("id")
    probe = ids[n // 2]
    lookups = []
    for _ in range(reps):
        fresh = gridgov.load(table_mains["parquet"])
        t1 = time.perf_counter()
        fresh.household(probe)
        lookups.append(time.perf_counter() - t1)
    base = measure(lambda: {k: i for i, k in enumerate(ids.to_list())}, reps)
    report("first household(id) after load", statistics.median(lookups), base, 1.0)
    per = fresh.households.key_index.nbytes / n
    print(f"  {'  id index memory per household':44s} {per:9.1f} B")
    del fresh, loaded
    gc.collect()

    # the command line, in a fresh process, against the load alone in this one
    for command, goal in (("validate", 5.0), ("report", 10.0)):
        times, cpus = [], []
        for _ in range(reps):
            t1 = time.perf_counter()
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run(
                [sys.executable, "-m", "gridgov.cli", command, str(doc)],
                check=True,
                capture_output=True,
                env=os.environ,
            )
            times.append(time.perf_counter() - t1)
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime)
        took = statistics.median(times)
        report(f"gridgov {command} (JSON document) / load", took, t_load_json, None)
        absolute(f"gridgov {command} (JSON document)", took,
                 goal if households == 1_000_000 else None, statistics.median(cpus))  # fmt: skip


# -- scaling ---------------------------------------------------------------------------------
def scaling(sizes: list[int], tmp: Path) -> None:
    print("\nscaling (µs per household; linear costs keep each column flat)")
    print(f"  {'households':>12s} {'generate':>10s} {'load parquet':>13s} {'load JSON':>10s}"
          f" {'roll-up first':>14s} {'roll-up warm':>13s}")  # fmt: skip
    for n in sizes:
        t0 = time.perf_counter()
        city = synthetic_city(n, seed=1)
        gen = time.perf_counter() - t0
        main = gridgov.save(city, tmp / f"s{n}.json", tables="parquet")
        doc = gridgov.save(city, tmp / f"d{n}.json")
        del city
        gc.collect()
        t0 = time.perf_counter()
        loaded = gridgov.load(main)
        load = time.perf_counter() - t0
        t0 = time.perf_counter()
        three_levels(loaded)
        first = time.perf_counter() - t0
        warm = measure(lambda s=loaded: three_levels(s), 5)
        load_json = measure(lambda d=doc: gridgov.load(d), 1)
        del loaded
        gc.collect()
        us = [x / n * 1e6 for x in (gen, load, load_json, first, warm)]
        print(f"  {n:12,d} {us[0]:10.2f} {us[1]:13.2f} {us[2]:10.2f} {us[3]:14.3f} {us[4]:13.4f}")
        for f in tmp.glob(f"[sd]{n}.*"):
            f.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--full", action="store_true", help="add 3 M households to scaling")
    parser.add_argument("--skip-scaling", action="store_true")
    args = parser.parse_args()
    load1, load5, _ = os.getloadavg()
    print(
        f"gridgov {gridgov.__version__}; {args.households:,} households; median of {args.reps}; "
        f"load average {load1:.1f} (1 min) {load5:.1f} (5 min) on {os.cpu_count()} CPUs"
    )
    with tempfile.TemporaryDirectory(prefix="gridgov-bench-") as tmp:
        import_figures(args.reps)
        city_figures(args.households, args.reps, Path(tmp))
        if not args.skip_scaling:
            sizes = [100_000, 300_000, 1_000_000] + ([3_000_000] if args.full else [])
            scaling(sizes, Path(tmp))
    misses = [name for name, ours, base, goal in RESULTS if goal is not None and ours / base > goal]
    load1, _, _ = os.getloadavg()
    print(f"\nload average at the end {load1:.1f}; misses: {', '.join(misses) or 'none'}")


if __name__ == "__main__":
    main()
