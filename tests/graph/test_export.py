"""Tests for gridgov.graph.export: GraphML, GEXF and node-link JSON keep every attribute."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gridgov.errors import DataFileError, GraphError, SaveError
from gridgov.graph import (
    appointments,
    cobuilding,
    from_node_link,
    hierarchy,
    joint_committees,
    read_gexf,
    read_graphml,
    read_json,
    supervision,
    to_node_link,
    write_gexf,
    write_graphml,
    write_json,
)
from gridgov.graph import export as export_module
from gridgov.org import Structure

Writer = Callable[[nx.Graph, Path], Path]
Reader = Callable[[Path], nx.Graph]
# privacy="full": these tests check that a file keeps *everything* (person nodes included);
# what each privacy level leaves out is tested in tests/io/test_privacy.py
FORMATS: list[tuple[str, Writer, Reader]] = [
    ("graphml", lambda G, p: write_graphml(G, p, privacy="full"), read_graphml),
    ("gexf", lambda G, p: write_gexf(G, p, privacy="full"), read_gexf),
    ("json", lambda G, p: write_json(G, p, privacy="full"), read_json),
]
formats = pytest.mark.parametrize(("suffix", "write", "read"), FORMATS, ids=[f[0] for f in FORMATS])


def assert_same(G: nx.Graph, H: nx.Graph) -> None:
    """Same class, graph attributes, nodes, edges (keys too) and attributes, with types."""
    assert type(H) is type(G)
    assert _typed(H.graph) == _typed(G.graph)
    assert {n: _typed(d) for n, d in H.nodes(data=True)} == {
        n: _typed(d) for n, d in G.nodes(data=True)
    }
    if G.is_multigraph():
        got = {(u, v, k): _typed(d) for u, v, k, d in H.edges(keys=True, data=True)}
        want = {(u, v, k): _typed(d) for u, v, k, d in G.edges(keys=True, data=True)}
    else:
        got = {_pair(G, u, v): _typed(d) for u, v, d in H.edges(data=True)}
        want = {_pair(G, u, v): _typed(d) for u, v, d in G.edges(data=True)}
    assert got == want


def _pair(G: nx.Graph, u: Any, v: Any) -> Any:
    return (u, v) if G.is_directed() else frozenset((u, v))


def _typed(value: Any) -> Any:
    """``value`` with the type of every part made explicit (so 1 != 1.0 != True)."""
    if isinstance(value, dict):
        return ("dict", tuple((_typed(k), _typed(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return (type(value).__name__, tuple(_typed(v) for v in value))
    if isinstance(value, set | frozenset):
        return (type(value).__name__, frozenset(_typed(v) for v in value))
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    return (type(value).__name__, value)


def _views(s: Structure) -> list[nx.Graph]:
    return [
        hierarchy(s, include_households=True),
        hierarchy(s, as_of=dt.date(2024, 3, 1)),
        cobuilding(s),
        appointments(s),
        joint_committees(s),
        supervision(s),
    ]


@formats
def test_views_round_trip(
    demo: Structure, tmp_path: Path, suffix: str, write: Writer, read: Reader
) -> None:
    for k, G in enumerate(_views(demo)):
        path = write(G, tmp_path / f"view{k}.{suffix}")
        assert_same(G, read(path))


@formats
def test_huanan_cobuilding_round_trip(
    huanan: Structure, tmp_path: Path, suffix: str, write: Writer, read: Reader
) -> None:
    G = cobuilding(huanan)
    assert_same(G, read(write(G, tmp_path / f"huanan.{suffix}")))


# -- awkward values, names, ids and keys ------------------------------------------------------

scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=8)
    | st.sampled_from(["gridgov+json:[1]", "$date", "a\tb\nc\r", "  spaced  ", "", "\x00\x7f"])
    | st.sampled_from(["\ufffe", "x\uffffy", "é\x85"])
    | st.dates()
    | st.datetimes()
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.tuples(inner, inner)
        | st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=4) | st.sampled_from(["$list", "$x"]), inner, max_size=3)
        | st.dictionaries(st.integers(0, 3), inner, max_size=2)
        | st.frozensets(st.integers(0, 5) | st.text(max_size=3), max_size=3)
        | st.sets(st.integers(0, 5), max_size=3)
    ),
    max_leaves=8,
)
names = st.text(min_size=1, max_size=6) | st.sampled_from(
    [
        *("label", "id", "start", "end", "weight", "type", "key", "source", "target", "pid"),
        *("viz", "spells", "networkx_key", "gridgov:meta", "gridgov:edgekey", "gridgov:x"),
        *("node_default", 'gridgov+json:"x"', 'gridgov:gridgov+json:"y"', "tab\tname", "\uffff"),
    ]
)
attrs = st.dictionaries(names, values, max_size=4)
node_ids = (
    st.text(min_size=1, max_size=6)
    | st.integers(-5, 5)
    | st.tuples(st.integers(0, 3), st.text(max_size=2))
    | st.sampled_from(["gridgov+json:1", "a b", "x\ny", "\ufffe"])
)


@st.composite
def graphs(draw: st.DrawFn) -> nx.Graph:
    directed, multi = draw(st.booleans()), draw(st.booleans())
    G = export_module._new_graph(directed, multi)
    G.graph.update(draw(attrs))
    for n in draw(st.lists(node_ids, max_size=5, unique=True)):
        G.add_node(n, **draw(attrs))
    nodes = list(G)
    if nodes:
        for _ in range(draw(st.integers(0, 6))):
            u, v = draw(st.sampled_from(nodes)), draw(st.sampled_from(nodes))
            data = draw(attrs)
            if multi:
                G.add_edges_from([(u, v, draw(st.integers(0, 2) | st.text(max_size=3)), data)])
            else:
                G.add_edge(u, v, **data)
    return G


@pytest.mark.parametrize(("suffix", "write", "read"), FORMATS, ids=[f[0] for f in FORMATS])
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(G=graphs())
def test_any_graph_round_trips(
    tmp_path: Path, suffix: str, write: Writer, read: Reader, G: nx.Graph
) -> None:
    assert_same(G, read(write(G, tmp_path / f"any.{suffix}")))


def test_nan_and_infinity_round_trip(tmp_path: Path) -> None:
    G = nx.Graph(x=math.inf)
    G.add_node("a", score=math.nan, mixed=(math.nan, -math.inf))
    for _, write, read in FORMATS:
        H = read(write(G, tmp_path / "nan.out"))
        assert math.isnan(H.nodes["a"]["score"])
        assert math.isnan(H.nodes["a"]["mixed"][0])
        assert H.nodes["a"]["mixed"][1] == -math.inf
        assert H.graph["x"] == math.inf


def test_native_attributes_for_other_tools(demo: Structure, tmp_path: Path) -> None:
    G = cobuilding(demo)
    # GraphML: plain attributes stay plain for yEd, Gephi, Cytoscape; tuples become JSON text
    plain = nx.read_graphml(write_graphml(G, tmp_path / "c.graphml"))
    assert plain.nodes["C1"]["label"] == "光明社区"
    assert plain.nodes["C1"]["bipartite"] == 1
    assert plain["U1"]["C1"]["weight"] == 1
    assert plain["U1"]["C1"]["agreements"] == 'gridgov+json:["AG1"]'
    # GEXF: a node's label and an edge's weight are GEXF's own
    gexf = nx.read_gexf(write_gexf(G, tmp_path / "c.gexf"))
    assert gexf.nodes["C1"]["label"] == "光明社区"
    assert gexf["U1"]["C1"]["weight"] == 1.0
    # node-link JSON: readable by networkx, tuples as arrays, dates tagged
    data = json.loads(write_json(G, tmp_path / "c.json").read_text(encoding="utf-8"))
    foreign = nx.node_link_graph(data, edges="edges")
    assert foreign["U1"]["C1"]["agreements"] == ["AG1"]
    assert foreign["U1"]["C1"]["starts"] == [{"$date": "2024-01-01"}]


def test_files_from_other_tools(tmp_path: Path) -> None:
    G = nx.karate_club_graph()
    nx.write_graphml(G, tmp_path / "k.graphml")
    nx.write_gexf(G, tmp_path / "k.gexf")
    (tmp_path / "k.json").write_text(json.dumps(nx.node_link_data(G, edges="links")))
    want = nx.read_graphml(tmp_path / "k.graphml")
    for empty in ("node_default", "edge_default"):  # networkx's reader adds these, empty
        assert want.graph.pop(empty) == {}
    assert_same(want, read_graphml(tmp_path / "k.graphml"))
    assert sorted(read_gexf(tmp_path / "k.gexf").edges()) == sorted(
        nx.read_gexf(tmp_path / "k.gexf").edges()
    )
    assert_same(G, read_json(tmp_path / "k.json"))
    M = nx.MultiGraph([("a", "b"), ("a", "b")])
    nx.write_graphml(M, tmp_path / "m.graphml")
    assert read_graphml(tmp_path / "m.graphml").number_of_edges("a", "b") == 2


def test_node_link_in_memory() -> None:
    G = nx.DiGraph([("a", "b", {"id": 1, "source": "x", "key": (1,)})])
    G.nodes["a"]["id"] = "not the node id"
    data = to_node_link(G)
    assert data["edges"][0]["source"] == "a"
    assert data["edges"][0]["gridgov:source"] == "x"
    assert data["nodes"][0] == {"id": "a", "gridgov:id": "not the node id"}
    assert_same(G, from_node_link(json.loads(json.dumps(data))))
    with pytest.raises(GraphError, match="not node-link data"):
        from_node_link({"gridgov": {}, "nodes": [{"label": "no id"}], "edges": []})


def test_unexportable_values_and_names(tmp_path: Path) -> None:
    G = nx.Graph()
    G.add_node("a", thing=object())
    for _, write, _ in FORMATS:
        with pytest.raises(GraphError, match="cannot export a value of type object"):
            write(G, tmp_path / "bad.out")
    H = nx.Graph()
    H.add_node("a", ok=1)
    H.nodes["a"][3] = "x"  # a non-string attribute name
    with pytest.raises(GraphError, match="attribute names must be strings"):
        write_graphml(H, tmp_path / "bad.graphml")
    assert not list(tmp_path.iterdir())  # nothing half-written is left behind


# -- files: atomic writes and readable errors -------------------------------------------------


@formats
def test_failed_write_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str, write: Writer, read: Reader
) -> None:
    path = tmp_path / f"g.{suffix}"
    write(nx.path_graph(["a", "b"]), path)
    before = path.read_bytes()

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.fsync", broken_fsync)
    with pytest.raises(SaveError, match="previous file kept"):
        write(nx.path_graph(["x", "y", "z"]), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_write_into_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(SaveError, match="cannot write here"):
        write_json(nx.Graph(), tmp_path / "no" / "such" / "g.json")


def test_permissions_follow_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "g.json"
    path.write_text("{}")
    path.chmod(0o640)
    write_json(nx.Graph(), path)
    assert path.stat().st_mode & 0o777 == 0o640


@formats
def test_unreadable_files(tmp_path: Path, suffix: str, write: Writer, read: Reader) -> None:
    with pytest.raises(DataFileError, match="no such file"):
        read(tmp_path / f"missing.{suffix}")
    bad = tmp_path / f"bad.{suffix}"
    bad.write_text("this is not a graph <<<")
    with pytest.raises(DataFileError, match=rf"bad\.{suffix}: not a readable"):
        read(bad)


def test_json_must_be_an_object(tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    path.write_text("[1, 2]")
    with pytest.raises(DataFileError, match="must be an object"):
        read_json(path)
