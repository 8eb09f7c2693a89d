"""Tests for gridgov.service.conformance: injected deviations are found, clean logs pass."""

from __future__ import annotations

import datetime as dt
from typing import Any

import networkx as nx
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gridgov.service.conformance import DEVIATION_COLUMNS, conformance, transition_table
from gridgov.service.sample import sample_log
from gridgov.service.workflow import Template, load_template, template_names

ALL = [
    *template_names(),
    "four_lists:youyi",
    "four_lists:huanan",
    "whistle:youyi",
    "whistle:huanan",
]


def naive(events: pl.DataFrame, templates: dict[str, Template]) -> set[tuple[str, str, str]]:
    """The deviations found by replaying each case event by event (the reference)."""
    out = set()
    rows = sorted(
        enumerate(events.iter_rows(named=True)),
        key=lambda x: (x[1]["case_id"], x[1]["timestamp"], x[0]),
    )
    state: dict[str, str] = {}
    for _, r in rows:
        t = templates.get(r["template"])
        cid = r["case_id"]
        first = cid not in state
        if t is None:
            if first:
                out.add((cid, r["event_id"], "unknown-template"))
            state[cid] = ""
            continue
        here = t.start if first else state[cid]
        direct = [tr for tr in t.transitions if tr.activity == r["activity"] and here in tr.from_]
        acts = {tr.activity for tr in t.transitions}
        g = t.graph()
        code = None
        if here in t.end_states():
            code = "event-after-close"
        elif r["activity"] not in acts:
            code = "unknown-activity"
        elif not direct and first:
            code = "not-started-at-start"
        elif not direct:
            froms = {f for tr in t.transitions if tr.activity == r["activity"] for f in tr.from_}
            later = any(f != here and nx.has_path(g, here, f) for f in froms)
            code = "skipped-step" if later else "undefined-transition"
        elif r["role"] not in {x for tr in direct for x in tr.roles}:
            code = "wrong-role"
        if code:
            out.add((cid, r["event_id"], code))
        state[cid] = t.target(r["activity"]) if r["activity"] in acts else here
    return out


def found(events: pl.DataFrame, templates: Any = None) -> set[tuple[str, str, str]]:
    d = conformance(events, templates)
    assert d.columns == list(DEVIATION_COLUMNS)
    assert d.get_column("message").null_count() == 0
    assert d.get_column("message_zh").null_count() == 0
    return set(d.select("case_id", "event_id", "code").iter_rows())


@pytest.mark.parametrize("name", ALL)
def test_clean_logs_have_no_deviation(name: str) -> None:
    assert conformance(sample_log([name], cases=200, seed=7)).height == 0


def _case(log: pl.DataFrame, k: int) -> pl.DataFrame:
    cid = log.get_column("case_id").unique(maintain_order=True)[
        k % log.get_column("case_id").n_unique()
    ]
    return log.filter(pl.col("case_id") == cid)


def test_each_injected_deviation_is_found_exactly() -> None:
    log = sample_log(["urban_case"], cases=5, seed=3)
    c0 = _case(log, 0)
    ids = c0.get_column("event_id").to_list()
    hour = dt.timedelta(hours=1)
    last = c0.tail(1)
    cases = {
        # wrong role on the second event (立案 by a collector)
        "wrong-role": log.with_columns(
            role=pl.when(pl.col("event_id") == ids[1]).then(pl.lit("collector")).otherwise("role")
        ),
        # the first event (信息收集) removed: the case starts at 立案
        "not-started-at-start": log.filter(pl.col("event_id") != ids[0]),
        # an event after 结案
        "event-after-close": pl.concat(
            [
                log,
                last.with_columns(
                    event_id=pl.lit("late"),
                    activity=pl.lit("handle"),
                    timestamp=pl.col("timestamp") + hour,
                ),
            ]
        ),
        # an activity the template lacks, between two steps
        "unknown-activity": pl.concat(
            [
                log,
                c0.slice(1, 1).with_columns(
                    event_id=pl.lit("odd"),
                    activity=pl.lit("bribe"),
                    timestamp=pl.col("timestamp") + dt.timedelta(microseconds=1),
                ),
            ]
        ),
        # the case's template not given
        "unknown-template": log.with_columns(
            template=pl.when(pl.col("case_id") == c0.item(0, "case_id"))
            .then(pl.lit("nope"))
            .otherwise("template")
        ),
    }
    for code, bad in cases.items():
        got = found(bad)
        assert {g[2] for g in got} == {code}, code
        assert got == naive(bad, {"urban_case": load_template("urban_case")})


