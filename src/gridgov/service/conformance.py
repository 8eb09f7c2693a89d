"""Conformance: replay an event log against its workflow templates and list every deviation.

Each case is replayed in order (timestamp, then log order) against the template its
``template`` column names. Because in a template an activity names its target state
(:mod:`gridgov.service.workflow`), the state a case is in *before* an event is the target of
the case's previous event — so the replay is a few joins of the events with the template's
transition table, never a loop over events, and a deviation does not derail the rest of the
case: after an unexpected event the case is taken to be where that event leads.

================================  ============================================================
code                              deviation
================================  ============================================================
``unknown-template``              the case names a template that was not given (once per case)
``unknown-activity``              an activity the template does not have
``not-started-at-start``          the case's first event is not a transition out of the start
``skipped-step``                  an activity the template allows only later: the steps between
                                  were skipped (listed)
``undefined-transition``          an activity the template has, but not from the state the case
                                  is in, nor from any state after it
``wrong-role``                    an allowed transition fired by a role that may not fire it
``event-after-close``             an event after the case reached an end state
================================  ============================================================

Examples
--------
>>> from gridgov.service.sample import sample_log
>>> log = sample_log(["urban_case"], cases=20, seed=2)
>>> conformance(log).height
0
>>> import polars as pl
>>> bad = log.with_columns(role=pl.when(pl.col("event_id") == "urban_case-0-1")
...                        .then(pl.lit("collector")).otherwise("role"))
>>> found = conformance(bad)
>>> found.select("case_id", "activity", "code").rows()
[('urban_case-0', 'file', 'wrong-role')]
>>> print(found.item(0, "message_zh"))
「立案」由角色 collector 执行，但只允许 acceptor
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import polars as pl

from gridgov.service.case_table import Templates, _resolve
from gridgov.service.workflow import Template

__all__ = ["DEVIATION_CODES", "DEVIATION_COLUMNS", "conformance", "transition_table"]

#: Deviation codes, in the order of the module docstring.
DEVIATION_CODES: tuple[str, ...] = (
    "unknown-template",
    "unknown-activity",
    "not-started-at-start",
    "skipped-step",
    "undefined-transition",
    "wrong-role",
    "event-after-close",
)
#: Columns of the frame :func:`conformance` returns.
DEVIATION_COLUMNS: tuple[str, ...] = (
    "case_id",
    "event_id",
    "row",
    "template",
    "activity",
    "role",
    "state",
    "code",
    "message",
    "message_zh",
)


def transition_table(template: Template) -> pl.DataFrame:
    """The template's transitions as a frame: one row per (state, activity).

    Columns ``template``, ``state`` (from), ``activity``, ``to``, ``roles`` (a list: the
    union over the transitions of that activity from that state, e.g. across variants).

    Examples
    --------
    >>> from gridgov.service.workflow import load_template
    >>> t = transition_table(load_template("whistle"))
    >>> t.filter(pl.col("activity") == "report").sort("state").select("state", "roles").rows()
    [('convened', ['department']), ('reporting', ['department', 'party']), \
('whistled', ['department', 'party'])]
    """
    rows = [
        (template.name, f, t.activity, t.to, r)
        for t in template.transitions
        for f in t.from_
        for r in t.roles
    ]
    return (
        pl.DataFrame(rows, schema=["template", "state", "activity", "to", "role"], orient="row")
        .group_by("template", "state", "activity", "to", maintain_order=True)
        .agg(pl.col("role").unique(maintain_order=True).sort().alias("roles"))
    )


def _skips(template: Template) -> pl.DataFrame:
    """For each (state, activity) not allowed directly but later: the shortest skipped steps."""
    import networkx as nx

    g = nx.DiGraph()
    for t in template.transitions:
        for f in t.from_:
            if not g.has_edge(f, t.to):
                g.add_edge(f, t.to, activity=t.activity)
    direct = {(f, t.activity) for t in template.transitions for f in t.from_}
    zh: dict[str, str] = {}
    for t in template.transitions:
        zh.setdefault(t.activity, t.label_zh or t.activity)
    paths = dict(nx.all_pairs_shortest_path(g))
    rows = []
    for state in template.states:
        for t in template.transitions:
            if (state, t.activity) in direct:
                continue
            best: list[str] | None = None
            for f in t.from_:
                p = paths.get(state, {}).get(f)
                if p is not None and (best is None or len(p) < len(best)):
                    best = p
            if best is None or len(best) < 2:
                continue
            steps = [g.edges[a, b]["activity"] for a, b in itertools.pairwise(best)]
            rows.append((template.name, state, t.activity, steps, [zh[x] for x in steps]))
    return pl.DataFrame(
        rows,
        schema={
            "template": pl.String,
            "state": pl.String,
            "activity": pl.String,
            "skipped": pl.List(pl.String),
            "skipped_zh": pl.List(pl.String),
        },
        orient="row",
    ).unique(["template", "state", "activity"], keep="first", maintain_order=True)


def conformance(events: pl.DataFrame, templates: Templates = None) -> pl.DataFrame:
    """Every deviation of every case from its template, one row per deviating event.

    Parameters
    ----------
    events
        A validated event log (:func:`gridgov.service.log.validate_events`).
    templates
        The templates to replay against: a mapping from the names used in the log's
        ``template`` column, an iterable of names or templates (keyed by their names), or
        ``None`` to load the shipped templates the log names (``"four_lists:huanan"`` loads a
        variant).

    Returns
    -------
    polars.DataFrame
        Columns :data:`DEVIATION_COLUMNS`; ``row`` is the event's 1-based row in ``events``,
        ``state`` the state the case was in before it; sorted by case and replay order.
        Empty when every case conforms.
    """
    c = pl.col
    names = events.get_column("template").unique().drop_nulls().to_list()
    known = _resolve(templates, names)
    ev = (
        events.select("case_id", "event_id", "template", "activity", "role", "timestamp")
        .with_row_index("row", offset=1)
        .sort("case_id", "timestamp", "row")
    )
    tables = [transition_table(t) for t in known.values()]
    empty_t = pl.DataFrame(
        schema={
            "template": pl.String,
            "state": pl.String,
            "activity": pl.String,
            "to": pl.String,
            "roles": pl.List(pl.String),
        }
    )
    table = pl.concat(tables) if tables else empty_t
    targets = table.select("template", "activity", "to").unique(["template", "activity"])
    info = pl.DataFrame(
        [(n, t.start, t.end_states()) for n, t in known.items()],
        schema={"template": pl.String, "start": pl.String, "ends": pl.List(pl.String)},
        orient="row",
    )
    skips = (
        pl.concat([_skips(t) for t in known.values()])
        if known
        else pl.DataFrame(
            schema={
                "template": pl.String,
                "state": pl.String,
                "activity": pl.String,
                "skipped": pl.List(pl.String),
                "skipped_zh": pl.List(pl.String),
            }
        )
    )
    labels = _labels(known)
    first = c("case_id") != c("case_id").shift(1)
    replay = (
        ev.join(targets, on=["template", "activity"], how="left", maintain_order="left")
        .join(info, on="template", how="left", maintain_order="left")
        .with_columns(
            first=first.fill_null(value=True),
            known_template=c("start").is_not_null(),
        )
        .with_columns(
            # the state after each event: its activity's target, carried over unknown ones
            after=pl.when(c("first")).then(pl.coalesce("to", "start")).otherwise(c("to")),
        )
        .with_columns(after=c("after").forward_fill().over("case_id"))
        .with_columns(
            state=pl.when(c("first")).then(c("start")).otherwise(c("after").shift(1)),
        )
        .join(
            table.select("template", "state", "activity", "roles"),
            on=["template", "state", "activity"],
            how="left",
            maintain_order="left",
        )
        .join(skips, on=["template", "state", "activity"], how="left", maintain_order="left")
        .with_columns(
            ended=c("ends").list.contains(c("state")).fill_null(value=False),
            allowed=c("roles").is_not_null(),
        )
    )
    code = (
        pl.when(~c("known_template"))
        .then(pl.when(c("first")).then(pl.lit("unknown-template")))
        .when(c("ended"))
        .then(pl.lit("event-after-close"))
        .when(c("to").is_null())
        .then(pl.lit("unknown-activity"))
        .when(~c("allowed") & c("first"))
        .then(pl.lit("not-started-at-start"))
        .when(~c("allowed") & c("skipped").is_not_null())
        .then(pl.lit("skipped-step"))
        .when(~c("allowed"))
        .then(pl.lit("undefined-transition"))
        .when(~c("roles").list.contains(c("role")))
        .then(pl.lit("wrong-role"))
    )
    found = replay.with_columns(code=code).filter(c("code").is_not_null())
    act_labels, state_labels = labels
    found = found.join(act_labels, on=["template", "activity"], how="left", maintain_order="left")
    found = found.join(state_labels, on=["template", "state"], how="left", maintain_order="left")
    return found.with_columns(_messages()).select(DEVIATION_COLUMNS)


def _labels(known: Mapping[str, Template]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Chinese labels of activities and of states."""
    acts: dict[tuple[str, str], str] = {}
    states: dict[tuple[str, str], str] = {}
    for n, t in known.items():
        for tr in t.transitions:
            acts.setdefault((n, tr.activity), tr.label_zh or tr.activity)
        for s, st in t.states.items():
            states[(n, s)] = st.label_zh or s

    def frame(rows: dict[tuple[str, str], str], key: str, label: str) -> pl.DataFrame:
        return pl.DataFrame(
            [(k[0], k[1], v) for k, v in rows.items()],
            schema={"template": pl.String, key: pl.String, label: pl.String},
            orient="row",
        )

    return frame(acts, "activity", "act_zh"), frame(states, "state", "state_zh")


