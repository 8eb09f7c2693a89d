"""Tests for gridgov.graph.render: Mermaid and DOT text, and the matplotlib drawing."""

from __future__ import annotations

import sys

import matplotlib
import networkx as nx
import pytest

from gridgov.errors import GraphError, MissingExtraError
from gridgov.graph import (
    cobuilding,
    draw_cobuilding,
    hierarchy,
    joint_committees,
    to_dot,
    to_mermaid,
)
from gridgov.graph import render as render_module
from gridgov.org import Structure

matplotlib.use("Agg")


def test_mermaid_of_the_hierarchy(demo: Structure) -> None:
    text = to_mermaid(hierarchy(demo))
    lines = text.splitlines()
    assert lines[0] == "flowchart TD"
    ids = {n: f"n{i}" for i, n in enumerate(hierarchy(demo))}
    assert f'    {ids["S1"]}["桂花桥街道 (street / town)"]' in lines
    assert f'    {ids["WC1"]}("社区党工委 (party working committee)")' in lines
    assert f"    {ids['S1']} -->|contains| {ids['C1']}" in lines
    zh = to_mermaid(hierarchy(demo), lang="zh", direction="LR")
    assert zh.startswith("flowchart LR")
    assert f"    {ids['GPG1']} -->|覆盖| {ids['G1']}" in zh.splitlines()
    assert '"光明社区 (社区)"' in zh


def test_mermaid_shapes_and_escaping(demo: Structure) -> None:
    G = nx.Graph()
    G.add_node("x", label='say "hi" <b> | me', entity="joint_committee")
    G.add_node("y", entity="person", label="李红")
    G.add_edge("x", "y", relation="member", weight=3)
    text = to_mermaid(G)
    assert '    n0{{"say #quot;hi#quot; #lt;b#gt; #124; me"}}' in text
    assert '    n1(["李红"])' in text
    assert "    n0 ---|member unit ×3| n1" in text
    jc = to_mermaid(joint_committees(demo))
    assert "{{" in jc


def test_dot_text(demo: Structure) -> None:
    text = to_dot(hierarchy(demo), lang="zh")
    assert text.startswith('digraph "demo" {')
    assert '    "C1" [label="光明社区 (社区)", shape=box];' in text
    assert '    "WC1" -> "PB1" [label="领导"];' in text
    assert text.endswith("}")
    two_mode = to_dot(nx.complete_bipartite_graph(1, 1))
    assert two_mode.startswith('graph "complete_bipartite_graph(1, 1)" {')
    assert '"1" [shape=box]' in two_mode
    assert '"0" -- "1";' in two_mode
    tricky = to_dot(nx.DiGraph([("a\\b", "c\nd")]))
    assert r'"a\\b" -> "c\nd";' in tricky


def test_size_limit() -> None:
    G = nx.path_graph(5)
    with pytest.raises(GraphError, match="max_nodes=4"):
        to_mermaid(G, max_nodes=4)
    with pytest.raises(GraphError, match="too many"):
        to_dot(G, max_nodes=2)


def test_draw_cobuilding(demo: Structure) -> None:
    import matplotlib.pyplot as plt

    ax = draw_cobuilding(demo, seed=1)
    try:
        assert ax.get_legend() is not None
        texts = {t.get_text() for t in ax.texts}
        # community names are shown, as names if a Chinese font is installed, else as ids
        assert texts in ({"光明社区", "和平社区"}, {"C1", "C2"})
        assert "co-building network" in ax.get_title()
    finally:
        plt.close("all")
    fig, axes = plt.subplots(1, 2)
    try:
        G = cobuilding(demo)
        assert draw_cobuilding(G, axes[0], labels="all", lang="zh") is axes[0]
        assert len(axes[0].texts) == len(G)
        draw_cobuilding(G, axes[1], labels="none")
        assert len(axes[1].texts) == 0
    finally:
        plt.close(fig)


def test_draw_without_a_chinese_font_shows_ids(
    demo: Structure, monkeypatch: pytest.MonkeyPatch
) -> None:
    import matplotlib.pyplot as plt

    monkeypatch.setattr(render_module, "_cjk_font", lambda: None)
    ax = draw_cobuilding(demo, labels="all")
    try:
        assert {t.get_text() for t in ax.texts} == {"U1", "U2", "C1", "C2"}
        assert ax.get_title() == "demo co-building network"
    finally:
        plt.close("all")


def test_draw_without_matplotlib(demo: Structure, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(MissingExtraError, match=r"gridgov\[plot\]"):
        draw_cobuilding(demo)
