"""Tests for the gridgov.graph package: its public surface and what it imports."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import gridgov.graph as graph


def _run(code: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], check=True, capture_output=True, text=True
    ).stdout


def test_all_is_sorted_unique_and_complete() -> None:
    names = graph.__all__
    assert len(names) == len(set(names))
    upper = [n for n in names if n.isupper()]
    assert upper == sorted(upper)
    public = {n for n in vars(graph) if not n.startswith("_")}
    modules = {
        "views", "centrality", "brokerage", "projection", "components", "communities",
        "summary", "render", "export", "annotations",
    }  # fmt: skip
    assert public - modules == set(names)


def test_import_does_not_load_scipy_or_matplotlib() -> None:
    out = _run(
        """
        import sys
        import gridgov.graph
        print(" ".join(m for m in ("scipy", "matplotlib") if m in sys.modules))
        """
    )
    assert out.strip() == ""


def test_everything_but_projection_works_without_scipy() -> None:
    out = _run(
        """
        import sys
        sys.modules["scipy"] = None  # as if the [graph] extra were not installed
        from gridgov.graph import (
            betweenness, cobuilding, constraint, detect_communities, effective_size,
            governance_facts, hierarchy, project, to_mermaid, write_json, read_json,
            cobuilding_summary,
        )
        from gridgov.graph._demo import demo_structure
        from gridgov.errors import MissingExtraError
        import pathlib, tempfile
        s = demo_structure()
        G = cobuilding(s)
        assert betweenness(G)["C1"] > 0
        assert constraint(G)["U1"] == 1.0
        assert effective_size(G)["C1"] == 2.0
        assert detect_communities(G, seed=1)
        assert governance_facts(G)
        assert to_mermaid(hierarchy(s))
        assert cobuilding_summary(s).projects == 3
        p = write_json(G, pathlib.Path(tempfile.mkdtemp()) / "g.json")
        assert read_json(p).number_of_edges() == 2
        try:
            project(G, onto=1)
        except MissingExtraError as exc:
            print(exc)
        """
    )
    assert "pip install 'gridgov[graph]'" in out
