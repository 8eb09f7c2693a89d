"""Working-time clocks: known answers from the State Council notices, and invariants.

Sources of the known answers (quoted beside each date below):

* 2024: 国务院办公厅关于2024年部分节假日安排的通知（国办发明电〔2023〕7号, 2023-10-25;
  人民日报 2023-10-26 第 06 版).
* 2025: 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号, 2024-11-12),
  after the November 2024 revision of 《全国年节及纪念日放假办法》 that added 除夕 and 5月2日.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gridgov.errors import CalendarError, GridgovError
from gridgov.service import Limit, LimitUnit, Pauses, WorkingCalendar

CAL = WorkingCalendar.china()
SH = dt.timezone(dt.timedelta(hours=8))  # Asia/Shanghai has had no daylight saving since 1991
D = dt.date

# (date, is it a working day, the words of the notice that say so)
KNOWN_DAYS = [
    # 2024 — 国办发明电〔2023〕7号
    (D(2024, 1, 1), False, "一、元旦：1月1日放假，与周末连休。"),
    (D(2024, 2, 4), True, "二、春节：…2月4日（星期日）、2月18日（星期日）上班。"),
    (D(2024, 2, 9), True, "鼓励各单位…安排职工在除夕（2月9日）休息 — encouraged, not a holiday"),
    (D(2024, 2, 10), False, "二、春节：2月10日至17日放假调休，共8天。"),
    (D(2024, 2, 16), False, "二、春节：2月10日至17日放假调休，共8天。 (a Friday)"),
    (D(2024, 2, 18), True, "二、春节：…2月4日（星期日）、2月18日（星期日）上班。"),
    (D(2024, 4, 5), False, "三、清明节：4月4日至6日放假调休，共3天。 (a Friday)"),
    (D(2024, 4, 7), True, "三、清明节：…4月7日（星期日）上班。"),
    (D(2024, 4, 28), True, "四、劳动节：…4月28日（星期日）、5月11日（星期六）上班。"),
    (D(2024, 5, 3), False, "四、劳动节：5月1日至5日放假调休，共5天。 (a Friday)"),
    (D(2024, 5, 11), True, "四、劳动节：…4月28日（星期日）、5月11日（星期六）上班。"),
    (D(2024, 6, 10), False, "五、端午节：6月10日放假，与周末连休。 (a Monday)"),
    (D(2024, 9, 14), True, "六、中秋节：…9月14日（星期六）上班。"),
    (D(2024, 9, 16), False, "六、中秋节：9月15日至17日放假调休，共3天。 (a Monday)"),
    (D(2024, 9, 29), True, "七、国庆节：…9月29日（星期日）、10月12日（星期六）上班。"),
    (D(2024, 10, 7), False, "七、国庆节：10月1日至7日放假调休，共7天。 (a Monday)"),
    (D(2024, 10, 12), True, "七、国庆节：…9月29日（星期日）、10月12日（星期六）上班。"),
    # 2025 — 国办发明电〔2024〕12号
    (D(2025, 1, 1), False, "一、元旦：1月1日（周三）放假1天，不调休。"),
    (D(2025, 1, 26), True, "二、春节：…1月26日（周日）、2月8日（周六）上班。"),
    (D(2025, 1, 28), False, "二、春节：1月28日（农历除夕、周二）至2月4日…放假调休，共8天。"),
    (D(2025, 2, 4), False, "二、春节：…至2月4日（农历正月初七、周二）放假调休，共8天。"),
    (D(2025, 2, 8), True, "二、春节：…1月26日（周日）、2月8日（周六）上班。"),
    (D(2025, 4, 4), False, "三、清明节：4月4日（周五）至6日（周日）放假，共3天。"),
    (D(2025, 4, 27), True, "四、劳动节：…4月27日（周日）上班。"),
    (D(2025, 5, 2), False, "四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。"),
    (D(2025, 5, 5), False, "四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。"),
    (D(2025, 6, 2), False, "五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。"),
    (D(2025, 9, 28), True, "六、国庆节、中秋节：…9月28日（周日）、10月11日（周六）上班。"),
    (D(2025, 10, 8), False, "六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。"),
    (D(2025, 10, 11), True, "六、国庆节、中秋节：…9月28日（周日）、10月11日（周六）上班。"),
]


@pytest.mark.parametrize(("day", "working", "notice"), KNOWN_DAYS)
def test_known_days_follow_the_notices(day: dt.date, working: bool, notice: str) -> None:
    assert CAL.is_working_day(day) is working, notice


def test_known_days_vectorised_agree() -> None:
    days = np.array([d for d, _, _ in KNOWN_DAYS], dtype="M8[D]")
    expected = np.array([w for _, w, _ in KNOWN_DAYS])
    assert (CAL.is_working_day(days) == expected).all()
    series = pl.Series("day", [d for d, _, _ in KNOWN_DAYS])
    out = CAL.is_working_day(series)
    assert out.name == "day"
    assert out.to_list() == expected.tolist()


def test_working_days_across_spring_festival_2024() -> None:
    # 春节：2月10日至17日放假调休 … 2月4日（星期日）、2月18日（星期日）上班。
    # 4 Feb (Sun) … 18 Feb (Sun), half-open: Sun 4, Mon 5–Fri 9 (5), then 18 is excluded
    assert CAL.working_days(D(2024, 2, 4), D(2024, 2, 18)) == 6
    assert CAL.working_days(D(2024, 2, 4), D(2024, 2, 19)) == 7  # + Sun 18 Feb
    # the whole of February 2024: 21 weekdays − 5 weekdays off (12–16 Feb) + 2 Sundays = 18
    assert CAL.working_days(D(2024, 2, 1), D(2024, 3, 1)) == 18
    assert CAL.working_days(D(2024, 2, 19), D(2024, 2, 4)) == -7


def test_working_days_across_national_day_2025() -> None:
    # 国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日
    # （周六）上班。 Sun 28 Sep, Mon 29, Tue 30, then Thu 9, Fri 10, Sat 11 Oct
    assert CAL.working_days(D(2025, 9, 28), D(2025, 10, 12)) == 6
    # October 2025: 23 weekdays − 6 weekdays off (1–3, 6–8 Oct) + Sat 11 Oct = 18
    assert CAL.working_days(D(2025, 10, 1), D(2025, 11, 1)) == 18


@pytest.mark.parametrize(
    ("start", "n", "expected", "notice"),
    [
        # 2024 劳动节：5月1日至5日放假调休 … 4月28日（星期日）、5月11日（星期六）上班。
        (D(2024, 4, 26), 1, D(2024, 4, 28), "4月28日（星期日）…上班"),
        (D(2024, 4, 28), 3, D(2024, 5, 6), "5月1日至5日放假调休"),  # 29, 30 Apr, 6 May
        (D(2024, 5, 10), 1, D(2024, 5, 11), "5月11日（星期六）上班"),
        # 2024 国庆节：10月1日至7日放假调休 … 9月29日（星期日）、10月12日（星期六）上班。
        (D(2024, 9, 30), 1, D(2024, 10, 8), "10月1日至7日放假调休"),
        (D(2024, 10, 3), 5, D(2024, 10, 12), "10月12日（星期六）上班"),
        # 2025 春节：1月28日…至2月4日…放假调休，共8天。1月26日（周日）、2月8日（周六）上班。
        (D(2025, 1, 27), 1, D(2025, 2, 5), "1月28日至2月4日放假调休"),
        (D(2025, 1, 30), 4, D(2025, 2, 8), "2月8日（周六）上班"),
        # 2025 端午节：5月31日（周六）至6月2日（周一）放假，共3天。
        (D(2025, 5, 30), 1, D(2025, 6, 3), "5月31日至6月2日放假"),
        # across the new year: 2025 元旦 1月1日（周三）放假1天，不调休; 2024-12-31 is a Tuesday
        (D(2024, 12, 31), 1, D(2025, 1, 2), "1月1日（周三）放假1天"),
    ],
)
def test_add_working_days_known(start: dt.date, n: int, expected: dt.date, notice: str) -> None:
    assert CAL.add_working_days(start, n) == expected, notice


def test_working_hours_across_a_working_saturday() -> None:
    # 2024 劳动节：…5月11日（星期六）上班。 Fri 10 May 16:00 → Sat 11 May 09:00:
    # 1 h 30 min on Friday (to 17:30) + 30 min on Saturday (from 08:30)
    fri = dt.datetime(2024, 5, 10, 16, 0, tzinfo=SH)
    assert CAL.working_hours(fri, dt.datetime(2024, 5, 11, 9, 0, tzinfo=SH)) == dt.timedelta(
        hours=2
    )
    # the lunch break 12:00–13:30 does not count
    day = dt.datetime(2024, 5, 13, 11, 0, tzinfo=SH)
    assert CAL.working_hours(day, day.replace(hour=14)) == dt.timedelta(hours=1, minutes=30)
    # a whole holiday counts nothing: 2024 国庆节 10月1日至7日放假调休
    assert CAL.working_hours(
        dt.datetime(2024, 10, 1, tzinfo=SH), dt.datetime(2024, 10, 8, tzinfo=SH)
    ) == dt.timedelta(0)


def test_working_hours_in_another_timezone() -> None:
    # 08:00 UTC = 16:00 in Shanghai; same interval as above, given in UTC
    utc = dt.UTC
    start = dt.datetime(2024, 5, 10, 8, 0, tzinfo=utc)
    end = dt.datetime(2024, 5, 11, 1, 0, tzinfo=utc)
    assert CAL.working_hours(start, end) == dt.timedelta(hours=2)


def test_due_known_answers() -> None:
    # 2025 春节 1月28日至2月4日放假调休, 2月8日（周六）上班: from Mon 27 Jan, 5 working days
    # are 5, 6, 7, 8 (Sat) and 10 Feb; the deadline is the close of office hours that day.
    start = dt.datetime(2025, 1, 27, 10, 0, tzinfo=SH)
    assert CAL.due(start, "5个工作日") == dt.datetime(2025, 2, 10, 17, 30, tzinfo=SH)
    assert CAL.due(start, Limit(5, LimitUnit.WORKING_DAYS)) == CAL.due(start, "5 working days")
    # 4 working hours from Mon 27 Jan 16:00: 1.5 h that day, then 2.5 h from 08:30 on 5 Feb
    assert CAL.due(start.replace(hour=16), "4 working hours") == dt.datetime(
        2025, 2, 5, 11, 0, tzinfo=SH
    )
    # exactly a morning: the deadline is 12:00, not 13:30
    morning = dt.datetime(2025, 2, 5, 8, 30, tzinfo=SH)
    assert CAL.due(morning, Limit(3, LimitUnit.WORKING_HOURS)).hour == 11
    assert CAL.due(morning.replace(hour=9, minute=0), "3 working hours") == dt.datetime(
        2025, 2, 5, 12, 0, tzinfo=SH
    )
    # calendar hours ignore holidays
    assert CAL.due(start, "24小时") == start + dt.timedelta(hours=24)
    assert CAL.due(start, "3天") == start + dt.timedelta(days=3)


def test_pauses_stop_the_clock() -> None:
    fri = dt.datetime(2024, 5, 10, 16, 0, tzinfo=SH)
    mon = dt.datetime(2024, 5, 13, 10, 0, tzinfo=SH)
    full = CAL.working_hours(fri, mon)  # 1.5 + 7.5 (Sat 11 May works) + 1.5 hours
    assert full == dt.timedelta(hours=10, minutes=30)
    saturday = (dt.datetime(2024, 5, 11, tzinfo=SH), dt.datetime(2024, 5, 12, tzinfo=SH))
    # the same pause twice, and one overlapping it, count once
    overlapping = (dt.datetime(2024, 5, 11, 10, tzinfo=SH), dt.datetime(2024, 5, 12, tzinfo=SH))
    paused = CAL.working_hours(fri, mon, pauses=[saturday, saturday, overlapping])
    assert paused == dt.timedelta(hours=3)
    # a pause reaching outside the case counts only inside it
    wide = (dt.datetime(2024, 5, 1, tzinfo=SH), dt.datetime(2024, 6, 1, tzinfo=SH))
    assert CAL.working_hours(fri, mon, pauses=[wide]) == dt.timedelta(0)


def test_pauses_vectorised() -> None:
    starts = np.array(["2024-05-10T08:00", "2024-05-13T00:30"], dtype="M8[us]")  # UTC
    ends = np.array(["2024-05-13T02:00", "2024-05-14T00:30"], dtype="M8[us]")
    pauses = Pauses(
        row=np.array([0, 0, 1]),
        start=np.array(["2024-05-10T16:00", "2024-05-10T18:00", "2024-05-13T05:00"], "M8[us]"),
        end=np.array(["2024-05-12T16:00", "2024-05-11T12:00", "2024-05-13T06:00"], "M8[us]"),
    )
    out = CAL.working_hours(starts, ends, pauses=pauses)
    scalar = [
        CAL.working_hours(
            _aware(starts[i]),
            _aware(ends[i]),
            pauses=[
                (_aware(pauses.start[j]), _aware(pauses.end[j]))
                for j in range(3)
                if pauses.row[j] == i
            ],
        )
        for i in range(2)
    ]
    assert out.dtype == np.dtype("m8[us]")
    assert [x.item() for x in out] == scalar


def test_columns_keep_their_shape_and_names() -> None:
    days = pl.Series("opened", [D(2024, 2, 8), D(2025, 1, 27)])
    out = CAL.add_working_days(days, 1)
    assert out.name == "opened"
    assert out.dtype == pl.Date
    assert out.to_list() == [D(2024, 2, 9), D(2025, 2, 5)]
    stamps = pl.Series(
        "timestamp",
        [dt.datetime(2024, 2, 8, 16, 0), dt.datetime(2025, 1, 27, 10, 0)],
        dtype=pl.Datetime("us", "Asia/Shanghai"),
    )
    due = CAL.due(stamps, "2 working hours")
    assert due.dtype == pl.Datetime("us", "Asia/Shanghai")
    assert due.to_list() == [CAL.due(s.astimezone(SH), "2 working hours") for s in stamps.to_list()]
    grid = np.array([["2024-02-08", "2024-02-09"], ["2024-02-10", "2024-02-18"]], "M8[D]")
    assert CAL.is_working_day(grid).shape == (2, 2)
    assert CAL.working_days(grid, D(2024, 3, 1)).shape == (2, 2)


def test_outside_the_covered_years_raises() -> None:
    first, last = CAL.covered
    assert first == D(first.year, 1, 1)
    assert last == D(last.year, 12, 31)
    after = D(last.year + 1, 1, 4)
    with pytest.raises(CalendarError, match=f"outside the years.*{first.year}–{last.year}"):
        CAL.is_working_day(after)
    with pytest.raises(CalendarError, match="超出日历覆盖"):
        CAL.working_days(D(first.year - 1, 6, 1), D(2024, 1, 1))
    with pytest.raises(CalendarError, match="outside the years"):
        CAL.add_working_days(D(last.year, 12, 30), 10)
    with pytest.raises(GridgovError):
        CAL.due(dt.datetime(last.year, 12, 31, 12, tzinfo=SH), "8 working hours")


def test_bad_arguments_raise_calendar_errors() -> None:
    with pytest.raises(CalendarError, match="no timezone"):
        CAL.due(dt.datetime(2024, 1, 2, 9, 0), "2 hours")
    with pytest.raises(CalendarError, match="whole numbers"):
        CAL.add_working_days(D(2024, 1, 2), 0)
    with pytest.raises(CalendarError, match="without a timezone"):
        CAL.due(pl.Series([dt.datetime(2024, 1, 2, 9)]), "2 hours")
    with pytest.raises(CalendarError, match="missing dates"):
        CAL.is_working_day(np.array(["2024-01-02", "NaT"], dtype="M8[D]"))
    with pytest.raises(CalendarError, match="both closed and working"):
        WorkingCalendar.china(closed=[D(2024, 3, 8)], working=[D(2024, 3, 8)])
    with pytest.raises(CalendarError, match="office hours"):
        WorkingCalendar.china(hours=[(dt.time(13, 0), dt.time(12, 0))])
    with pytest.raises(CalendarError, match="unknown timezone"):
        WorkingCalendar.china(timezone="Mars/Olympus")


def test_locality_days_override_the_national_ones() -> None:
    # a local festival on a Friday, and a locality that works on the 2024-10-07 holiday
    local = WorkingCalendar.china(closed=[D(2024, 3, 8)], working=[D(2024, 10, 7)])
    assert not local.is_working_day(D(2024, 3, 8))
    assert local.is_working_day(D(2024, 10, 7))
    assert CAL.is_working_day(D(2024, 3, 8))


def test_office_hours_are_a_parameter() -> None:
    cal = WorkingCalendar.china(hours=[(dt.time(9), dt.time(17))])
    assert cal.working_day_length == dt.timedelta(hours=8)
    day = dt.datetime(2024, 5, 13, 9, tzinfo=SH)
    assert cal.working_hours(day, day.replace(hour=17)) == dt.timedelta(hours=8)
    assert cal.due(day, "8 working hours") == day.replace(hour=17)


# ----------------------------------------------------------------------------- properties

FIRST, LAST = CAL.covered
dates = st.dates(min_value=FIRST, max_value=LAST - dt.timedelta(days=120))
steps = st.integers(min_value=1, max_value=60)
instants = st.datetimes(
    min_value=dt.datetime(FIRST.year, 1, 2),
    max_value=dt.datetime(LAST.year, 9, 1),
    timezones=st.just(SH),
)


def _aware(value: np.datetime64) -> dt.datetime:
    return value.astype("M8[us]").item().replace(tzinfo=dt.UTC)


@given(dates, steps)
def test_add_working_days_and_working_days_are_inverse(day: dt.date, n: int) -> None:
    result = CAL.add_working_days(day, n)
    one = dt.timedelta(days=1)
    assert result > day
    assert CAL.is_working_day(result)
    assert CAL.working_days(day + one, result + one) == n
    assert CAL.working_days(day + one, result) == n - 1


@given(dates, st.integers(min_value=0, max_value=121))  # end ≤ the day after the last
def test_working_days_then_add_lands_on_the_last_counted(day: dt.date, span: int) -> None:
    end = day + dt.timedelta(days=span)
    count = CAL.working_days(day, end)
    assert 0 <= count <= span
    if count and day > FIRST:
        before = day - dt.timedelta(days=1)
        assert CAL.add_working_days(before, count) < end


@given(dates, st.lists(steps, min_size=2, max_size=2))
def test_add_working_days_is_monotone(day: dt.date, ns: list[int]) -> None:
    lo, hi = sorted(ns)
    assert CAL.add_working_days(day, lo) <= CAL.add_working_days(day, hi)
    assert CAL.add_working_days(day, lo) <= CAL.add_working_days(day + dt.timedelta(days=3), lo)


@given(instants, st.integers(0, 400 * 3600), st.integers(0, 400 * 3600))
def test_working_hours_monotone_and_additive(start: dt.datetime, a: int, b: int) -> None:
    mid = start + dt.timedelta(seconds=a)
    end = mid + dt.timedelta(seconds=b)
    first, second = CAL.working_hours(start, mid), CAL.working_hours(mid, end)
    assert dt.timedelta(0) <= first <= end - start
    assert CAL.working_hours(start, end) == first + second
    assert CAL.working_hours(end, start) == -(first + second)


@given(
    instants,
    st.integers(0, 300 * 3600),
    st.lists(st.tuples(st.integers(-50 * 3600, 350 * 3600), st.integers(0, 80 * 3600)), max_size=4),
)
def test_a_pause_never_increases_elapsed_time(
    start: dt.datetime, length: int, raw: list[tuple[int, int]]
) -> None:
    end = start + dt.timedelta(seconds=length)
    pauses = [
        (start + dt.timedelta(seconds=s), start + dt.timedelta(seconds=s + d)) for s, d in raw
    ]
    full = CAL.working_hours(start, end)
    paused = CAL.working_hours(start, end, pauses=pauses)
    assert dt.timedelta(0) <= paused <= full
    removed = sum(
        (CAL.working_hours(max(a, start), min(b, end)) for a, b in pauses if a < end and b > start),
        dt.timedelta(0),
    )
    assert full - paused <= removed  # never more than the pauses' own working time
    # adding a pause never lengthens it
    if pauses:
        assert CAL.working_hours(start, end, pauses=pauses[1:]) >= paused


@given(instants, st.integers(1, 80), st.sampled_from(list(LimitUnit)))
def test_due_is_after_start_and_working_hours_invert_it(
    start: dt.datetime, amount: int, unit: LimitUnit
) -> None:
    limit = Limit(amount, unit)
    due = CAL.due(start, limit)
    assert due > start
    if unit is LimitUnit.WORKING_HOURS:
        assert CAL.working_hours(start, due) == dt.timedelta(hours=amount)
        # the earliest such instant: a minute before, the time is not yet up
        assert CAL.working_hours(start, due - dt.timedelta(minutes=1)) < dt.timedelta(hours=amount)
    if unit is LimitUnit.WORKING_DAYS:
        local = start.astimezone(SH).date()
        assert due.date() == CAL.add_working_days(local, amount)


@given(
    st.lists(instants, min_size=1, max_size=30),
    st.sampled_from(["3 working days", "7 working hours", "24 hours"]),
)
def test_scalar_and_vectorised_agree(starts: list[dt.datetime], limit: str) -> None:
    utc = np.array([s.astimezone(dt.UTC).replace(tzinfo=None) for s in starts], dtype="M8[us]")
    dues = CAL.due(utc, limit)
    assert [_aware(x) for x in dues] == [CAL.due(s, limit) for s in starts]
    series = pl.Series("t", starts, dtype=pl.Datetime("us", "Asia/Shanghai"))
    assert CAL.due(series, limit).to_list() == [CAL.due(s, limit) for s in starts]
    ends = utc + np.timedelta64(30, "h")
    hours = CAL.working_hours(utc, ends)
    assert [h.item() for h in hours] == [
        CAL.working_hours(_aware(a), _aware(b)) for a, b in zip(utc, ends, strict=True)
    ]
    days = utc.astype("M8[D]")
    assert CAL.is_working_day(days).tolist() == [CAL.is_working_day(d.item()) for d in days]
    assert CAL.add_working_days(days, 4).tolist() == [
        CAL.add_working_days(d.item(), 4) for d in days
    ]
    later = days + np.timedelta64(10, "D")
    assert CAL.working_days(days, later).tolist() == [
        CAL.working_days(a.item(), b.item()) for a, b in zip(days, later, strict=True)
    ]


@given(
    st.lists(
        st.tuples(
            instants, st.sampled_from(["2 working days", "5个工作日", "3 working hours", "8小时"])
        ),
        min_size=1,
        max_size=25,
    )
)
def test_a_column_of_limits_equals_one_limit_at_a_time(rows: list[tuple[dt.datetime, str]]) -> None:
    starts = pl.Series("t", [s for s, _ in rows], dtype=pl.Datetime("us", "Asia/Shanghai"))
    limits = [text for _, text in rows]
    expected = [CAL.due(s, text) for s, text in rows]
    assert CAL.due(starts, pl.Series(limits)).to_list() == expected
    utc = np.array([s.astimezone(dt.UTC).replace(tzinfo=None) for s, _ in rows], dtype="M8[us]")
    typed = [Limit.parse(text) for text in limits]
    assert [_aware(x) for x in CAL.due(utc, typed)] == expected


def test_a_column_of_limits_must_match_and_be_complete() -> None:
    starts = np.array(["2024-05-10T08:00", "2024-05-13T00:30"], dtype="M8[us]")
    with pytest.raises(CalendarError, match="2 starts"):
        CAL.due(starts, ["2 working days"])
    with pytest.raises(CalendarError, match="limits missing"):
        CAL.due(starts, pl.Series(["2 working days", None]))


pause_lists = st.lists(
    st.tuples(st.integers(-50 * 3600, 300 * 3600), st.integers(0, 80 * 3600)), max_size=4
)


@given(instants, st.integers(1, 60), st.sampled_from(list(LimitUnit)), pause_lists)
def test_a_pause_never_brings_a_deadline_forward(
    start: dt.datetime, amount: int, unit: LimitUnit, raw: list[tuple[int, int]]
) -> None:
    limit = Limit(amount, unit)
    pauses = [
        (start + dt.timedelta(seconds=s), start + dt.timedelta(seconds=s + d)) for s, d in raw
    ]
    plain = CAL.due(start, limit)
    paused = CAL.due(start, limit, pauses=pauses)
    assert paused >= plain
    if pauses:
        assert CAL.due(start, limit, pauses=pauses[1:]) <= paused
    if unit is LimitUnit.WORKING_HOURS:
        # the clock that stops for the pauses reads exactly the limit at the deadline
        assert CAL.working_hours(start, paused, pauses=pauses) == dt.timedelta(hours=amount)
    if unit is LimitUnit.HOURS:
        stopped = [(max(a, start), min(b, paused)) for a, b in pauses if a < paused and b > start]
        merged: list[list[dt.datetime]] = []
        for a, b in sorted(stopped):
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        running = paused - start - sum((b - a for a, b in merged), dt.timedelta(0))
        assert running == dt.timedelta(hours=amount)


def test_due_with_pauses_known_answer() -> None:
    # 2 working hours from Fri 10 May 2024 16:00 would end Sat 11 May (a working day, 调休:
    # "4月28日（星期日）、5月11日（星期六）上班") at 09:00; a pause (挂账) over all of Saturday
    # moves it to Mon 13 May 09:00
    fri = dt.datetime(2024, 5, 10, 16, 0, tzinfo=SH)
    assert CAL.due(fri, "2 working hours") == dt.datetime(2024, 5, 11, 9, 0, tzinfo=SH)
    saturday = (dt.datetime(2024, 5, 11, tzinfo=SH), dt.datetime(2024, 5, 12, tzinfo=SH))
    assert CAL.due(fri, "2 working hours", pauses=[saturday]) == dt.datetime(
        2024, 5, 13, 9, 0, tzinfo=SH
    )
    # columns: the pause belongs to the second case only
    starts = pl.Series([fri, fri], dtype=pl.Datetime("us", "Asia/Shanghai"))
    p = Pauses(
        row=[1],
        start=pl.Series([saturday[0]], dtype=pl.Datetime("us", "Asia/Shanghai")),
        end=pl.Series([saturday[1]], dtype=pl.Datetime("us", "Asia/Shanghai")),
    )
    assert CAL.due(starts, "2 working hours", pauses=p).to_list() == [
        dt.datetime(2024, 5, 11, 9, 0, tzinfo=SH),
        dt.datetime(2024, 5, 13, 9, 0, tzinfo=SH),
    ]


@given(
    st.lists(st.tuples(instants, pause_lists), min_size=1, max_size=8),
    st.sampled_from(["3 working days", "9 working hours", "30 hours"]),
)
def test_pauses_on_columns_equal_pauses_one_case_at_a_time(
    cases: list[tuple[dt.datetime, list[tuple[int, int]]]], limit: str
) -> None:
    per_case = [
        [(s + dt.timedelta(seconds=a), s + dt.timedelta(seconds=a + d)) for a, d in raw]
        for s, raw in cases
    ]
    starts = [s for s, _ in cases]
    rows = [i for i, ps in enumerate(per_case) for _ in ps]
    flat = [p for ps in per_case for p in ps]
    tz = pl.Datetime("us", "Asia/Shanghai")
    pauses = Pauses(
        row=np.array(rows, dtype=np.int64),
        start=pl.Series([a for a, _ in flat], dtype=tz),
        end=pl.Series([b for _, b in flat], dtype=tz),
    )
    column = pl.Series(starts, dtype=tz)
    dues = CAL.due(column, limit, pauses=pauses)
    assert dues.to_list() == [
        CAL.due(s, limit, pauses=ps) for s, ps in zip(starts, per_case, strict=True)
    ]
    ends = column.dt.offset_by("100h")
    assert CAL.working_hours(column, ends, pauses=pauses).to_list() == [
        CAL.working_hours(s, e, pauses=ps)
        for s, e, ps in zip(starts, ends.to_list(), per_case, strict=True)
    ]
