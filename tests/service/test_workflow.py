"""Tests for gridgov.service.workflow: shipped templates, loading, static checks."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gridgov.errors import ServiceError, TemplateError
from gridgov.service.limits import Limit, LimitUnit
from gridgov.service.workflow import (
    Template,
    check_template,
    load_template,
    template_names,
)

SHIPPED = ["four_lists", "hotline_12345", "urban_case", "whistle"]


def test_template_names_lists_the_four_shipped_templates() -> None:
    assert template_names() == SHIPPED


@pytest.mark.parametrize("name", SHIPPED)
def test_each_shipped_template_passes_its_checks_and_is_sourced(name: str) -> None:
    t = load_template(name)
    assert check_template(t) is t
    assert t.label_zh
    assert t.source
    for part in (*t.states.values(), *t.transitions, *t.roles.values(), *t.kinds.values()):
        assert part.source
        assert part.confidence in {"verified", "secondary", "assumed"}
        assert part.label_zh
    for d in t.deadlines:
        Limit.parse(d.limit)
    for variant in t.variants:
        assert load_template(f"{name}:{variant}").variant == variant


def test_four_lists_carries_youyi_kinds_and_both_variants() -> None:
    t = load_template("four_lists")
    # seed report, 友谊县: 政策宣传246次、健康科普41次、安全检查81次、扶贫帮困53次、文艺汇演20次
    assert {"policy_talk", "health", "safety_check", "relief", "performance"} <= set(t.kinds)
    youyi, huanan = t.restrict("youyi"), t.restrict("huanan")
    assert [tr.roles for tr in youyi.transitions if tr.activity == "order"] == [("resident",)]
    assert [tr.roles for tr in huanan.transitions if tr.activity == "dispatch"] == [
        ("organisation",)
    ]
    assert "rated" in youyi.states
    assert "rated" not in huanan.states


def test_deadline_prefers_the_most_specific_entry() -> None:
    t = load_template("urban_case")
    assert t.deadline("close", kind="component", urgency="normal").limit == "3 working days"  # type: ignore[union-attr]
    assert t.deadline("close", kind="event", urgency="urgent").limit == "4 working hours"  # type: ignore[union-attr]
    assert t.deadline("dispatch", kind="event", urgency="urgent").limit == "1 hours"  # type: ignore[union-attr]
    assert t.deadline("handle", kind="event", urgency="normal") is None


def test_template_graph_and_pauses() -> None:
    t = load_template("urban_case")
    g = t.graph()
    assert set(g) == set(t.states)
    assert t.pause_states() == ["postponed", "shelved"]
    assert t.end_states() == ["closed", "discarded"]
    assert t.target("rework") == "handling"


def test_unknown_names_say_what_is_known() -> None:
    with pytest.raises(TemplateError, match="did you mean 'urban_case'") as info:
        load_template("urban_cas")
    assert info.value.codes == ["unknown-template"]
    assert isinstance(info.value, ServiceError)
    with pytest.raises(TemplateError, match="known: huanan, youyi"):
        load_template("four_lists:beijing")
    with pytest.raises(TemplateError, match="unknown-activity"):
        load_template("urban_case").target("fly")


def test_deadline_limits_are_read_by_limit() -> None:
    data = load_template("whistle").model_dump(mode="json", by_alias=True, exclude_none=True)
    data["deadlines"][0]["limit"] = "two days"
    with pytest.raises(TemplateError) as info:
        load_template(data)
    assert info.value.codes == ["invalid-field"]
    assert "deadlines.0.limit" in info.value.problems[0].location
    data["deadlines"][0]["limit"] = "3个工作日"
    assert Limit.parse(load_template(data).deadlines[0].limit) == Limit(3, LimitUnit.WORKING_DAYS)


def test_user_file_loads_and_malformed_file_lists_every_field(tmp_path: Path) -> None:
    shipped = load_template("whistle").model_dump(by_alias=True, exclude_none=True)
    good = tmp_path / "mine.json"
    import json

    good.write_text(json.dumps({**shipped, "name": "mine"}), encoding="utf-8")
    assert load_template(good).name == "mine"
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "bad"\nstart = 3\n', encoding="utf-8")
    with pytest.raises(TemplateError) as info:
        load_template(bad)
    assert set(info.value.codes) == {"invalid-field"}
    assert len(info.value.problems) >= 5  # start, source, confidence, kinds, roles, states …
    with pytest.raises(TemplateError, match="no such file"):
        load_template(tmp_path / "missing.toml")
    (tmp_path / "garbled.toml").write_text("name = [", encoding="utf-8")
    with pytest.raises(TemplateError, match="not valid TOML"):
        load_template(tmp_path / "garbled.toml")


# -- broken templates, generated ----------------------------------------------------------------
SRC = {"source": "test", "confidence": "assumed"}


def _data(name: str) -> dict[str, Any]:
    return copy.deepcopy(
        load_template(name).model_dump(mode="json", by_alias=True, exclude_none=True)
    )


def _break(data: dict[str, Any], code: str, pick: int) -> dict[str, Any]:
    """Damage a valid template's data so that it must fail with ``code``."""
    states, trans, deadlines = data["states"], data["transitions"], data["deadlines"]
    names = sorted(states)
    live = [s for s in names if not states[s].get("end")]
    ends = [s for s in names if states[s].get("end")]
    tr = trans[pick % len(trans)]
    if code == "unreachable-state":
        states["orphan"] = {"label_zh": "孤", "end": True, **SRC}
    elif code == "cannot-end":
        states["trap"] = {"label_zh": "陷", "owner": tr["roles"][0], **SRC}
        trans.append(
            {
                "activity": "fall",
                "from": [live[pick % len(live)]],
                "to": "trap",
                "roles": tr["roles"],
                "label_zh": "落",
                **SRC,
            }
        )
    elif code == "deadline-unowned":
        d = deadlines[pick % len(deadlines)]
        src = next(t for t in trans if t["activity"] == d["activity"])["from"][0]
        states[src]["owner"] = None
    elif code == "unknown-role":
        tr["roles"] = [*tr["roles"], "ghost"]
    elif code == "unknown-state":
        tr["to"] = "nowhere"
    elif code == "transition-from-end":
        trans.append(
            {
                "activity": "reopen",
                "from": [ends[pick % len(ends)]],
                "to": data["start"],
                "roles": tr["roles"],
                "label_zh": "重开",
                **SRC,
            }
        )
    elif code == "ambiguous-activity":
        other = next(s for s in names if s != tr["to"] and s != data["start"])
        trans.append({**tr, "to": other, "from": list(tr["from"])})
    elif code == "unknown-activity":
        deadlines[pick % len(deadlines)]["since"] = "teleport"
    elif code == "duplicate-deadline":
        deadlines.append(dict(deadlines[pick % len(deadlines)]))
    elif code == "unknown-kind":
        deadlines[pick % len(deadlines)]["kind"] = "unicorn"
    elif code == "no-end-state":
        for s in ends:
            states[s]["end"] = False
    elif code == "unknown-variant":
        tr["variants"] = ["atlantis"]
    return data


