"""Benchmark: ``WorkingCalendar.due()`` for 10 000 000 cases against a bare ``busday_offset``.

The baseline, measured in the same run on the same start instants, is what a user would
write by hand with numpy alone: truncate the instants to days and call ``np.busday_offset``
with the same ``busdaycalendar`` (every non-working day a holiday, weekmask ``1111111``).
gridgov adds the timezone shift, range checks that refuse uncovered years, the roll of a day
off and the close of office hours. Target: ratio ≤ 2 for working-day limits; working-hour
limits are reported beside it. Run: ``python bench/bench_service_clock.py [cases]``.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable

import numpy as np

from gridgov.service import WorkingCalendar

TARGET = 2.0


def timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    cal = WorkingCalendar.china()
    rng = np.random.default_rng(0)
    # start instants (UTC) spread over 2024-2025, to the second
    base = np.datetime64("2024-01-01T00:00", "us")
    span = 2 * 365 * 86_400
    starts = base + (rng.integers(0, span, n) * 1_000_000).astype("m8[us]")
    busdaycal = cal._busdaycal  # the bare numpy equivalent of the calendar

    def baseline() -> None:
        np.busday_offset(starts.astype("M8[D]"), 5, roll="backward", busdaycal=busdaycal)

    def days() -> None:
        cal.due(starts, "5 working days")

    def hours() -> None:
        cal.due(starts, "16 working hours")

    ratios: list[float] = []
    print(f"due() for {n:,} cases; ratio = gridgov / bare busday_offset (same run)")
    for run in range(1, 4):
        t_base, t_days, t_hours = timed(baseline), timed(days), timed(hours)
        ratio = t_days / t_base
        ratios.append(ratio)
        flag = "ok" if ratio <= TARGET else "MISS"
        print(
            f"run {run}: baseline {t_base:.3f} s, due(5 working days) {t_days:.3f} s "
            f"ratio {ratio:.2f} [{flag}], due(16 working hours) {t_hours:.3f} s "
            f"ratio {t_hours / t_base:.2f}"
        )
    spread = max(ratios) - min(ratios)
    verdict = "ok" if statistics.median(ratios) <= TARGET else "MISS"
    print(
        f"working days: median ratio {statistics.median(ratios):.2f} "
        f"(min {min(ratios):.2f}, max {max(ratios):.2f}, spread {spread:.2f}); "
        f"target ≤ {TARGET} [{verdict}]"
    )


if __name__ == "__main__":
    main()
