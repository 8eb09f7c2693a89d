"""Tests for gridgov.graph._attrs: the documented keys are the keys the views use."""

from __future__ import annotations

import networkx as nx

import gridgov.graph._attrs as attrs
from gridgov.graph import (
    Entity,
    Relation,
    appointments,
    cobuilding,
    hierarchy,
    joint_committees,
    supervision,
)
from gridgov.org import Structure

CONSTANTS = {name: getattr(attrs, name) for name in attrs.__all__ if name.isupper()}


def test_constants_are_unique_lowercase_keys() -> None:
    values = list(CONSTANTS.values())
    assert len(values) == len(set(values))
    for name, value in CONSTANTS.items():
        assert value == name.lower(), name


def test_vocabularies_are_bilingual() -> None:
    for member in [*Entity, *Relation]:
        assert member.label_en
        assert member.label_zh
        assert not member.label_zh.isascii()


def _views(s: Structure) -> list[nx.Graph]:
    return [
        hierarchy(s, include_households=True),
        cobuilding(s),
        appointments(s),
        joint_committees(s),
        supervision(s),
    ]


def test_views_use_only_documented_keys(demo: Structure) -> None:
    documented = set(CONSTANTS.values())
    relations = {r.value for r in Relation}
    for G in _views(demo):
        for _, data in G.nodes(data=True):
            assert set(data) <= documented
            assert data[attrs.ENTITY] in {e.value for e in Entity}
        for *_, data in G.edges(data=True):
            assert set(data) <= documented
            assert data[attrs.RELATION] in relations
        assert set(G.graph) <= documented


def test_views_store_plain_values(demo: Structure) -> None:
    plain = (str, int, float, bool, tuple)
    for G in _views(demo):
        for _, data in G.nodes(data=True):
            assert all(type(v) in plain for v in data.values()), data
        for *_, data in G.edges(data=True):
            assert all(v is not None for v in data.values()), data
            assert all(type(v) in plain or v.__class__.__name__ == "date" for v in data.values())