BREAKS = [
    "unreachable-state",
    "cannot-end",
    "deadline-unowned",
    "unknown-role",
    "unknown-state",
    "transition-from-end",
    "ambiguous-activity",
    "unknown-activity",
    "duplicate-deadline",
    "unknown-kind",
    "no-end-state",
    "unknown-variant",
]


@given(name=st.sampled_from(SHIPPED), code=st.sampled_from(BREAKS), pick=st.integers(0, 50))
def test_each_kind_of_broken_template_is_rejected_with_its_code(
    name: str, code: str, pick: int
) -> None:
    data = _break(_data(name), code, pick)
    with pytest.raises(TemplateError) as info:
        load_template(data)
    assert code in info.value.codes
    assert all(p.location.startswith("template:") for p in info.value.problems)


# damages that do not undo one another, to check that problems are all reported together
INDEPENDENT = [
    "unreachable-state",
    "deadline-unowned",
    "unknown-role",
    "unknown-activity",
    "unknown-variant",
]


@given(name=st.sampled_from(SHIPPED), codes=st.sets(st.sampled_from(INDEPENDENT), min_size=2))
def test_every_problem_is_reported_at_once(name: str, codes: set[str]) -> None:
    data = _data(name)
    for i, code in enumerate(sorted(codes)):
        data = _break(data, code, i)
    with pytest.raises(TemplateError) as info:
        check_template(Template.model_validate(data))
    assert codes <= set(info.value.codes)


def test_roles_can_be_restricted_by_a_profile_list() -> None:
    t = load_template("whistle")
    with pytest.raises(TemplateError) as info:
        check_template(t, roles=["grid", "street", "community", "department"])
    assert set(info.value.codes) == {"unknown-role"}
