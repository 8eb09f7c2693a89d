"""Working-time clocks: statutory holidays, adjusted working weekends, office hours, deadlines.

A :class:`WorkingCalendar` knows, for every day of the years it covers, whether it is a
working day, and the office hours of a working day. :meth:`WorkingCalendar.china` takes
China's statutory holidays *and* the adjusted working weekends (调休) from the maintained
``chinese-calendar`` package (PyPI ``chinesecalendar``, extra ``gridgov[service]``), never
from a hand-typed list; a locality adds its own closed or working days on top.

Every method accepts a scalar or a column and returns the same shape:

* a scalar (:class:`datetime.date`, or a timezone-aware :class:`datetime.datetime`) gives a
  scalar;
* a numpy array gives a numpy array. ``datetime64[D]`` values are dates in the calendar's
  timezone; finer ``datetime64`` values are UTC instants (numpy has no timezone), and
  instants come back as UTC ``datetime64[us]``;
* a polars Series gives a polars Series. ``Date`` values are dates; ``Datetime`` values must
  carry a timezone, and instants come back in the input's timezone.

(Reading and returning these shapes, and the timezone conversions, live in the base class
:class:`gridgov.service._clock_io.ZonedValues`.)

Counting is numpy's ``busday_count``/``is_busday`` with the weekmask ``"1111111"`` and a
holidays array that holds *every* non-working date of the covered years: a weekmask cannot
say "this Saturday is a working day", a complete list of days off can, so adjusted working
weekends are exact. Moving forward (:meth:`~WorkingCalendar.add_working_days`,
:meth:`~WorkingCalendar.due`) indexes the sorted working days by a cumulative count built
once from the same table — exact too, and a gather instead of ``busday_offset``'s search
through the holidays per element (property tests check that the two agree). Working time
maps an instant to the working microseconds elapsed since the calendar's first day (a
cumulative count of working days times the length of a working day, plus the office time
already past on that day); elapsed time is a difference of that map and a working-hours
deadline its inverse, all in array operations.

A date outside the covered years raises :class:`~gridgov.errors.CalendarError`, never a guess.

Examples
--------
>>> import datetime as dt
>>> cal = WorkingCalendar.china()
>>> cal.is_working_day(dt.date(2024, 2, 4))  # a Sunday made a working day (调休)
True
>>> cal.working_days(dt.date(2024, 2, 8), dt.date(2024, 2, 19))  # 8, 9 and Sunday 18 Feb
3
>>> cal.add_working_days(dt.date(2024, 9, 30), 1)  # National Day holiday 1-7 October
datetime.date(2024, 10, 8)
>>> tz = dt.timezone(dt.timedelta(hours=8))
>>> cal.due(dt.datetime(2024, 6, 7, 16, 30, tzinfo=tz), "2 working hours")  # Fri; 10 Jun off
datetime.datetime(2024, 6, 11, 9, 30, tzinfo=zoneinfo.ZoneInfo(key='Asia/Shanghai'))
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Final, overload

import numpy as np

from gridgov.errors import CalendarError, missing_extra
from gridgov.service._clock_io import ZonedValues, _is_series, _pick
from gridgov.service.limits import Limit, LimitUnit
from gridgov.service.pauses import Pauses, merge_intervals

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

__all__ = ["DEFAULT_HOURS", "WorkingCalendar"]

#: Office hours of a working day unless a profile says otherwise: 8:30–12:00 and 13:30–17:30.
DEFAULT_HOURS: Final = (
    (dt.time(8, 30), dt.time(12, 0)),
    (dt.time(13, 30), dt.time(17, 30)),
)
_TIMEZONE: Final = "Asia/Shanghai"  # == gridgov.service.schema.TIMEZONE
_US_PER_HOUR: Final = 3_600_000_000


# ------------------------------------------------------------------------------- the table


@functools.cache
def _china_table() -> tuple[dt.date, np.ndarray]:
    """First covered date and one bool per day: is it a working day in mainland China."""
    try:
        import chinese_calendar
    except ImportError:  # pragma: no cover - the extra is installed in the test env
        raise missing_extra(
            "chinese_calendar", "service", "China's statutory holidays and 调休 days"
        ) from None
    years = [d.year for d in chinese_calendar.holidays]
    first, last = dt.date(min(years), 1, 1), dt.date(max(years), 12, 31)
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    working = np.fromiter((chinese_calendar.is_workday(d) for d in days), bool, len(days))
    return first, working


def _as_day_set(days: Iterable[dt.date], what: str) -> set[dt.date]:
    out: set[dt.date] = set()
    for day in days:
        if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
            raise CalendarError(
                f"{what} days must be datetime.date values, got {day!r} / "
                f"{what} 日期须为 datetime.date，实为 {day!r}"
            )
        out.add(day)
    return out


def _with_local_days(
    first: dt.date, table: np.ndarray, closed: Iterable[dt.date], working: Iterable[dt.date]
) -> np.ndarray:
    """A copy of ``table`` (is each day from ``first`` a working day) with local overrides.

    ``closed`` days become days off and ``working`` days working days; a date in both, or
    outside the days ``table`` covers, raises :class:`~gridgov.errors.CalendarError`.
    """
    closed_set = _as_day_set(closed, "closed")
    working_set = _as_day_set(working, "working")
    both = sorted(closed_set & working_set)
    if both:
        raise CalendarError(
            f"dates both closed and working: {', '.join(map(str, both))} / "
            f"日期既为休息日又为工作日：{', '.join(map(str, both))}"
        )
    last = first + dt.timedelta(days=len(table) - 1)
    outside = sorted(d for d in closed_set | working_set if not first <= d <= last)
    if outside:
        raise CalendarError(
            f"closed or working dates outside the covered range {first}–{last}: "
            f"{', '.join(map(str, outside))} / 休息日或工作日超出日历覆盖范围"
        )
    out = np.array(table, dtype=bool)
    for days, value in ((closed_set, False), (working_set, True)):
        if days:
            out[[(day - first).days for day in days]] = value
    return out


class WorkingCalendar(ZonedValues):
    """Working days and office hours over a covered range of years.

    Parameters
    ----------
    first, last
        The first and last covered dates (inclusive); any date outside raises
        :class:`~gridgov.errors.CalendarError`.
    weekmask
        Seven ``0``/``1`` characters from Monday: the ordinary working week.
    closed, working
        Dates that are not working days although the weekmask says so, and dates that are
        working days although it says not (adjusted working weekends). A date in both is an
        error.
    hours
        Office hours of a working day: sorted, non-overlapping ``(open, close)`` pairs of
        :class:`datetime.time`, default :data:`DEFAULT_HOURS` (8:30–12:00, 13:30–17:30).
    timezone
        IANA name of the timezone the office hours are in (``Asia/Shanghai``).
    name
        A short name shown in ``repr``.

    Examples
    --------
    >>> import datetime as dt
    >>> cal = WorkingCalendar(dt.date(2030, 1, 1), dt.date(2030, 12, 31),
    ...                       closed=[dt.date(2030, 1, 1)], working=[dt.date(2030, 1, 5)])
    >>> cal.working_days(dt.date(2030, 1, 1), dt.date(2030, 1, 8))  # Tue 1 Jan off, Sat 5 on
    5
    >>> cal.covered
    (datetime.date(2030, 1, 1), datetime.date(2030, 12, 31))
    """

    def __init__(
        self,
        first: dt.date,
        last: dt.date,
        *,
        weekmask: str = "1111100",
        closed: Iterable[dt.date] = (),
        working: Iterable[dt.date] = (),
        hours: Sequence[tuple[dt.time, dt.time]] = DEFAULT_HOURS,
        timezone: str = _TIMEZONE,
        name: str = "custom",
    ) -> None:
        if not (isinstance(first, dt.date) and isinstance(last, dt.date)) or last < first:
            raise CalendarError(
                f"covered range must be two dates, first ≤ last, got {first!r}–{last!r} / "
                f"日历覆盖范围须为两个日期且起 ≤ 止"
            )
        if len(weekmask) != 7 or set(weekmask) - {"0", "1"}:
            raise CalendarError(
                f"weekmask must be seven 0/1 characters from Monday, got {weekmask!r} / "
                f"weekmask 须为自周一起的七个 0/1 字符"
            )
        days = np.arange(np.datetime64(first, "D"), np.datetime64(last, "D") + 1)
        weekday = (days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday
        mask = np.array([c == "1" for c in weekmask])
        table = _with_local_days(first, mask[weekday], closed, working)
        self._init_table(first, table, hours=hours, timezone=timezone, name=name)

    @classmethod
    def china(
        cls,
        closed: Iterable[dt.date] = (),
        working: Iterable[dt.date] = (),
        *,
        hours: Sequence[tuple[dt.time, dt.time]] = DEFAULT_HOURS,
        timezone: str = _TIMEZONE,
    ) -> WorkingCalendar:
        """Mainland China's working days: statutory holidays and adjusted working weekends.

        The days come from the ``chinese-calendar`` package (PyPI ``chinesecalendar``,
        ``pip install 'gridgov[service]'``), which transcribes each year's State Council notice
        on holiday arrangements (国务院办公厅关于部分节假日安排的通知) and declares the years
        it covers (2004–2026 in version 1.11); :attr:`covered` says which. A locality's own
        ``closed`` days (e.g. a local festival) and ``working`` days override the national
        ones; a date in both is an error.

        Examples
        --------
        >>> import datetime as dt
        >>> cal = WorkingCalendar.china()
        >>> cal.covered[0]
        datetime.date(2004, 1, 1)
        >>> local = WorkingCalendar.china(closed=[dt.date(2024, 3, 8)])
        >>> cal.is_working_day(dt.date(2024, 3, 8)), local.is_working_day(dt.date(2024, 3, 8))
        (True, False)
        """
        first, national = _china_table()
        table = _with_local_days(first, national, closed, working)
        self = cls.__new__(cls)
        self._init_table(first, table, hours=hours, timezone=timezone, name="china")
        return self

    def _init_table(
        self,
        first: dt.date,
        table: np.ndarray,
        *,
        hours: Sequence[tuple[dt.time, dt.time]],
        timezone: str,
        name: str,
    ) -> None:
        self._name = name
        self._first = np.datetime64(first, "D")
        self._last = self._first + np.timedelta64(len(table) - 1, "D")
        self._working = np.asarray(table, dtype=bool)
        self._working.setflags(write=False)
        days = np.arange(self._first, self._last + 1)
        self._busdaycal = np.busdaycalendar(weekmask="1111111", holidays=days[~self._working])
        # _cum[i]: working days in [first, first + i)
        self._cum = np.concatenate([[0], np.cumsum(self._working, dtype=np.int64)])
        self._workdays = np.flatnonzero(self._working).astype(np.int64)
        self._set_hours(hours)
        self._set_timezone(timezone, self._first.item(), self._last.item())

    def _set_hours(self, hours: Sequence[tuple[dt.time, dt.time]]) -> None:
        def us(t: dt.time) -> int:
            if not isinstance(t, dt.time) or t.tzinfo is not None:
                raise CalendarError(
                    f"office hours must be naive datetime.time values, got {t!r} / "
                    f"办公时间须为不带时区的 datetime.time"
                )
            return ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000 + t.microsecond

        pairs = [(us(a), us(b)) for a, b in hours]
        ok = bool(pairs) and all(a < b for a, b in pairs)
        ok = ok and all(pairs[i][1] <= pairs[i + 1][0] for i in range(len(pairs) - 1))
        if not ok:
            raise CalendarError(
                f"office hours must be sorted, non-overlapping (open, close) pairs with "
                f"open < close, got {list(hours)!r} / 办公时间须为按时间排序、互不重叠的"
                f"（开始，结束）时段"
            )
        self._hours = tuple((a, b) for a, b in hours)
        self._open = np.array([a for a, _ in pairs], dtype=np.int64)
        self._close = np.array([b for _, b in pairs], dtype=np.int64)
        self._dur = self._close - self._open
        self._cumdur = np.cumsum(self._dur)
        self._day_us = int(self._cumdur[-1])

    # ---------------------------------------------------------------------- properties

    @property
    def covered(self) -> tuple[dt.date, dt.date]:
        """First and last dates the calendar answers for (inclusive)."""
        first: dt.date = self._first.item()
        last: dt.date = self._last.item()
        return first, last

    @property
    def hours(self) -> tuple[tuple[dt.time, dt.time], ...]:
        """Office hours of a working day."""
        return self._hours

    @property
    def timezone(self) -> str:
        """IANA name of the timezone office hours are in."""
        return self._tz

    @property
    def working_day_length(self) -> dt.timedelta:
        """Office time of one working day (7 h 30 min by default)."""
        return dt.timedelta(microseconds=self._day_us)

    def __repr__(self) -> str:
        first, last = self.covered
        hours = ", ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in self._hours)
        return f"WorkingCalendar({self._name}, {first}–{last}, hours {hours}, {self._tz})"

    # ---------------------------------------------------------------- covered dates

    def _check_days(self, days: np.ndarray, what: str, *, exclusive_end: bool = False) -> None:
        """Raise for missing values and dates outside the covered range.

        ``exclusive_end`` allows the day after the last covered one (the open end of a
        half-open interval).
        """
        if days.size == 0:
            return
        flat = days.ravel()
        ints = flat.view(np.int64)  # NaT is the smallest int64, so it fails the range check
        first, last = self._first.astype(np.int64), self._last.astype(np.int64) + exclusive_end
        if ints.min() >= first and ints.max() <= last:
            return
        if np.isnat(flat).any():
            rows = np.flatnonzero(np.isnat(flat))[:5].tolist()
            raise CalendarError(
                f"{what}: missing dates at positions {rows} / {what}：第 {rows} 项缺少日期"
            )
        bad = flat[np.flatnonzero((ints < first) | (ints > last))[0]]
        lo, hi = self.covered
        raise CalendarError(
            f"{what}: {bad} is outside the years the calendar covers "
            f"({lo.year}–{hi.year}); update the calendar package or give a calendar "
            f"that covers it / {what}：{bad} 超出日历覆盖的年份（{lo.year}–{hi.year}）"
        )

    # --------------------------------------------------------------------- working days

    @overload
    def is_working_day(self, date: dt.date) -> bool: ...
    @overload
    def is_working_day(self, date: pl.Series) -> pl.Series: ...
    @overload
    def is_working_day(self, date: np.ndarray) -> np.ndarray: ...
    def is_working_day(self, date: Any) -> Any:
        """Whether each date is a working day.

        Examples
        --------
        >>> import datetime as dt, numpy as np
        >>> cal = WorkingCalendar.china()
        >>> cal.is_working_day(np.array(["2025-01-26", "2025-01-28"], dtype="M8[D]"))
        array([ True, False])
        """
        days, kind, name = self._dates(date, "date")
        self._check_days(days, "date")
        return self._out(np.is_busday(days, busdaycal=self._busdaycal), kind, name)

    @overload
    def working_days(self, start: dt.date, end: dt.date) -> int: ...
    @overload
    def working_days(self, start: pl.Series | dt.date, end: pl.Series) -> pl.Series: ...
    @overload
    def working_days(self, start: pl.Series, end: pl.Series | dt.date) -> pl.Series: ...
    @overload
    def working_days(self, start: Any, end: Any) -> Any: ...
    def working_days(self, start: Any, end: Any) -> Any:
        """Working days in the half-open ``[start, end)`` (negative when ``end < start``).

        Examples
        --------
        >>> import datetime as dt
        >>> cal = WorkingCalendar.china()
        >>> cal.working_days(dt.date(2024, 9, 30), dt.date(2024, 10, 14))  # 12 Oct (Sat) works
        6
        """
        s, skind, sname = self._dates(start, "start")
        e, ekind, ename = self._dates(end, "end")
        self._check_days(s, "start")
        self._check_days(e, "end", exclusive_end=True)
        counts = np.busday_count(s, e, busdaycal=self._busdaycal).astype(np.int64)
        kind, name = _pick((skind, sname), (ekind, ename))
        return self._out(np.asarray(counts), kind, name)

    @overload
    def add_working_days(self, date: dt.date, n: int) -> dt.date: ...
    @overload
    def add_working_days(self, date: pl.Series, n: int | np.ndarray) -> pl.Series: ...
    @overload
    def add_working_days(self, date: Any, n: Any) -> Any: ...
    def add_working_days(self, date: Any, n: Any) -> Any:
        """The ``n``-th working day strictly after each date (``n ≥ 1``).

        ``working_days(date + 1 day, result + 1 day) == n``: the two are inverse.

        Examples
        --------
        >>> import datetime as dt
        >>> cal = WorkingCalendar.china()
        >>> cal.add_working_days(dt.date(2025, 1, 24), 1)  # Fri; Sun 26 Jan is a working day
        datetime.date(2025, 1, 26)
        """
        days, kind, name = self._dates(date, "date")
        self._check_days(days, "date")
        steps = np.asarray(n)
        if steps.dtype.kind not in "iu" or (steps.size and steps.min() < 1):
            raise CalendarError(f"n must be whole numbers ≥ 1, got {n!r} / n 须为不小于 1 的整数")
        return self._out(self._offset(days, steps), kind, name)

    def _offset(self, days: np.ndarray, steps: np.ndarray | int) -> np.ndarray:
        """The ``steps``-th working day strictly after each (checked) day."""
        # _cum[i + 1] working days up to and including day i; the next ones follow in order
        k = self._cum[(days - self._first).astype(np.int64) + 1] + (np.asarray(steps) - 1)
        if k.size and k.max() >= self._workdays.size:
            first, last = self.covered
            raise CalendarError(
                f"a result falls outside the years the calendar covers "
                f"({first.year}–{last.year}) / 结果超出日历覆盖的年份（{first.year}–{last.year}）"
            )
        result: np.ndarray = self._first + self._workdays[k].astype("m8[D]")
        return result

    # --------------------------------------------------------------------- working time

    def _elapsed_us(self, local: np.ndarray, what: str) -> np.ndarray:
        """Working microseconds from the first covered day to each local wall-clock instant."""
        days = local.astype("M8[D]")
        self._check_days(days, what)
        index = (days - self._first).astype(np.int64)
        tod = (local - days).astype(np.int64)
        within = np.zeros(tod.shape, dtype=np.int64)
        for start, length in zip(self._open, self._dur, strict=True):
            within += np.clip(tod - start, 0, length)
        return self._cum[index] * self._day_us + np.where(self._working[index], within, 0)

    def _from_elapsed(self, target: np.ndarray) -> np.ndarray:
        """The earliest local instant at which ``target`` working microseconds have passed."""
        k, rem = np.divmod(target, self._day_us)
        at_close = rem == 0  # the end of the previous working day, not the next opening
        k = k - at_close
        rem = np.where(at_close, self._day_us, rem)
        if k.size and (k.min() < 0 or k.max() >= self._workdays.size):
            first, last = self.covered
            raise CalendarError(
                f"a deadline falls outside the years the calendar covers "
                f"({first.year}–{last.year}) / 期限超出日历覆盖的年份（{first.year}–{last.year}）"
            )
        day = self._first + self._workdays[k].astype("m8[D]")
        j = np.searchsorted(self._cumdur, rem, side="left")
        tod = self._open[j] + rem - (self._cumdur[j] - self._dur[j])
        result: np.ndarray = day.astype("M8[us]") + tod.astype("m8[us]")
        return result

    def working_hours(self, start: Any, end: Any, *, pauses: Any = None) -> Any:
        """Working time between two instants (office hours of working days), minus pauses.

        Parameters
        ----------
        start, end
            Timezone-aware datetimes, or columns of them (see the module notes).
        pauses
            Intervals that stop the clock (延期, 挂账). For scalar ``start``/``end``: an
            iterable of ``(pause_start, pause_end)`` pairs. For columns: a :class:`Pauses`
            whose ``row`` gives each pause's position in ``start``/``end``. Only the part of
            a pause inside ``[start, end]`` counts, overlapping pauses once; so a pause never
            increases elapsed time and never removes more than its own working time.

        Returns
        -------
        datetime.timedelta, numpy ``timedelta64[us]`` array or polars ``Duration`` Series
            Negative when ``end < start`` (time still to go); with pauses ``end < start`` is
            an error.

        Examples
        --------
        >>> import datetime as dt
        >>> cal = WorkingCalendar.china()
        >>> tz = dt.timezone(dt.timedelta(hours=8))
        >>> fri = dt.datetime(2024, 5, 10, 16, 0, tzinfo=tz)  # the 5-day Labour Day break...
        >>> cal.working_hours(fri, dt.datetime(2024, 5, 11, 9, 0, tzinfo=tz))  # ...Sat 11 works
        datetime.timedelta(seconds=7200)
        >>> mon = dt.datetime(2024, 5, 13, 10, 0, tzinfo=tz)
        >>> pause = (dt.datetime(2024, 5, 11, tzinfo=tz), dt.datetime(2024, 5, 13, tzinfo=tz))
        >>> cal.working_hours(fri, mon) - cal.working_hours(fri, mon, pauses=[pause])
        datetime.timedelta(seconds=27000)
        """
        s, skind, stz, sname = self._instants(start, "start")
        e, ekind, _, ename = self._instants(end, "end")
        s, e = np.broadcast_arrays(s, e)
        elapsed = self._elapsed_us(e, "end") - self._elapsed_us(s, "start")
        if pauses is not None:
            elapsed = elapsed - self._paused_us(s, e, pauses, scalar=skind == ekind == "scalar")
        kind, name = _pick((skind, sname), (ekind, ename))
        del stz
        return self._out(np.asarray(elapsed).astype("m8[us]"), kind, name)

    def _pause_rows(
        self, pauses: Any, size: int, *, scalar: bool
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Pauses as (row, start, end): row positions and local wall-clock instants."""
        if isinstance(pauses, Pauses):
            row = np.asarray(pauses.row, dtype=np.int64).ravel()
            ps = self._instants(pauses.start, "pause start")[0].ravel()
            pe = self._instants(pauses.end, "pause end")[0].ravel()
        elif scalar:
            pairs = list(pauses)
            row = np.zeros(len(pairs), dtype=np.int64)
            ps = np.array([self._instants(a, "pause start")[0] for a, _ in pairs], "M8[us]")
            pe = np.array([self._instants(b, "pause end")[0] for _, b in pairs], "M8[us]")
        else:
            raise CalendarError(
                "pauses for columns must be a Pauses(row, start, end) / 列数据的暂停须为 Pauses"
            )
        if not (row.size == ps.size == pe.size):
            raise CalendarError("Pauses: row, start and end differ in length / 长度不一致")
        if row.size and (row.min() < 0 or row.max() >= size):
            raise CalendarError(f"Pauses.row must index the {size} cases / Pauses.row 超出案件范围")
        if (pe < ps).any():
            raise CalendarError("a pause ends before it starts / 暂停的结束早于开始")
        return row, ps, pe

    def _paused_us(self, s: np.ndarray, e: np.ndarray, pauses: Any, *, scalar: bool) -> np.ndarray:
        """Working microseconds of the union of each row's pauses inside [start, end]."""
        flat_s, flat_e = s.ravel(), e.ravel()
        row, ps, pe = self._pause_rows(pauses, flat_s.size, scalar=scalar)
        if (flat_e < flat_s).any():
            raise CalendarError("with pauses, a case must end after it starts / 案件结束早于开始")
        lo, hi = flat_s[row], flat_e[row]
        a = self._elapsed_us(np.clip(ps, lo, hi), "pause start")
        b = self._elapsed_us(np.clip(pe, lo, hi), "pause end")
        row, a, b = merge_intervals(row, a, b)
        return (
            np.bincount(row, weights=b - a, minlength=flat_s.size).astype(np.int64).reshape(s.shape)
        )

    def due(
        self,
        start: Any,
        limit: Limit | str | Sequence[Limit | str] | np.ndarray | pl.Series,
        *,
        pauses: Any = None,
    ) -> Any:
        """The deadline of a case that starts at ``start`` with a time ``limit``.

        * working days: the close of office hours on the ``n``-th working day after the
          start's date (the day of receipt is not counted, 次日起算);
        * working hours: the earliest instant at which ``n`` hours of office time have
          passed since ``start`` (a start outside office hours begins at the next opening);
        * hours, days: ``start`` plus so many calendar hours or 24-hour days.

        ``limit`` is one :class:`Limit` (or its text) for every start, or a column of them
        the same length as ``start`` (limits differ by case kind and urgency); each distinct
        limit is computed once over the rows that have it. Scalars give a datetime in the
        calendar's timezone; columns as described in the module notes.

        ``pauses`` (as for :meth:`working_hours`) stop the clock: the deadline moves later by
        the working time (calendar time, for limits in hours or days) of every pause that
        starts before it, overlapping pauses once. So ``working_hours(start, due(start,
        limit, pauses=p), pauses=p)`` is the limit for working-hour limits, and a pause
        never brings a deadline forward.

        Examples
        --------
        >>> import datetime as dt
        >>> cal = WorkingCalendar.china()
        >>> tz = dt.timezone(dt.timedelta(hours=8))
        >>> eve = dt.datetime(2025, 1, 27, 10, 0, tzinfo=tz)  # Mon before Spring Festival
        >>> cal.due(eve, "4个工作日")  # 28 Jan–4 Feb off; Sat 8 Feb works
        datetime.datetime(2025, 2, 8, 17, 30, tzinfo=zoneinfo.ZoneInfo(key='Asia/Shanghai'))
        >>> cal.due(eve, "24小时")
        datetime.datetime(2025, 1, 28, 10, 0, tzinfo=zoneinfo.ZoneInfo(key='Asia/Shanghai'))
        >>> import polars as pl
        >>> starts = pl.Series("t", [eve, eve], dtype=pl.Datetime("us", "Asia/Shanghai"))
        >>> out = cal.due(starts, pl.Series(["2 working hours", "1个工作日"]))
        >>> out.dt.strftime("%m-%d %H:%M").to_list()
        ['01-27 12:00', '02-05 17:30']
        """
        local, kind, tz, name = self._instants(start, "start")
        if isinstance(limit, str | Limit):
            parsed = Limit.parse(limit)
            calendar = parsed.unit in (LimitUnit.HOURS, LimitUnit.DAYS)
            if kind == "scalar" and calendar and pauses is None:
                assert isinstance(start, dt.datetime)
                moved = start.astimezone(dt.UTC) + _calendar_span(parsed)
                return moved.astimezone(self._zone)
            result = self._due_local(local, parsed)
            working = np.full(local.shape, not calendar)
        else:
            result, working = self._due_each(local, limit)
        if pauses is not None:
            result = self._extend(local, result, working, pauses, scalar=kind == "scalar")
        return self._out_instants(result, kind, tz, name)

    def _extend(
        self, local: np.ndarray, due: np.ndarray, working: np.ndarray, pauses: Any, *, scalar: bool
    ) -> np.ndarray:
        """Move each deadline later by the pauses that start before it (see :meth:`due`)."""
        flat_s, flat_due, flat_w = local.ravel(), due.ravel().copy(), working.ravel()
        row, ps, pe = self._pause_rows(pauses, flat_s.size, scalar=scalar)
        for in_working_time in (True, False):
            cases = flat_w == in_working_time
            keep = cases[row]
            if not cases.any() or not keep.any():
                continue
            if in_working_time:
                to_axis: Any = functools.partial(self._elapsed_us, what="pause")
            else:
                to_axis = lambda x: self._local_to_utc(x).view(np.int64)  # noqa: E731
            start = np.zeros(flat_s.size, dtype=np.int64)
            target = np.zeros(flat_s.size, dtype=np.int64)
            start[cases] = to_axis(flat_s[cases])
            target[cases] = to_axis(flat_due[cases])
            r = row[keep]
            a = np.maximum(to_axis(ps[keep]), start[r])
            b = np.maximum(to_axis(pe[keep]), start[r])
            r, a, b = merge_intervals(r, a, b)
            # merged pauses, in order: each that starts before the deadline moved so far moves
            # it by its length; a - (length of earlier pauses) never decreases, so the pauses
            # that count are a prefix and one comparison per pause finds them
            length = b - a
            ends = np.cumsum(length)
            first = np.r_[True, r[1:] != r[:-1]]
            before = ends - length
            before -= np.maximum.accumulate(np.where(first, before, 0))
            counts = a - before < target[r]
            shift = np.bincount(r, weights=np.where(counts, length, 0), minlength=flat_s.size)
            moved = target + shift.astype(np.int64)
            if in_working_time:
                flat_due[cases] = self._from_elapsed(moved[cases])
            else:
                flat_due[cases] = self._utc_to_local(moved[cases].view("M8[us]"))
        return flat_due.reshape(due.shape)

    def _due_local(self, local: np.ndarray, limit: Limit) -> np.ndarray:
        """Deadlines as local wall-clock instants for local wall-clock starts."""
        if limit.unit is LimitUnit.WORKING_DAYS:
            days = local.astype("M8[D]")
            self._check_days(days, "start")
            end = self._offset(days, limit.amount)
            result: np.ndarray = end.astype("M8[us]") + np.timedelta64(int(self._close[-1]), "us")
            return result
        if limit.unit is LimitUnit.WORKING_HOURS:
            target = self._elapsed_us(local, "start") + limit.amount * _US_PER_HOUR
            return self._from_elapsed(target)
        self._check_days(local.astype("M8[D]"), "start")
        utc = self._local_to_utc(local) + np.timedelta64(_calendar_span(limit))
        return self._utc_to_local(utc)

    def _due_each(self, local: np.ndarray, limits: Any) -> tuple[np.ndarray, np.ndarray]:
        """Deadlines for a column of limits, one pass per distinct limit; working-time rows."""
        import polars as pl

        if _is_series(limits):
            texts = limits.cast(pl.String)
        else:
            values = np.asarray(limits, dtype=object).ravel()
            texts = pl.Series(
                [str(v) if isinstance(v, Limit) else v for v in values], dtype=pl.String
            )
        if texts.len() != local.size:
            raise CalendarError(
                f"{texts.len()} limits for {local.size} starts / 时限个数与起始时间个数不一致"
            )
        if texts.null_count():
            rows = np.flatnonzero(texts.is_null().to_numpy())[:5].tolist()
            raise CalendarError(f"limits missing at positions {rows} / 第 {rows} 项缺少时限")
        codes = (texts.rank("dense") - 1).cast(pl.Int64).to_numpy()
        flat = local.ravel()
        result = np.empty(flat.shape, dtype="M8[us]")
        working = np.zeros(flat.shape, dtype=bool)
        for code, text in enumerate(texts.unique().sort().to_list()):
            rows = np.flatnonzero(codes == code)
            limit = Limit.parse(text)
            result[rows] = self._due_local(flat[rows], limit)
            working[rows] = limit.unit in (LimitUnit.WORKING_DAYS, LimitUnit.WORKING_HOURS)
        return result.reshape(local.shape), working.reshape(local.shape)


def _calendar_span(limit: Limit) -> dt.timedelta:
    return dt.timedelta(hours=limit.amount * (24 if limit.unit is LimitUnit.DAYS else 1))
