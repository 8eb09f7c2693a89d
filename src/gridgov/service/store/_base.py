"""The backend-independent half of a store: appends, queries, open cases and rates."""

from __future__ import annotations

import abc
import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Self

import polars as pl

from gridgov.errors import StoreError
from gridgov.service.schema import EVENT_COLUMNS, TIMEZONE
from gridgov.service.store._common import (
    AppendResult,
    CaseRow,
    Machines,
    advance,
    case_ids,
    empty_frame,
    event_ids,
    fail,
    rows_to_frame,
    split_known,
    to_rows,
    to_us,
)

if TYPE_CHECKING:  # pragma: no cover
    from gridgov.org.structure import Structure
    from gridgov.service.log import Case
    from gridgov.service.workflow import Template

#: Rates :meth:`SqlStore.rates` knows, by name (functions of :mod:`gridgov.service.rates`).
RATES = (
    "closing_rate",
    "due_count",
    "filed_count",
    "on_time_closing_rate",
    "resolution_rate",
    "response_rate",
    "rework_rate",
    "satisfaction_rate",
    "timely_dispatch_rate",
)

#: The columns :func:`gridgov.service.case_table.cases` reads (all a rate needs).
_CASE_TABLE_INPUT = (*EVENT_COLUMNS[1:7], "timestamp", "target", "rating")
_CASE_SELECT = (
    "SELECT case_id, template, kind, urgency, area, state, opened, last, ended, events FROM cases"
)


class LookUpFirstError(Exception):
    """An optimistic append that must be retried with the stored ids looked up (transient)."""


