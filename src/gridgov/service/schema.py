"""The event-log schema: the columns every case event has, fixed for stores and exports.

A service case (a 四单 order, a whistle, a 12345 call, an urban-management case) is the set of
events that share a ``case_id``. Events live in columns (a polars frame), one row per event;
one case becomes a pydantic model only when asked for (docs/design.md §4). The durable store and
the process-mining exports rely on these names and types: add columns freely, never rename.

Columns (in this order):

==============  =============================  ====================================================
column          type                           meaning
==============  =============================  ====================================================
``event_id``    String, unique                 the event's own id; appends are idempotent by it
``case_id``     String                         the case (ticket) the event belongs to
``template``    String                         workflow template name (``four_lists`` …)
``kind``        String                         case kind within the template (``policy_talk`` …)
``urgency``     String                         ``normal`` or ``urgent``; keys deadlines
``area``        String                         the structure's area the case concerns (a grid …)
``activity``    String                         the template activity fired (``order`` …)
``timestamp``   Datetime(us, Asia/Shanghai)    when it happened; timezone-aware
``actor``       String                         a person, post, organisation or household id
``role``        String                         the template role the actor fired it in
``target``      String, nullable               the organisation the case is sent to, if any
``rating``      Int8, nullable                 a resident's rating 1–5 (评单, 回访)
``reason``      String, nullable               reason for 回退, 延期, 挂账, 返工 …
==============  =============================  ====================================================

``template``, ``kind``, ``urgency`` and ``area`` are properties of the case repeated on each
of its events, so that a flat log is self-contained; validation reports a case whose events
disagree on them (a case touching two grids).

Examples
--------
>>> from gridgov.service.schema import EVENT_COLUMNS, TIMEZONE
>>> EVENT_COLUMNS[:3], TIMEZONE
(('event_id', 'case_id', 'template'), 'Asia/Shanghai')
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

__all__ = [
    "CASE_COLUMNS",
    "EVENT_COLUMNS",
    "NULLABLE",
    "SCHEMA_VERSION",
    "TIMEZONE",
    "event_schema",
]

#: Version of the event-log schema; stores record it and migrate from older ones.
SCHEMA_VERSION: Final = 1
#: Timezone of ``timestamp`` unless a log says otherwise.
TIMEZONE: Final = "Asia/Shanghai"
#: Column names, in order.
EVENT_COLUMNS: Final = (
    "event_id",
    "case_id",
    "template",
    "kind",
    "urgency",
    "area",
    "activity",
    "timestamp",
    "actor",
    "role",
    "target",
    "rating",
    "reason",
)
#: Columns that describe the case and repeat on each of its events.
CASE_COLUMNS: Final = ("template", "kind", "urgency", "area")
#: Columns that may be null.
NULLABLE: Final = frozenset({"target", "rating", "reason"})


def event_schema(timezone: str = TIMEZONE) -> pl.Schema:
    """The polars schema of an event log.

    Examples
    --------
    >>> event_schema()["timestamp"]
    Datetime(time_unit='us', time_zone='Asia/Shanghai')
    """
    import polars as pl

    types: dict[str, pl.DataType] = {name: pl.String() for name in EVENT_COLUMNS}
    types["timestamp"] = pl.Datetime("us", timezone)
    types["rating"] = pl.Int8()
    return pl.Schema(types)
