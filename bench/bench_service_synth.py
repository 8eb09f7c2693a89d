#!/usr/bin/env python3
"""Benchmark ``datasets.synthetic_events``: a year of 1 M and 10 M events, time and memory.

    python bench/bench_service_synth.py                         # 1 M and 10 M events
    python bench/bench_service_synth.py --events 1000000        # one size
    python bench/bench_service_synth.py --households 100000     # a smaller city

The mechanism (arrivals per household and day, a walk over each template, working-time
handling through the China working calendar, lateness-driven ratings, actors resolved to the
people holding posts on each day) is measured against a baseline in the same run:
``gridgov.service.sample_log``, the clean sample-log generator, asked for the same number of
cases over the same grids and templates — the cheapest way to lay out an event log of that
size with no behaviour at all. The ratio says what the mechanism costs over laying out the
columns.

Each measurement runs in a fresh Python process (this script with ``--child``; a fork would
deadlock polars' thread pool) that builds the city first, untimed: memory is that process's
peak resident set (``ru_maxrss``) minus its resident set once the city is built. The number
of cases is set by a small pilot run so that the full run lands near the requested number of
events.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from gridgov.datasets import synthetic_city, synthetic_events
from gridgov.service import sample_log

TEMPLATES = ["four_lists:youyi", "whistle:huanan", "hotline_12345", "urban_case"]


def _rss_kib() -> int:
    with Path("/proc/self/status").open(encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def child(which: str, households: int, amount: float) -> None:
    """Build the city, then time one generation and print seconds, MiB and events as JSON."""
    city = synthetic_city(households=households, seed=1)
    grids = city.areas.frame.filter(level="grid").get_column("id").to_list()
    gc.collect()
    start = _rss_kib()
    t0 = time.perf_counter()
    if which == "gridgov":
        n = synthetic_events(city, seed=1, templates=TEMPLATES, scale=amount).events.height
    else:
        n = sample_log(TEMPLATES, cases=round(amount), seed=1, areas=grids).height
    took = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": took, "mib": (peak - start) / 1024, "events": n}))


def measure(which: str, households: int, amount: float) -> dict[str, float]:
    """Run :func:`child` in a fresh interpreter and read its result."""
    cmd = [sys.executable, __file__, "--child", which, "--households", str(households)]
    out = subprocess.run(
        [*cmd, "--amount", repr(amount)], check=True, capture_output=True, text=True
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[1])
    ap.add_argument("--events", type=int, nargs="*", default=[1_000_000, 10_000_000])
    ap.add_argument("--households", type=int, default=200_000)
    ap.add_argument("--reps", type=int, default=1)
    ap.add_argument("--child", choices=["gridgov", "baseline"], help=argparse.SUPPRESS)
    ap.add_argument("--amount", type=float, default=1.0, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.households, args.amount)
        return
    t0 = time.perf_counter()
    city = synthetic_city(households=args.households, seed=1)
    grids = city.areas.frame.filter(level="grid").height
    took = time.perf_counter() - t0
    print(f"city: {args.households:,} households, {grids:,} grids ({took:.1f} s, untimed)")
    pilot = synthetic_events(city, seed=0, templates=TEMPLATES, scale=0.2).events
    per_scale = pilot.height / 0.2
    per_case = pilot.height / pilot.get_column("case_id").n_unique()
    print(f"pilot: {per_scale:,.0f} events at scale 1, {per_case:.2f} events a case")
    print(f"{'events':>12} {'gridgov s':>10} {'MiB':>8} {'baseline s':>11} {'MiB':>8} {'ratio':>7}")
    for target in args.events:
        runs = [
            (
                measure("gridgov", args.households, target / per_scale),
                measure("baseline", args.households, target / per_case),
            )
            for _ in range(args.reps)
        ]
        g = statistics.median(r[0]["seconds"] for r in runs)
        b = statistics.median(r[1]["seconds"] for r in runs)
        ratios = [r[0]["seconds"] / r[1]["seconds"] for r in runs]
        spread = f" ({min(ratios):.2f}-{max(ratios):.2f})" if len(runs) > 1 else ""
        print(
            f"{runs[0][0]['events']:>12,.0f} {g:>10.1f} {runs[0][0]['mib']:>8.0f} {b:>11.1f} "
            f"{runs[0][1]['mib']:>8.0f} {g / b:>6.2f}x{spread}"
        )


if __name__ == "__main__":
    main()