class SqlStore(abc.ABC):
    """What both backends share; subclasses supply connections, transactions and bulk I/O."""

    url: str
    timeout: float
    #: Skip the lookup of stored ids on the first attempt (worth it where a lookup is a
    #: round trip and a unique violation is cheap to retry).
    optimistic: bool = False

    def __init__(self, url: str, *, templates: Mapping[str, Template] | None, timeout: float):
        self.url = url
        self.timeout = timeout
        self._machines = Machines(templates)

    # -- backend hooks --------------------------------------------------------------------------
    @abc.abstractmethod
    def _write(self, work: Any) -> Any:
        """Run ``work(cursor)`` in one write transaction holding the store's write lock."""

    @abc.abstractmethod
    def _read(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        """Rows of a read-only query (``?`` placeholders)."""

    @abc.abstractmethod
    def _stored(self, cur: Any, ids: list[str]) -> dict[str, tuple[Any, ...]]:
        """Stored rows (``ROW_COLUMNS``) of the given event ids."""

    @abc.abstractmethod
    def _lock_cases(self, cur: Any, ids: list[str]) -> dict[str, CaseRow]:
        """The stored case rows of ``ids``, locked until the transaction ends."""

    @abc.abstractmethod
    def _insert(self, cur: Any, rows: list[tuple[Any, ...]], cases: list[CaseRow]) -> None:
        """Insert new events, insert new case rows and update changed ones."""

    @abc.abstractmethod
    def close(self) -> None:
        """Close the connection."""

    @property
    @abc.abstractmethod
    def schema_version(self) -> int:
        """The store's schema version."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.url!r})"

    # -- writing --------------------------------------------------------------------------------
    def append(
        self, events: pl.DataFrame | Mapping[str, Any] | Sequence[Mapping[str, Any]]
    ) -> AppendResult:
        """Append one event or a batch in one transaction; see the package docstring.

        Returns
        -------
        AppendResult
            Events added, and events skipped because the same id with the same content is
            already stored (a retried batch).

        Raises
        ------
        gridgov.errors.StoreError
            The whole batch is refused (nothing written) with every problem found:
            ``bad-events``, ``conflicting-event``, ``unknown-template``, ``unknown-activity``,
            ``forbidden-transition``, ``forbidden-role``, ``case-mismatch``,
            ``time-goes-back``; or ``busy``, ``disk-full``, ``read-only``.
        """
        if (
            isinstance(events, Mapping)
            and events
            and not isinstance(next(iter(events.values())), (list, tuple, pl.Series))
        ):
            events = [events]
        rows = to_rows(events, self.url)
        if not rows:
            return AppendResult(0, 0)

        attempts = 0

        def work(cur: Any) -> AppendResult:
            nonlocal attempts
            attempts += 1
            # optimistic first attempt (PostgreSQL): skip looking the ids up; a stored id shows
            # as a unique violation or a refused transition, and the retry looks them up
            optimistic = self.optimistic and attempts == 1
            stored = {} if optimistic else self._stored(cur, event_ids(rows))
            fresh = split_known(rows, stored, self.url)
            if not fresh:
                return AppendResult(0, len(rows))
            cases = self._lock_cases(cur, case_ids(fresh))
            try:
                advance(fresh, cases, self._machines, self.url)
            except StoreError:
                if optimistic:
                    raise LookUpFirstError from None
                raise
            self._insert(cur, fresh, [c for c in cases.values() if c.changed])
            return AppendResult(len(fresh), len(rows) - len(fresh))

        result: AppendResult = self._write(work)
        return result

    # -- reading --------------------------------------------------------------------------------
    def count(self) -> int:
        """Number of events stored."""
        return int(self._read("SELECT count(*) FROM events", ())[0][0])

    def iter_events(
        self,
        *,
        start: dt.datetime | dt.date | None = None,
        end: dt.datetime | dt.date | None = None,
        area: str | Sequence[str] | None = None,
        template: str | Sequence[str] | None = None,
        case_id: str | Sequence[str] | None = None,
        batch_size: int = 100_000,
        timezone: str = TIMEZONE,
    ) -> Iterator[pl.DataFrame]:
        """Events matching every filter given, in append order, as frames of ``batch_size``.

        ``start`` is inclusive and ``end`` exclusive (a date is its midnight in
        Asia/Shanghai). Memory stays bounded by one batch: each batch is a keyset query
        (``seq > last``), so no cursor stays open between batches.
        """
        where, params = self._where(start, end, area, template, case_id)
        yield from self._frames(EVENT_COLUMNS, where, params, batch_size, timezone)

    def _frames(
        self,
        names: Sequence[str],
        where: str,
        params: Sequence[Any],
        batch_size: int,
        timezone: str,
    ) -> Iterator[pl.DataFrame]:
        """Frames of the columns ``names`` of the events matching ``where``, in append order."""
        columns = ", ".join("ts" if n == "timestamp" else n for n in names)
        last = 0
        while True:
            rows = self._read(
                f"SELECT seq, {columns} FROM events WHERE seq > ?{where} ORDER BY seq LIMIT ?",
                (last, *params, batch_size),
            )
            if not rows:
                return
            last = rows[-1][0]
            yield rows_to_frame([r[1:] for r in rows], timezone, names)
            if len(rows) < batch_size:
                return

    def events(self, **filters: Any) -> pl.DataFrame:
        """All events matching the filters of :meth:`iter_events`, as one frame."""
        timezone = filters.get("timezone", TIMEZONE)
        frames = list(self.iter_events(**filters))
        return pl.concat(frames) if frames else empty_frame(timezone)

    def case(self, case_id: str) -> Case:
        """The case ``case_id`` with its events (``unknown-case`` if it has none)."""
        from gridgov.service.log import case

        frame = self.events(case_id=case_id)
        if frame.height == 0:
            raise fail(self.url, "unknown-case", f"case:{case_id}", f"no case {case_id!r}")
        return case(frame, case_id)

    def _where(
        self,
        start: dt.datetime | dt.date | None,
        end: dt.datetime | dt.date | None,
        area: str | Sequence[str] | None,
        template: str | Sequence[str] | None,
        case_id: str | Sequence[str] | None,
    ) -> tuple[str, list[Any]]:
        sql: list[str] = []
        params: list[Any] = []
        for op, value in ((">=", to_us(start, self.url)), ("<", to_us(end, self.url))):
            if value is not None:
                sql.append(f"ts {op} ?")
                params.append(value)
        for column, given in (("area", area), ("template", template), ("case_id", case_id)):
            if given is None:
                continue
            values = [given] if isinstance(given, str) else list(given)
            sql.append(f"{column} IN ({', '.join('?' * len(values))})")
            params.extend(values)
        return "".join(f" AND {s}" for s in sql), params

    # -- cases and rates ------------------------------------------------------------------------
    def open_cases(
        self,
        *,
        as_of: dt.datetime | None = None,
        calendar: Any = None,
        overdue: bool = False,
        area: str | Sequence[str] | None = None,
        template: str | Sequence[str] | None = None,
    ) -> pl.DataFrame:
        """Cases not in an end state, with the time they are due to close.

        ``due_at`` is the template's closing deadline counted with the working calendar
        (``calendar``, by default ``WorkingCalendar.china()``) and moved by pauses, exactly as
        :func:`gridgov.service.case_table.cases` computes it; ``overdue`` is ``due_at <
        as_of`` (``as_of`` defaults to now). With ``overdue=True`` only overdue cases are kept.

        Returns
        -------
        polars.DataFrame
            ``case_id, template, kind, urgency, area, state, opened_at, due_at, overdue``,
            sorted by ``due_at`` (cases without a deadline last), then ``case_id``.
        """
        from gridgov.service.case_table import cases

        now = as_of or dt.datetime.now(dt.UTC)
        extra, params = self._where(None, None, area, template, None)
        ids = [
            r[0] for r in self._read(f"SELECT case_id FROM cases WHERE ended = 0{extra}", params)
        ]
        states = {r[0]: r[5] for r in self._read(f"{_CASE_SELECT} WHERE ended = 0{extra}", params)}
        frames = [self.events(case_id=ids[i : i + 500]) for i in range(0, len(ids), 500)]
        events = pl.concat(frames) if frames else empty_frame()
        kwargs: dict[str, Any] = {"as_of": now}
        if calendar is not None:
            kwargs["calendar"] = calendar
        table = cases(events, self._machines.templates, **kwargs) if events.height else None
        columns = ["case_id", "template", "kind", "urgency", "area", "opened_at", "due_at"]
        if table is None:
            out = pl.DataFrame(
                schema={
                    **dict.fromkeys(columns[:5], pl.String()),
                    "opened_at": pl.Datetime("us", TIMEZONE),
                    "due_at": pl.Datetime("us", TIMEZONE),
                }
            )
        else:
            out = table.select(columns)
        limit = pl.lit(now).dt.convert_time_zone(TIMEZONE)
        out = out.with_columns(
            state=pl.col("case_id").replace_strict(states, default=None, return_dtype=pl.String),
            overdue=(pl.col("due_at") < limit).fill_null(value=False),
        ).select(*columns[:5], "state", "opened_at", "due_at", "overdue")
        if overdue:
            out = out.filter(pl.col("overdue"))
        return out.sort(["due_at", "case_id"], nulls_last=True)

    def rates(
        self,
        rate: str,
        *,
        by: str | None = None,
        period: str | None = "month",
        template: str | Sequence[str] | None = None,
        structure: Structure | None = None,
        calendar: Any = None,
        as_of: dt.datetime | None = None,
    ) -> pl.DataFrame:
        """One rate of :mod:`gridgov.service.rates` over the stored events.

        The events are read in batches, condensed by
        :func:`gridgov.service.case_table.cases` and counted by the rate's function, so the
        figures are exactly the in-memory ones (the package docstring says why this is not
        done in SQL).
        """
        from gridgov.service import rates
        from gridgov.service.case_table import cases

        if rate not in RATES:
            raise fail(
                self.url, "unknown-rate", "<rates>", f"no rate {rate!r}; known: {', '.join(RATES)}"
            )
        where, params = self._where(None, None, None, template, None)
        frames = list(self._frames(_CASE_TABLE_INPUT, where, params, 200_000, TIMEZONE))
        events = pl.concat(frames) if frames else empty_frame().select(_CASE_TABLE_INPUT)
        kwargs: dict[str, Any] = {}
        if calendar is not None:
            kwargs["calendar"] = calendar
        if as_of is not None:
            kwargs["as_of"] = as_of
        table = cases(events, self._machines.templates, **kwargs)
        result: pl.DataFrame = getattr(rates, rate)(
            table, by=by, period=period, structure=structure
        )
        return result
