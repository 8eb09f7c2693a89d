"""Benchmark: credit evaluation of 10 000 subjects x 20 records, against a numpy baseline.

The baseline, measured in the same run, is the core arithmetic a user would write by hand:
validity mask, per-subject section sums with ``np.bincount``, caps, and a ``searchsorted``
into the grade edges; gridgov adds record validation, vetoes, conditions, list rules and
explanations. Run: ``python bench/bench_credit.py``.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable

import numpy as np

from gridgov.scoring.credit import evaluate, load_policy

AS_OF = dt.date(2024, 6, 30)


def measure(fn: Callable[[], object], reps: int = 5) -> float:
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    policy = load_policy("shandong_property_services")
    subjects, per = 10_000, 20
    n = subjects * per
    rng = np.random.default_rng(0)
    kinds = np.array(list(policy.kinds))
    k = rng.integers(0, len(kinds), n)
    section = np.array([policy.kinds[x].section for x in kinds])[k]
    points = np.array([policy.kinds[x].points for x in kinds], dtype=float)[k]
    effective = np.datetime64("2022-01-01") + rng.integers(0, 900, n).astype("m8[D]")
    cols = {
        "subject": np.char.add("co", (np.arange(n) // per).astype(str)),
        "kind": kinds[k],
        "section": section,
        "points": points,
        "effective": effective,
        "serious": np.array([policy.kinds[x].serious for x in kinds])[k],
    }
    subject_idx = np.arange(n) // per
    as_of = np.datetime64(AS_OF)

    def baseline() -> None:
        valid = (effective <= as_of) & (as_of < effective + np.timedelta64(365, "D"))
        sums = {
            name: np.bincount(subject_idx, weights=points * (valid & (section == name)))
            for name in ("basic", "bonus", "penalty")
        }
        total = np.minimum(sums["basic"], 80) + np.minimum(sums["bonus"], 40) - sums["penalty"]
        np.searchsorted([60.0, 70.0, 80.0, 85.0], total, side="right")

    ours = measure(lambda: evaluate(policy, cols, as_of=AS_OF))
    base = measure(baseline)
    print(f"{subjects:,} subjects x {per} records; median seconds (same run)")
    print(f"gridgov evaluate {ours:.3f}   numpy baseline {base:.4f}   ratio {ours / base:.1f}x")


if __name__ == "__main__":
    main()
