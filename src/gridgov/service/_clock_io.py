"""Values in and out of a working calendar, in its timezone (internal to :mod:`.clock`).

Every :class:`~gridgov.service.clock.WorkingCalendar` method accepts a scalar, a numpy array
or a polars Series and answers in the same shape; :class:`ZonedValues` holds that dispatch
and the conversions between UTC instants and local wall-clock time (a constant shift when
the zone has no daylight saving in the covered years, else polars' timezone database).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import TYPE_CHECKING, Any, Final, Literal

import numpy as np

from gridgov.errors import CalendarError

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

__all__ = ["ZonedValues"]

_EPOCH: Final = dt.datetime(1970, 1, 1)

_Kind = Literal["scalar", "numpy", "polars"]


class ZonedValues:
    """Base of :class:`~gridgov.service.clock.WorkingCalendar`: its timezone and its values.

    ``_dates``/``_instants`` read a scalar, array or Series into local ``datetime64``;
    ``_out``/``_out_instants`` give a result back in the shape the input had.
    """

    _zone: zoneinfo.ZoneInfo
    _tz: str
    _fixed_us: int | None

    def _set_timezone(self, timezone: str, first: dt.date, last: dt.date) -> None:
        """Use ``timezone``; ``first`` and ``last`` bound the dates it must convert."""
        try:
            self._zone = zoneinfo.ZoneInfo(timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise CalendarError(f"unknown timezone {timezone!r} / 未知时区 {timezone!r}") from None
        self._tz = timezone
        offsets = {
            self._zone.utcoffset(dt.datetime(y, m, 1, 12))
            for y in range(first.year - 1, last.year + 2)
            for m in range(1, 13)
        }
        # a zone without daylight saving in the covered years is a constant shift (fast path)
        self._fixed_us = None
        if len(offsets) == 1:
            (offset,) = offsets
            assert offset is not None
            self._fixed_us = offset // dt.timedelta(microseconds=1)

    def _dates(self, value: Any, what: str) -> tuple[np.ndarray, _Kind, str]:
        """Dates as ``datetime64[D]`` (local), the kind of input and a Series name."""
        if isinstance(value, dt.datetime):
            when = self._aware(value, what).astimezone(self._zone)
            return np.asarray(np.datetime64(when.date(), "D")), "scalar", ""
        if isinstance(value, dt.date):
            return np.asarray(np.datetime64(value, "D")), "scalar", ""
        if _is_series(value):
            return self._series_dates(value, what), "polars", value.name
        arr = np.asarray(value)
        if arr.dtype == object:
            try:
                arr = np.asarray(value, dtype="M8[D]")
            except (TypeError, ValueError):
                raise CalendarError(_bad_type(what, value)) from None
        if arr.dtype.kind != "M":
            raise CalendarError(_bad_type(what, value))
        if np.datetime_data(arr.dtype)[0] in ("Y", "M", "W", "D"):
            return arr.astype("M8[D]"), "numpy", ""
        return self._utc_to_local(arr.astype("M8[us]")).astype("M8[D]"), "numpy", ""

    def _series_dates(self, series: pl.Series, what: str) -> np.ndarray:
        import polars as pl

        if series.dtype == pl.Date:
            return np.asarray(series.to_numpy()).astype("M8[D]")
        return np.asarray(self._series_local(series, what).to_numpy()).astype("M8[D]")

    def _series_local(self, series: pl.Series, what: str) -> pl.Series:
        import polars as pl

        if not isinstance(series.dtype, pl.Datetime):
            raise CalendarError(_bad_type(what, series))
        if series.dtype.time_zone is None:
            raise CalendarError(_naive_series(what))
        return (
            series.dt.convert_time_zone(self._tz).dt.replace_time_zone(None).dt.cast_time_unit("us")
        )

    def _instants(self, value: Any, what: str) -> tuple[np.ndarray, _Kind, str | None, str]:
        """Local wall-clock ``datetime64[us]``, the kind, the input's timezone, a name."""
        if isinstance(value, dt.datetime):
            when = self._aware(value, what).astimezone(self._zone).replace(tzinfo=None)
            return np.asarray(np.datetime64(when, "us")), "scalar", None, ""
        if _is_series(value):
            local = np.asarray(self._series_local(value, what).to_numpy())
            return local, "polars", value.dtype.time_zone, value.name
        arr = np.asarray(value)
        if arr.dtype.kind == "M":
            return self._utc_to_local(arr.astype("M8[us]")), "numpy", None, ""
        raise CalendarError(_bad_type(what, value))

    def _aware(self, value: dt.datetime, what: str) -> dt.datetime:
        if value.tzinfo is None or value.utcoffset() is None:
            raise CalendarError(
                f"{what}: {value} has no timezone; give a timezone-aware datetime / "
                f"{what}：{value} 缺少时区"
            )
        return value

    def _utc_to_local(self, utc: np.ndarray) -> np.ndarray:
        if self._fixed_us is not None:
            return utc + np.timedelta64(self._fixed_us, "us")
        import polars as pl

        series = pl.Series(utc.ravel()).dt.replace_time_zone("UTC").dt.convert_time_zone(self._tz)
        local = series.dt.replace_time_zone(None).dt.cast_time_unit("us").to_numpy()
        return np.asarray(local).reshape(utc.shape)

    def _local_to_utc(self, local: np.ndarray) -> np.ndarray:
        if self._fixed_us is not None:
            return local - np.timedelta64(self._fixed_us, "us")
        import polars as pl

        series = pl.Series(local.ravel()).dt.replace_time_zone(self._tz, ambiguous="earliest")
        utc = series.dt.convert_time_zone("UTC").dt.replace_time_zone(None).to_numpy()
        return np.asarray(utc).reshape(local.shape)

    def _out(self, result: np.ndarray, kind: _Kind, name: str) -> Any:
        """Return dates, bools, ints or durations in the shape they came in."""
        if kind == "scalar":
            return result[()].item() if result.dtype.kind != "b" else bool(result[()])
        if kind == "polars":
            import polars as pl

            return pl.Series(name, result)
        return result

    def _out_instants(self, local: np.ndarray, kind: _Kind, tz: str | None, name: str) -> Any:
        if kind == "scalar":
            wall = _EPOCH + dt.timedelta(microseconds=int(local[()].astype(np.int64)))
            return wall.replace(tzinfo=self._zone)
        if kind == "polars":
            import polars as pl

            series = pl.Series(name, local).dt.replace_time_zone(self._tz, ambiguous="earliest")
            return series.dt.convert_time_zone(tz or self._tz)
        return self._local_to_utc(local)


def _is_series(value: object) -> bool:
    return type(value).__module__.startswith("polars") and type(value).__name__ == "Series"


def _pick(*kinds: tuple[_Kind, str]) -> tuple[_Kind, str]:
    """The output kind of a call with several arguments: polars over numpy over scalar."""
    for want in ("polars", "numpy"):
        for kind, name in kinds:
            if kind == want:
                return kind, name
    return "scalar", ""


def _bad_type(what: str, value: object) -> str:
    return (
        f"{what}: expected a date, a timezone-aware datetime, a numpy datetime64 array or a "
        f"polars Date/Datetime Series, got {type(value).__name__} / {what}：类型不支持"
    )


def _naive_series(what: str) -> str:
    return (
        f"{what}: a Datetime column without a timezone is ambiguous; use "
        f".dt.replace_time_zone('Asia/Shanghai') first / {what}：日期时间列缺少时区"
    )
