"""Benchmark: validating and rolling up a 1 000 000-household structure, against baselines.

Baselines, measured in the same run on the same data (DESIGN.md §4 method):

* ``baseline_checks``: what a user would write with plain polars — build the frames, check
  that ids are unique and that every parent exists (two vectorised checks only);
* ``baseline_rollup``: numpy ``bincount`` of households per grid on a prepared dense index
  (the fastest way in DESIGN.md §4, 0.008 s), then a second ``bincount`` to communities.

gridgov does more than either (every integrity check, typed errors, caches), so the ratio
says what that costs. Run: ``python bench/bench_structure.py [households]``.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable

import numpy as np
import polars as pl

from gridgov.org import AreaLevel, AreaTable, HouseholdTable, Structure


def measure(fn: Callable[[], object], reps: int = 5) -> float:
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def city(n_households: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    n_grid = max(1, n_households // 250)
    n_comm = max(1, n_grid // 40)
    n_street = max(1, n_comm // 5)
    n_build = max(1, n_households // 40)
    n_unit = max(1, n_households // 10)
    ids = ["D"] + [f"S{i}" for i in range(n_street)] + [f"C{i}" for i in range(n_comm)]
    levels = ["district"] + ["street"] * n_street + ["community"] * n_comm
    parents: list[str | None] = [None] + ["D"] * n_street
    parents += [f"S{i % n_street}" for i in range(n_comm)]
    ids += [f"G{i}" for i in range(n_grid)] + [f"B{i}" for i in range(n_build)]
    levels += ["grid"] * n_grid + ["building"] * n_build
    parents += [f"C{i % n_comm}" for i in range(n_grid)] + [
        f"G{i % n_grid}" for i in range(n_build)
    ]
    ids += [f"U{i}" for i in range(n_unit)]
    levels += ["unit"] * n_unit
    parents += [f"B{i % n_build}" for i in range(n_unit)]
    areas = pl.DataFrame({"id": ids, "level": levels, "parent": parents})
    h = np.arange(n_households)
    households = pl.DataFrame(
        {
            "id": pl.Series([f"H{i}" for i in h]),
            "parent": pl.Series([f"U{i % n_unit}" for i in h]),
            "residents": (h % 5 + 1).astype(np.int32),
        }
    )
    return areas, households


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    areas, households = city(n)

    def baseline_checks() -> None:
        ids = pl.concat([areas.get_column("id"), households.get_column("id")])
        assert not ids.is_duplicated().any()
        known = areas.get_column("id").implode()
        assert households.get_column("parent").is_in(known).all()
        assert areas.get_column("parent").drop_nulls().is_in(known).all()

    def gridgov_validate() -> Structure:
        return Structure(areas=AreaTable(areas), households=HouseholdTable(households))

    structure = gridgov_validate()
    unit_grid = structure.index.ancestor_at(AreaLevel.GRID)
    hh_grid = unit_grid[structure.index.hh_parent]
    grid_comm = structure.index.ancestor_at(AreaLevel.COMMUNITY)

    def baseline_rollup() -> None:
        per_grid = np.bincount(hh_grid, minlength=structure.index.n)
        np.bincount(grid_comm[per_grid > 0], weights=per_grid[per_grid > 0])

    def gridgov_rollup() -> None:
        structure._index = None  # drop the cached index: measure building it too
        structure.rollup("community")

    rows = [
        ("validate", measure(gridgov_validate, 3), measure(baseline_checks, 3)),
        ("rollup community (index cold)", measure(gridgov_rollup), measure(baseline_rollup)),
        (
            "rollup community (index warm)",
            measure(lambda: structure.rollup("community")),
            measure(baseline_rollup),
        ),
    ]
    print(f"{n:,} households; median seconds; ratio = gridgov / baseline (same run)")
    for name, ours, base in rows:
        print(f"{name:32s} gridgov {ours:8.3f}   baseline {base:8.4f}   ratio {ours / base:7.1f}x")


if __name__ == "__main__":
    main()
