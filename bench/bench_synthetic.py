"""Benchmark: ``synthetic_city(households=1_000_000)`` against a plain-polars baseline.

The baseline, measured in the same run, is what a user would write by hand to get the same
household table: numpy arrays of unit numbers and residents turned into a polars frame with
string ids (``S01C02G03B04U01H05``-style), a parent column and a residents column, with no
validation and nothing else of the city. gridgov builds the whole city (areas, compounds,
organisations, people, posts, appointments, linked households, report-backs, agreements)
and validates it as one ``Structure``; the ratio says what that costs over the bare frame.
The stage times come from the generator's progress callback; ``validation`` is the
construction of the ``Structure`` (every integrity check).

Run: ``python bench/bench_synthetic.py [households] [reps]`` (defaults 1 000 000 and 1).
"""

from __future__ import annotations

import itertools
import resource
import statistics
import sys
import time
from collections.abc import Callable

import numpy as np
import polars as pl

from gridgov.datasets import synthetic_city


def measure(fn: Callable[[], object], reps: int) -> float:
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def baseline(households: int) -> pl.DataFrame:
    """The household frame by hand: 12 households a unit, 3 units a building, 10 buildings a
    grid, 12 grids a community, 6 communities a street."""
    rng = np.random.default_rng(0)
    k = np.arange(households)
    unit = k // 12
    parts = {
        "s": unit // (3 * 10 * 12 * 6) + 1,
        "c": unit // (3 * 10 * 12) % 6 + 1,
        "g": unit // (3 * 10) % 12 + 1,
        "b": unit // 3 % 10 + 1,
        "u": unit % 3 + 1,
        "h": k % 12 + 1,
    }
    frame = pl.DataFrame(parts)

    def code(letter: str, col: str) -> list[pl.Expr]:
        return [pl.lit(letter), pl.col(col).cast(pl.String).str.zfill(2)]

    parent = [e for letter in "SCGBU" for e in code(letter, letter.lower())]
    return frame.select(
        pl.concat_str([*parent, *code("H", "h")]).alias("id"),
        pl.concat_str(parent).alias("parent"),
        pl.Series("residents", 1 + np.minimum(rng.poisson(1.6, households), 11), pl.Int32),
    )


def main() -> None:
    households = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    stages: list[tuple[str, float]] = []

    def progress(stage: str, _fraction: float) -> None:
        stages.append((stage, time.perf_counter()))

    def run() -> None:
        stages.clear()
        stages.append(("setup", time.perf_counter()))  # imports, profile, code scheme
        city = synthetic_city(households=households, seed=1, progress=progress)
        assert len(city.households) == households

    cpu0 = time.process_time()
    t_city = measure(run, reps)
    cpu = (time.process_time() - cpu0) / reps
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    t_base = measure(lambda: baseline(households), max(reps, 3))
    print(
        f"synthetic_city(households={households:_}): {t_city:.2f} s wall (median of {reps}), "
        f"{cpu:.2f} s CPU, peak RSS {peak:.0f} MiB"
    )
    for (name, t0), (_, t1) in itertools.pairwise(stages):
        print(f"  {name:<14} {t1 - t0:6.2f} s")
    print(f"baseline (plain polars household frame): {t_base:.3f} s")
    print(f"ratio: {t_city / t_base:.0f}x")


if __name__ == "__main__":
    main()
