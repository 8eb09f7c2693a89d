"""Tests for gridgov.graph._names: how nodes and groups are named in sentences."""

from __future__ import annotations

import pytest

from gridgov.graph._names import describe, join, kind_names, plural, relation_label, who


@pytest.mark.parametrize(
    ("noun", "count", "expected"),
    [
        ("community", 2, "communities"),
        ("co-building unit", 3, "co-building units"),
        ("party member", 1, "party member"),
        ("street / town", 2, "street / towns"),
        ("property-management company", 2, "property-management companies"),
        ("box", 2, "boxes"),
        ("survey", 2, "surveys"),
    ],
)
def test_plural(noun: str, count: int, expected: str) -> None:
    assert plural(noun, count) == expected


def test_kind_names() -> None:
    assert kind_names({"kind": "co_building_unit"}) == ("co-building unit", "共驻共建单位")
    assert kind_names({"kind": "grid"}) == ("grid", "网格")
    assert kind_names({"kind": "joint_committee"}) == ("joint committee", "大党委")
    assert kind_names({"kind": "party_member"}) == ("party member", "党员")
    assert kind_names({"kind": "my_kind", "kind_zh": "自定义"}) == ("my kind", "自定义")
    assert kind_names({}) == ("node", "节点")


def test_who_describe_join() -> None:
    nodes = {
        "C1": {"kind": "community", "label": "光明社区"},
        "U1": {"kind": "co_building_unit", "label": "县医院"},
        "U2": {"kind": "co_building_unit"},
    }
    assert who(nodes["C1"], "C1", "en") == "community 光明社区"
    assert who(nodes["U2"], "U2", "zh") == "共驻共建单位U2"
    assert describe(nodes, ["U1"], "en") == "co-building unit 县医院"
    assert describe(nodes, ["C1", "U1", "U2"], "en", listed=2, rank={"U2": 5}) == (
        "the group of 2 co-building units, 1 community (U2, 光明社区, …)"
    )
    assert describe(nodes, ["C1", "U1"], "zh") == "光明社区、县医院（1个共驻共建单位、1个社区）"
    assert join(["a", "b", "c"], "en") == "a, b and c"
    assert join(["a", "b", "c"], "zh") == "a、b与c"
    assert join(["a"], "zh") == "a"


def test_relation_label() -> None:
    assert relation_label("covers", "zh") == "覆盖"
    assert relation_label("custom", "en") == "custom"
    assert relation_label(None, "en") == ""
    assert relation_label(3, "en") == "3"