def test_skipped_step_lists_the_steps_skipped() -> None:
    log = sample_log(["hotline_12345"], cases=40, seed=5)
    case = next(
        _case(log, k)
        for k in range(40)
        if _case(log, k).get_column("activity").to_list()[:4]
        == ["accept", "dispatch", "sign", "contact"]
    )
    dropped = case.item(1, "event_id"), case.item(2, "event_id")  # 派单 and 签收
    d = conformance(log.filter(~pl.col("event_id").is_in(dropped)))
    assert d.select("activity", "code").rows() == [("contact", "skipped-step")]
    assert d.item(0, "message").endswith("skips dispatch → sign")
    assert "跳过" in d.item(0, "message_zh")


def test_going_backwards_is_an_undefined_transition() -> None:
    log = sample_log(["four_lists:youyi"], cases=3, seed=1)
    case = _case(log, 0)
    back = case.slice(3, 1).with_columns(  # 'order' again, after 接单
        event_id=pl.lit("again"),
        activity=pl.lit("order"),
        role=pl.lit("resident"),
        timestamp=pl.col("timestamp") + pl.duration(seconds=1),
    )
    d = conformance(pl.concat([log, back]), ["four_lists:youyi"])
    assert d.filter(pl.col("event_id") == "again").item(0, "code") == "undefined-transition"


def test_variants_are_told_apart() -> None:
    huanan = sample_log(["four_lists:huanan"], cases=30, seed=2)
    assert conformance(huanan).height == 0
    as_youyi = huanan.with_columns(template=pl.lit("four_lists:youyi"))
    assert set(conformance(as_youyi).get_column("code")) == {"wrong-role", "unknown-activity"}


def test_transition_table_merges_roles_across_variants() -> None:
    t = transition_table(load_template("four_lists"))
    order = t.filter(pl.col("activity") == "order")
    assert order.select("state", "to", "roles").rows() == [
        ("new", "ordered", ["community", "resident"])
    ]


OPS = st.sampled_from(["drop", "role", "activity", "append", "template", "swap"])


@given(
    seed=st.integers(0, 10_000),
    name=st.sampled_from(ALL),
    edits=st.lists(st.tuples(OPS, st.integers(0, 10_000), st.integers(0, 10_000)), max_size=6),
)
def test_vectorised_replay_equals_a_naive_replay(
    seed: int, name: str, edits: list[tuple[str, int, int]]
) -> None:
    log = sample_log([name], cases=6, seed=seed)
    t = load_template(name)
    acts = [*t.activities(), "teleport"]
    roles = [*t.roles, "intruder"]
    for op, i, j in edits:
        if log.height == 0:
            break
        k = i % log.height
        idx = pl.int_range(pl.len()) == k
        if op == "drop":
            log = log.filter(~idx)
        elif op == "role":
            log = log.with_columns(
                role=pl.when(idx).then(pl.lit(roles[j % len(roles)])).otherwise("role")
            )
        elif op == "activity":
            log = log.with_columns(
                activity=pl.when(idx).then(pl.lit(acts[j % len(acts)])).otherwise("activity")
            )
        elif op == "append":
            log = pl.concat(
                [
                    log,
                    log.slice(k, 1).with_columns(
                        event_id=pl.lit(f"x{len(edits)}-{i}-{j}"),
                        activity=pl.lit(acts[j % len(acts)]),
                        timestamp=pl.col("timestamp") + pl.duration(minutes=1 + j % 500),
                    ),
                ]
            ).unique("event_id", keep="first", maintain_order=True)
        elif op == "template":
            log = log.with_columns(
                template=pl.when(idx).then(pl.lit("ghost")).otherwise("template")
            )
            cid = log.item(k, "case_id")
            log = log.with_columns(
                template=pl.when(pl.col("case_id") == cid)
                .then(pl.lit("ghost"))
                .otherwise("template")
            )
        else:
            m = j % log.height
            ts = log.get_column("timestamp")
            log = log.with_columns(
                timestamp=pl.when(idx)
                .then(pl.lit(ts[m]))
                .when(pl.int_range(pl.len()) == m)
                .then(pl.lit(ts[k]))
                .otherwise("timestamp")
            )
            # keep the log valid: a swap across cases may not put a case out of order
            log = log.sort("case_id", "timestamp", maintain_order=True)
    assert found(log, [name]) == naive(log, {t.name: t})