def _messages() -> list[pl.Expr]:
    c = pl.col
    roles = c("roles").list.join(", ")
    skipped = c("skipped").list.join(" → ")
    skipped_zh = c("skipped_zh").list.join("」→「")
    act_zh = pl.coalesce("act_zh", "activity")
    state_zh = pl.coalesce("state_zh", "state")
    en = (
        pl.when(c("code") == "unknown-template")
        .then(pl.format("case uses template '{}', which was not given", c("template")))
        .when(c("code") == "event-after-close")
        .then(pl.format("'{}' after the case ended in state '{}'", c("activity"), c("state")))
        .when(c("code") == "unknown-activity")
        .then(pl.format("template '{}' has no activity '{}'", c("template"), c("activity")))
        .when(c("code") == "not-started-at-start")
        .then(
            pl.format(
                "the case starts with '{}', not with a step out of '{}'", c("activity"), c("state")
            )
        )
        .when(c("code") == "skipped-step")
        .then(pl.format("'{}' in state '{}' skips {}", c("activity"), c("state"), skipped))
        .when(c("code") == "undefined-transition")
        .then(pl.format("no transition '{}' from state '{}'", c("activity"), c("state")))
        .otherwise(pl.format("'{}' fired by role {}; allowed: {}", c("activity"), c("role"), roles))
    )
    zh = (
        pl.when(c("code") == "unknown-template")
        .then(pl.format("案件使用的流程模板 {} 未提供", c("template")))
        .when(c("code") == "event-after-close")
        .then(pl.format("案件已在「{}」结束后又出现「{}」", state_zh, act_zh))
        .when(c("code") == "unknown-activity")
        .then(pl.format("流程模板 {} 没有环节 {}", c("template"), c("activity")))
        .when(c("code") == "not-started-at-start")
        .then(pl.format("案件以「{}」开始，而不是从「{}」出发的环节", act_zh, state_zh))
        .when(c("code") == "skipped-step")
        .then(pl.format("在「{}」时执行「{}」，跳过了「{}」", state_zh, act_zh, skipped_zh))
        .when(c("code") == "undefined-transition")
        .then(pl.format("流程中没有从「{}」到「{}」的环节", state_zh, act_zh))
        .otherwise(pl.format("「{}」由角色 {} 执行，但只允许 {}", act_zh, c("role"), roles))
    )
    return [en.alias("message"), zh.alias("message_zh")]
