"""Service operations: cases, workflow templates, working-time clocks and rates.

The work done inside the structure — 四单 (群众点单 → 社区派单 → 志愿者接单 → 群众评单),
吹哨报到, 12345 hotline calls and urban-management cases — as an append-only event log in
columns (:mod:`gridgov.service.schema`), checked against declarative workflow templates
(:mod:`gridgov.service.workflow`) and timed with working-time calendars. This package imports
only :mod:`gridgov.org` and :mod:`gridgov.errors` (DESIGN.md §2).
"""

from __future__ import annotations

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
    parse_limit,
    template_names,
)

__all__ = [
    "EVENT_COLUMNS",
    "SCHEMA_VERSION",
    "TIMEZONE",
    "Deadline",
    "Labelled",
    "Milestones",
    "State",
    "Template",
    "Transition",
    "check_template",
    "event_schema",
    "load_template",
    "parse_limit",
    "template_names",
]
