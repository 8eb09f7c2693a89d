"""Service operations: cases, workflow templates, working-time clocks and rates.

The work done inside the structure — 四单 (群众点单 → 社区派单 → 志愿者接单 → 群众评单),
吹哨报到, 12345 hotline calls and urban-management cases — as an append-only event log in
columns (:mod:`gridgov.service.schema`), checked against declarative workflow templates and
timed with working-time calendars. This package imports only :mod:`gridgov.org` and
:mod:`gridgov.errors` (DESIGN.md §2).
"""

from __future__ import annotations

from gridgov.service.clock import DEFAULT_HOURS, WorkingCalendar
from gridgov.service.export import to_ocel, to_xes
from gridgov.service.limits import Limit, LimitUnit
from gridgov.service.pauses import Pauses
from gridgov.service.schema import EVENT_COLUMNS, SCHEMA_VERSION, TIMEZONE, event_schema

__all__ = [
    "DEFAULT_HOURS",
    "EVENT_COLUMNS",
    "SCHEMA_VERSION",
    "TIMEZONE",
    "Limit",
    "LimitUnit",
    "Pauses",
    "WorkingCalendar",
    "event_schema",
    "to_ocel",
    "to_xes",
]
