"""Export an event log for process mining: OCEL 2.0 (JSON or SQLite) and XES.

The event log is a polars frame with the columns of :mod:`gridgov.service.schema`. Both
formats open in standard process-mining tools (pm4py, ProM, Celonis, OCπ…):

* :func:`to_ocel` writes an **OCEL 2.0** object-centric log (Berti et al., *OCEL 2.0
  Specification*, 2023, ocel-standard.org), as JSON (``.json``, ``.jsonocel``) or SQLite
  (``.sqlite``, ``.sqlite3``, ``.db``). Objects are the cases (type ``case``, with the
  template, kind and urgency as attributes), the areas (type ``area``, id ``area:<id>``,
  related to each case they concern with the qualifier ``area``) and the organisations cases
  are sent to (type ``organisation``, id ``organisation:<id>``). Each event has the
  activity as its type, the timestamp as its time, the actor, role, rating and reason as
  attributes, and relationships to its case (qualifier ``case``), the case's area
  (qualifier ``area``) and its target organisation (qualifier ``target``).
* :func:`to_xes` writes **XES** (IEEE Std 1849-2016): one trace per case (``concept:name``
  = ``case_id``, with the case's template, kind, urgency and area), one event per row with
  ``concept:name`` (activity), ``time:timestamp``, ``org:resource`` (the actor's id),
  ``org:role``, ``lifecycle:transition`` = ``complete`` (each row records a completed
  step), and ``event_id``, ``target``, ``rating`` and ``reason`` where present. A
  ``.xes.gz`` path is gzip-compressed.

Actors are written as ids, never names or other personal fields. Events are written per case
in time order. Writes are atomic: a temporary file in the same directory replaces the target
only once complete, so a failed export leaves any previous file intact
(:class:`~gridgov.errors.SaveError`). A frame that lacks a column, has the wrong types, nulls
where none are allowed, repeated event ids or a case whose events disagree on its template,
kind, urgency or area raises :class:`~gridgov.errors.EventLogError` listing every problem.

Examples
--------
>>> import datetime as dt, tempfile, pathlib, polars as pl
>>> from gridgov.service.schema import event_schema
>>> t = dt.datetime(2024, 6, 3, 9, 0)
>>> log = pl.DataFrame(
...     {"event_id": ["e1", "e2"], "case_id": ["c1", "c1"], "template": "four_lists",
...      "kind": "policy_talk", "urgency": "normal", "area": "G1", "activity": ["order", "rate"],
...      "timestamp": [t, t + dt.timedelta(days=2)], "actor": ["H1", "H1"],
...      "role": "resident", "target": None, "rating": [None, 5], "reason": None},
...     schema_overrides={"timestamp": pl.Datetime("us", "Asia/Shanghai")},
... ).cast(event_schema())
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> to_xes(log, folder / "log.xes").name, to_ocel(log, folder / "log.json").name
('log.xes', 'log.json')
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import re
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

from gridgov.errors import EventLogError, Problem, SaveError
from gridgov.service.schema import CASE_COLUMNS, EVENT_COLUMNS, NULLABLE

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

__all__ = ["to_ocel", "to_xes"]

_OCEL_JSON: Final = (".json", ".jsonocel")
_OCEL_SQLITE: Final = (".sqlite", ".sqlite3", ".db")
#: Static object attributes carry this time in OCEL 2.0 (the value holds from the start).
_EPOCH: Final = "1970-01-01T00:00:00Z"
_CONTROL: Final = r"[\x00-\x08\x0b\x0c\x0e-\x1f]"
_STRINGS: Final = (*(c for c in EVENT_COLUMNS if c not in ("timestamp", "rating")),)


# ------------------------------------------------------------------------------ checking


def _checked(events: object, source: str) -> pl.DataFrame:
    """The log sorted by case and time, or an EventLogError naming every problem."""
    import polars as pl

    if not isinstance(events, pl.DataFrame):
        problem = Problem("not-a-frame", source, f"expected a polars DataFrame, got {type(events)}")
        raise EventLogError([problem], source=source)
    problems = _schema_problems(events, source)
    if problems:
        raise EventLogError(problems, source=source)
    problems = _row_problems(events, source)
    if problems:
        raise EventLogError(problems, source=source)
    return events.sort("case_id", "timestamp", maintain_order=True)


def _schema_problems(events: pl.DataFrame, source: str) -> list[Problem]:
    import polars as pl

    missing = [
        Problem("missing-column", f"{source}:{name}", f"column {name!r} is missing / 缺少列")
        for name in EVENT_COLUMNS
        if name not in events.columns
    ]
    if missing:
        return missing
    dtypes = events.schema
    problems = [
        _type_problem(source, name, "String", dtypes[name])
        for name in _STRINGS
        if dtypes[name] != pl.String
    ]
    stamp = dtypes["timestamp"]
    if not isinstance(stamp, pl.Datetime) or stamp.time_zone is None:
        problems.append(_type_problem(source, "timestamp", "Datetime with a time zone", stamp))
    if not dtypes["rating"].is_integer() and dtypes["rating"] != pl.Null:
        problems.append(_type_problem(source, "rating", "an integer type", dtypes["rating"]))
    return problems


def _row_problems(events: pl.DataFrame, source: str) -> list[Problem]:
    import polars as pl

    problems: list[Problem] = []
    indexed = events.with_row_index("__row")
    checks = [
        (name, pl.col(name).is_null(), "null-value", "is null")
        for name in EVENT_COLUMNS
        if name not in NULLABLE
    ] + [
        (
            name,
            pl.col(name).str.contains(_CONTROL),
            "control-character",
            "holds a control character XML cannot carry",
        )
        for name in _STRINGS
    ]
    for name, bad, code, what in checks:
        rows = indexed.filter(bad)["__row"].head(5).to_list()
        if rows:
            problems.append(
                Problem(code, f"{source}:{rows[0]}:{name}", f"{name} {what}, rows {rows}")
            )
    repeated = indexed.filter(pl.col("event_id").is_duplicated())
    if repeated.height:
        first = repeated.row(0, named=True)
        problems.append(
            Problem(
                "duplicate-event-id",
                f"{source}:{first['__row']}:event_id",
                f"{repeated['event_id'].n_unique()} event id(s) repeated, e.g. "
                f"{first['event_id']!r} / 事件编号重复",
            )
        )
    disagree = (
        events.group_by("case_id")
        .agg(pl.col(c).n_unique().alias(c) for c in CASE_COLUMNS)
        .filter(pl.any_horizontal(pl.col(c) > 1 for c in CASE_COLUMNS))
        .sort("case_id")
    )
    problems.extend(
        Problem(
            "case-disagrees",
            f"{source}:case {row['case_id']}",
            f"the case's events disagree on {', '.join(c for c in CASE_COLUMNS if row[c] > 1)}"
            " / 同一案件的事件属性不一致",
        )
        for row in disagree.head(20).iter_rows(named=True)
    )
    return problems


def _type_problem(source: str, name: str, want: str, got: object) -> Problem:
    return Problem("wrong-type", f"{source}:{name}", f"{name} must be {want}, is {got} / 类型错误")


# -------------------------------------------------------------------------- atomic write


@contextlib.contextmanager
def _atomic(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; it replaces ``path`` if the block succeeds."""
    folder = path.parent
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        os.close(handle)
    except OSError as exc:
        raise SaveError(f"{path}: cannot write here ({exc}) / 无法写入") from exc
    temp = Path(name)
    try:
        yield temp
        temp.replace(path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise SaveError(f"{path}: export failed, previous file kept ({exc}) / 导出失败") from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _write_text(path: Path, chunks: Callable[[], Iterator[str]]) -> None:
    """Write text atomically, gzip-compressed when the name ends in ``.gz``."""
    with _atomic(path) as temp:
        opener: Any = gzip.open if path.name.endswith(".gz") else open
        with opener(temp, "wt", encoding="utf-8", newline="\n") as out:
            for chunk in chunks():
                out.write(chunk)
            out.flush()


# ---------------------------------------------------------------------------------- OCEL


def _iso(column: str) -> pl.Expr:
    import polars as pl

    # xs:dateTime with the offset, e.g. 2024-06-03T09:00:00.000000+08:00
    return pl.col(column).dt.strftime("%Y-%m-%dT%H:%M:%S%.6f%:z")


def _objects(log: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Cases (with their area), areas and target organisations, each once."""
    import polars as pl

    cases = log.group_by("case_id", maintain_order=True).agg(
        pl.col(c).first() for c in CASE_COLUMNS
    )
    areas = cases.select(pl.col("area").unique(maintain_order=True))
    organisations = log.select(pl.col("target").drop_nulls().unique(maintain_order=True))
    return cases, areas, organisations


def to_ocel(
    events: pl.DataFrame,
    path: str | os.PathLike[str],
    *,
    format: Literal["json", "sqlite"] | None = None,  # noqa: A002 - the word users expect
) -> Path:
    """Write an event log as an OCEL 2.0 object-centric event log.

    Parameters
    ----------
    events
        An event log with the columns of :mod:`gridgov.service.schema`.
    path
        Where to write; replaced atomically.
    format
        ``"json"`` or ``"sqlite"``; by default from the suffix (``.json``/``.jsonocel`` or
        ``.sqlite``/``.sqlite3``/``.db``).

    Returns
    -------
    pathlib.Path
        The path written.

    References
    ----------
    A. Berti, I. Koren, J. N. Adams, et al., *OCEL (Object-Centric Event Log) 2.0
    Specification*, 2023. https://www.ocel-standard.org/
    """
    target = Path(path)
    chosen = format or _ocel_format(target)
    log = _checked(events, str(target))
    if chosen == "json":
        document = _ocel_document(log)
        _write_text(target, lambda: iter([json.dumps(document, ensure_ascii=False)]))
    elif chosen == "sqlite":
        with _atomic(target) as temp:
            _ocel_sqlite(log, temp)
    else:
        raise EventLogError(
            [Problem("unknown-format", str(target), f"format must be json or sqlite: {chosen!r}")],
            source=str(target),
        )
    return target


def _ocel_format(path: Path) -> Literal["json", "sqlite"]:
    suffix = path.suffix.lower()
    if suffix in _OCEL_JSON:
        return "json"
    if suffix in _OCEL_SQLITE:
        return "sqlite"
    raise EventLogError(
        [
            Problem(
                "unknown-suffix",
                str(path),
                f"cannot tell the OCEL format from {suffix!r}: use one of "
                f"{', '.join(_OCEL_JSON + _OCEL_SQLITE)} or format= / 无法由扩展名判断格式",
            )
        ],
        source=str(path),
    )


_EVENT_ATTRIBUTES: Final = (
    ("actor", "string"),
    ("role", "string"),
    ("rating", "integer"),
    ("reason", "string"),
)


def _ocel_document(log: pl.DataFrame) -> dict[str, Any]:
    cases, areas, organisations = _objects(log)
    attributes = [{"name": n, "type": t} for n, t in _EVENT_ATTRIBUTES]
    activities = log["activity"].unique(maintain_order=True).to_list()
    objects: list[dict[str, Any]] = [
        {
            "id": row["case_id"],
            "type": "case",
            "attributes": [
                {"name": c, "time": _EPOCH, "value": row[c]}
                for c in ("template", "kind", "urgency")
            ],
            "relationships": [{"objectId": f"area:{row['area']}", "qualifier": "area"}],
        }
        for row in cases.iter_rows(named=True)
    ]
    objects += [{"id": f"area:{a}", "type": "area"} for a in areas["area"]]
    objects += [
        {"id": f"organisation:{o}", "type": "organisation"} for o in organisations["target"]
    ]
    rows = log.select(
        "event_id", "activity", _iso("timestamp").alias("time"), "case_id", "area", "target",
        *(name for name, _ in _EVENT_ATTRIBUTES),
    )  # fmt: skip
    events: list[dict[str, Any]] = []
    for row in rows.iter_rows(named=True):
        relationships = [
            {"objectId": row["case_id"], "qualifier": "case"},
            {"objectId": f"area:{row['area']}", "qualifier": "area"},
        ]
        if row["target"] is not None:
            relationships.append(
                {"objectId": f"organisation:{row['target']}", "qualifier": "target"}
            )
        events.append(
            {
                "id": row["event_id"],
                "type": row["activity"],
                "time": row["time"],
                "attributes": [
                    {"name": n, "value": row[n]} for n, _ in _EVENT_ATTRIBUTES if row[n] is not None
                ],
                "relationships": relationships,
            }
        )
    return {
        "objectTypes": [
            {
                "name": "case",
                "attributes": [
                    {"name": c, "type": "string"} for c in ("template", "kind", "urgency")
                ],
            },
            {"name": "area", "attributes": []},
            {"name": "organisation", "attributes": []},
        ],
        "eventTypes": [{"name": a, "attributes": attributes} for a in activities],
        "objects": objects,
        "events": events,
    }


def _table_name(names: list[str]) -> dict[str, str]:
    """OCEL 2.0 SQLite per-type table suffixes: the name's ASCII letters and digits, unique."""
    out: dict[str, str] = {}
    for i, name in enumerate(names):
        base = re.sub(r"[^A-Za-z0-9]", "", name) or "type"
        out[name] = base if base not in out.values() else f"{base}_{i}"
    return out


def _ocel_sqlite(log: pl.DataFrame, file: Path) -> None:
    import polars as pl

    cases, areas, organisations = _objects(log)
    stamped = log.with_columns(
        pl.col("timestamp").dt.convert_time_zone("UTC").dt.strftime("%Y-%m-%d %H:%M:%S%.6f")
    )
    activities = log["activity"].unique(maintain_order=True).to_list()
    maps = _table_name(activities)
    epoch = "1970-01-01 00:00:00"
    with contextlib.closing(sqlite3.connect(file)) as db:
        db.executescript(
            """
            CREATE TABLE event (ocel_id TEXT PRIMARY KEY, ocel_type TEXT);
            CREATE TABLE object (ocel_id TEXT PRIMARY KEY, ocel_type TEXT);
            CREATE TABLE event_object (ocel_event_id TEXT, ocel_object_id TEXT,
                ocel_qualifier TEXT, PRIMARY KEY (ocel_event_id, ocel_object_id, ocel_qualifier));
            CREATE TABLE object_object (ocel_source_id TEXT, ocel_target_id TEXT,
                ocel_qualifier TEXT, PRIMARY KEY (ocel_source_id, ocel_target_id, ocel_qualifier));
            CREATE TABLE event_map_type (ocel_type TEXT PRIMARY KEY, ocel_type_map TEXT);
            CREATE TABLE object_map_type (ocel_type TEXT PRIMARY KEY, ocel_type_map TEXT);
            CREATE TABLE object_case (ocel_id TEXT, ocel_time TIMESTAMP, ocel_changed_field TEXT,
                template TEXT, kind TEXT, urgency TEXT);
            CREATE TABLE object_area (ocel_id TEXT, ocel_time TIMESTAMP, ocel_changed_field TEXT);
            CREATE TABLE object_organisation (ocel_id TEXT, ocel_time TIMESTAMP,
                ocel_changed_field TEXT);
            """
        )
        db.executemany(
            "INSERT INTO object_map_type VALUES (?, ?)",
            [("case", "case"), ("area", "area"), ("organisation", "organisation")],
        )
        db.executemany("INSERT INTO event_map_type VALUES (?, ?)", list(maps.items()))
        area_ids = [f"area:{a}" for a in areas["area"]]
        org_ids = [f"organisation:{o}" for o in organisations["target"]]
        db.executemany(
            "INSERT INTO object VALUES (?, ?)",
            [(c, "case") for c in cases["case_id"]]
            + [(a, "area") for a in area_ids]
            + [(o, "organisation") for o in org_ids],
        )
        db.executemany(
            "INSERT INTO object_case VALUES (?, ?, NULL, ?, ?, ?)",
            cases.select(pl.col("case_id"), pl.lit(epoch), "template", "kind", "urgency").rows(),
        )
        db.executemany(
            "INSERT INTO object_area VALUES (?, ?, NULL)", [(a, epoch) for a in area_ids]
        )
        db.executemany(
            "INSERT INTO object_organisation VALUES (?, ?, NULL)", [(o, epoch) for o in org_ids]
        )
        db.executemany(
            "INSERT INTO object_object VALUES (?, ?, 'area')",
            cases.select("case_id", pl.lit("area:") + pl.col("area")).rows(),
        )
        db.executemany("INSERT INTO event VALUES (?, ?)", log.select("event_id", "activity").rows())
        db.executemany(
            "INSERT INTO event_object VALUES (?, ?, 'case')",
            log.select("event_id", "case_id").rows(),
        )
        db.executemany(
            "INSERT INTO event_object VALUES (?, ?, 'area')",
            log.select("event_id", pl.lit("area:") + pl.col("area")).rows(),
        )
        db.executemany(
            "INSERT INTO event_object VALUES (?, ?, 'target')",
            log.filter(pl.col("target").is_not_null())
            .select("event_id", pl.lit("organisation:") + pl.col("target"))
            .rows(),
        )
        columns = ", ".join(
            f"{n} {'INTEGER' if t == 'integer' else 'TEXT'}" for n, t in _EVENT_ATTRIBUTES
        )
        for activity, suffix in maps.items():
            db.execute(
                f'CREATE TABLE "event_{suffix}" (ocel_id TEXT PRIMARY KEY, ocel_time TIMESTAMP, '
                f"{columns})"
            )
            part = stamped.filter(pl.col("activity") == activity).select(
                "event_id", "timestamp", *(n for n, _ in _EVENT_ATTRIBUTES)
            )
            marks = ", ".join("?" * (2 + len(_EVENT_ATTRIBUTES)))
            db.executemany(f'INSERT INTO "event_{suffix}" VALUES ({marks})', part.rows())  # noqa: S608 - suffix is [A-Za-z0-9]
        db.commit()


# ----------------------------------------------------------------------------------- XES

_XES_HEAD: Final = """<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1849-2016" xes.features="" xmlns="http://www.xes-standard.org/">
  <extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>
  <extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>
  <extension name="Organizational" prefix="org" uri="http://www.xes-standard.org/org.xesext"/>
  <extension name="Lifecycle" prefix="lifecycle" uri="http://www.xes-standard.org/lifecycle.xesext"/>
  <global scope="trace">
    <string key="concept:name" value="__INVALID__"/>
  </global>
  <global scope="event">
    <string key="concept:name" value="__INVALID__"/>
    <date key="time:timestamp" value="1970-01-01T00:00:00.000+00:00"/>
    <string key="lifecycle:transition" value="complete"/>
  </global>
  <classifier name="Activity" keys="concept:name"/>
  <classifier name="Activity and role" keys="concept:name org:role"/>
  <string key="concept:name" value="gridgov event log"/>
"""


def _esc(expr: pl.Expr) -> pl.Expr:
    """XML-escape a string expression for an attribute value."""
    for old, new in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;")):
        expr = expr.str.replace_all(old, new, literal=True)
    return expr


def _attr(kind: str, key: str, value: pl.Expr, *, nullable: bool = False) -> pl.Expr:
    import polars as pl

    text = pl.concat_str(
        pl.lit(f'<{kind} key="{key}" value="'), _esc(value.cast(pl.String)), pl.lit('"/>')
    )
    return pl.when(value.is_not_null()).then(text).otherwise(pl.lit("")) if nullable else text


def to_xes(events: pl.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write an event log as XES (IEEE Std 1849-2016), one trace per case.

    Parameters
    ----------
    events
        An event log with the columns of :mod:`gridgov.service.schema`.
    path
        Where to write (``.xes``, or ``.xes.gz`` for gzip); replaced atomically.

    Returns
    -------
    pathlib.Path
        The path written.

    References
    ----------
    IEEE Std 1849-2016, *IEEE Standard for eXtensible Event Stream (XES) for Achieving
    Interoperability in Event Logs and Event Streams*. https://www.xes-standard.org/
    """
    import polars as pl

    target = Path(path)
    log = _checked(events, str(target))
    col = pl.col
    event_xml = pl.concat_str(
        pl.lit("    <event>"),
        _attr("string", "concept:name", col("activity")),
        _attr("date", "time:timestamp", _iso("timestamp")),
        _attr("string", "org:resource", col("actor")),
        _attr("string", "org:role", col("role")),
        pl.lit('<string key="lifecycle:transition" value="complete"/>'),
        _attr("string", "event_id", col("event_id")),
        _attr("string", "target", col("target"), nullable=True),
        _attr("int", "rating", col("rating"), nullable=True),
        _attr("string", "reason", col("reason"), nullable=True),
        pl.lit("</event>\n"),
    )
    traces = (
        log.with_columns(event_xml.alias("__xml"))
        .group_by("case_id", maintain_order=True)
        .agg(*(pl.col(c).first() for c in CASE_COLUMNS), pl.col("__xml").str.join(""))
    )
    trace_xml = traces.select(
        pl.concat_str(
            pl.lit("  <trace>"),
            _attr("string", "concept:name", col("case_id")),
            *(_attr("string", c, col(c)) for c in CASE_COLUMNS),
            pl.lit("\n"),
            col("__xml"),
            pl.lit("  </trace>\n"),
        )
    ).to_series()

    def chunks() -> Iterator[str]:
        yield _XES_HEAD
        yield from trace_xml
        yield "</log>\n"

    _write_text(target, chunks)
    return target
