"""Pauses: intervals during which a case's clock stands still (延期, 挂账).

A case paused for an extension (延期) or put on hold (挂账) does not use its time limit while
paused. :class:`Pauses` carries many cases' pauses as three columns; the clock
(:meth:`WorkingCalendar.working_hours <gridgov.service.clock.WorkingCalendar.working_hours>`,
:meth:`WorkingCalendar.due <gridgov.service.clock.WorkingCalendar.due>`) subtracts or adds
their union per case, so overlapping pauses count once.

Examples
--------
>>> import numpy as np
>>> row, a, b = merge_intervals(np.array([0, 0, 1]), np.array([5, 1, 2]), np.array([9, 6, 3]))
>>> row.tolist(), a.tolist(), b.tolist()
([0, 1], [1, 2], [9, 3])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Pauses", "merge_intervals"]


@dataclass(frozen=True, slots=True)
class Pauses:
    """Intervals during which a clock stands still (延期, 挂账), for many cases at once.

    ``row[i]`` is the position, in the ``start`` (and ``end``) columns given to
    :meth:`WorkingCalendar.working_hours` or :meth:`WorkingCalendar.due`, of the case that
    ``start[i]``–``end[i]`` pauses.
    Pauses may overlap and may reach outside the case's interval; only the part inside counts,
    once. ``start`` and ``end`` take the same kinds of values as the clock's instants.
    """

    row: Any
    start: Any
    end: Any


def merge_intervals(
    row: np.ndarray, a: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Union of each row's intervals ``[a, b]``: disjoint, sorted by row then start."""
    if row.size == 0:
        return row, a, b
    order = np.lexsort((a, row))
    row, a, b = row[order], a[order], b[order]
    first = np.r_[True, row[1:] != row[:-1]]
    # the furthest end reached by the earlier intervals of the same row
    shifted = np.r_[np.iinfo(np.int64).min, b[:-1]]
    reach = np.where(first, np.iinfo(np.int64).min, shifted)
    group = np.cumsum(first)  # restart the running maximum at each row
    reach = _grouped_cummax(reach, group)
    new = first | (a > reach)
    starts = np.flatnonzero(new)
    ends = np.maximum.reduceat(b, starts)
    return row[starts], a[starts], ends


def _grouped_cummax(values: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Running maximum of ``values`` that restarts where ``group`` changes (sorted groups)."""
    import polars as pl

    frame = pl.DataFrame({"g": group, "v": values})
    return frame.select(pl.col("v").cum_max().over("g"))["v"].to_numpy()
