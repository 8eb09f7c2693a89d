"""Service operations: cases, workflow templates, working-time clocks and rates.

The work done inside the structure — 四单 (群众点单 → 社区派单 → 志愿者接单 → 群众评单),
吹哨报到, 12345 hotline calls and urban-management cases — as an append-only event log in
columns (:mod:`gridgov.service.schema`, validated by :mod:`gridgov.service.log`), checked
against declarative workflow templates (:mod:`gridgov.service.workflow`,
:mod:`gridgov.service.conformance`), timed with working-time calendars
(:mod:`gridgov.service.clock`), condensed into one row per case
(:mod:`gridgov.service.case_table`), counted by rates with exact formulas
(:mod:`gridgov.service.rates`) and exported for process mining
(:mod:`gridgov.service.export`). This package imports only :mod:`gridgov.org` and
:mod:`gridgov.errors` (docs/design.md §2).
"""

from __future__ import annotations

from gridgov.service.case_table import CASE_TABLE_COLUMNS, cases
from gridgov.service.clock import DEFAULT_HOURS, WorkingCalendar
from gridgov.service.conformance import DEVIATION_CODES, conformance, transition_table
from gridgov.service.export import to_ocel, to_xes
from gridgov.service.limits import Limit, LimitUnit
from gridgov.service.log import Case, Event, case, read_events, validate_events
from gridgov.service.pauses import Pauses
from gridgov.service.rates import (
    closing_rate,
    due_count,
    filed_count,
    four_lists_counts,
    four_lists_satisfaction,
    hotline_score,
    on_time_closing_rate,
    resolution_rate,
    response_rate,
    rework_rate,
    satisfaction_rate,
    timely_dispatch_rate,
)
from gridgov.service.sample import sample_log, sample_paths
from gridgov.service.schema import EVENT_COLUMNS, SCHEMA_VERSION, TIMEZONE, event_schema
from gridgov.service.workflow import (
    Deadline,
    Labelled,
    Milestones,
    State,
    Template,
    Transition,
    check_template,
    load_template,
    template_names,
)

__all__ = [
    "CASE_TABLE_COLUMNS",
    "DEFAULT_HOURS",
    "DEVIATION_CODES",
    "EVENT_COLUMNS",
    "SCHEMA_VERSION",
    "TIMEZONE",
    "Case",
    "Deadline",
    "Event",
    "Labelled",
    "Limit",
    "LimitUnit",
    "Milestones",
    "Pauses",
    "State",
    "Template",
    "Transition",
    "WorkingCalendar",
    "case",
    "cases",
    "check_template",
    "closing_rate",
    "conformance",
    "due_count",
    "event_schema",
    "filed_count",
    "four_lists_counts",
    "four_lists_satisfaction",
    "hotline_score",
    "load_template",
    "on_time_closing_rate",
    "read_events",
    "resolution_rate",
    "response_rate",
    "rework_rate",
    "sample_log",
    "sample_paths",
    "satisfaction_rate",
    "template_names",
    "timely_dispatch_rate",
    "to_ocel",
    "to_xes",
    "transition_table",
    "validate_events",
]
