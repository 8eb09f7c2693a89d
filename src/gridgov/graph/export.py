r"""Export and import graphs as GraphML, GEXF and node-link JSON, keeping every attribute.

GraphML and GEXF hold only strings, integers, floats and booleans, and GEXF reserves some
attribute names (``label``, ``start``, ``end``, ``weight``…) for its own purposes; gridgov's
views carry dates, ``None``-free tuples and nested tuples (chair terms). So values and names
are encoded by a fixed convention, and decoded on reading, so that ``read_*(write_*(G))``
gives back a graph equal to ``G``: same class (directed or not, multigraph or not), nodes,
edges, multigraph keys, and node, edge and graph attributes with their Python types.

The convention
--------------
*Tagged JSON.* A value is written as JSON with these tags: a tuple is a JSON array; a list
is ``{"$list": [...]}``; a ``datetime.date`` is ``{"$date": "2024-01-31"}`` and a
``datetime.datetime`` ``{"$datetime": "<ISO 8601>"}``; a set ``{"$set": [...]}`` and a
frozenset ``{"$frozenset": [...]}``; a dict with string keys none of which starts with
``$`` is a JSON object, any other dict ``{"$dict": [[key, value], ...]}``; ``None``,
booleans, integers, floats (``NaN`` and ``Infinity`` as Python's :mod:`json` writes them)
and strings are themselves. Enum members are written as their value and numpy scalars as
Python numbers (their types are not kept).

*GraphML and GEXF.* An attribute whose values are all of one type among ``bool``, ``int``,
``float`` and ``str`` is written natively (so Gephi, yEd or Cytoscape read it as such),
except strings that contain a control character (``\t``, ``\n``…, which XML normalises)
or begin with the marker below. Every value of any other attribute is written as the
string ``"gridgov+json:"`` followed by its tagged JSON. Node ids and multigraph keys that
are not such plain strings are written the same way. An attribute name that starts with
``gridgov:``, or that the format reserves (GEXF: ``id``, ``label``, ``pid``, ``start``,
``end``, ``viz``, ``parents``, ``spells``, ``slices``, ``weight``, ``type``, ``key``,
``networkx_key``; GraphML graph attributes: ``id``, ``node_default``, ``edge_default``),
is written with the prefix ``gridgov:``; a name XML cannot hold (a control character) as
the prefix and a marker string. The file also records ``gridgov:meta`` (format
version, multigraph flag; multigraph keys in the edge attribute ``gridgov:edgekey``); in
GEXF, which has no graph attributes, the graph's attributes go in ``<meta><description>``.
GEXF still shows a node's ``label`` and an edge's numeric ``weight`` natively, for viewers.

*Node-link JSON* is networkx's format (``directed``, ``multigraph``, ``graph``, ``nodes``
with ``id``, ``edges`` with ``source``, ``target`` and ``key``) with tagged-JSON values and
a ``"gridgov"`` header; attribute names ``id`` (nodes), ``source``, ``target``, ``key``
(edges) and names starting with ``gridgov:`` get the ``gridgov:`` prefix.

Files written by other tools are read as networkx reads them, with marker strings decoded.

Writes are atomic: the file is written to a temporary file in the same directory and moved
into place with :func:`os.replace`, so a failed write leaves the old file as it was
(:class:`~gridgov.errors.SaveError`). Unreadable files raise
:class:`~gridgov.errors.DataFileError` naming the file.

Examples
--------
>>> import datetime as dt, tempfile, pathlib
>>> import networkx as nx
>>> G = nx.Graph(name="demo")
>>> G.add_edge("U1", "C1", agreements=("AG1",), starts=(dt.date(2024, 1, 1),), weight=1)
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> H = read_graphml(write_graphml(G, folder / "g.graphml"))
>>> H.edges["U1", "C1"] == G.edges["U1", "C1"], H.graph == G.graph
(True, True)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import json
import math
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from gridgov.errors import DataFileError, GraphError, SaveError

if TYPE_CHECKING:
    import networkx as nx

    from gridgov.org.privacy import Privacy

__all__ = [
    "from_node_link",
    "read_gexf",
    "read_graphml",
    "read_json",
    "to_node_link",
    "write_gexf",
    "write_graphml",
    "write_json",
]

MARKER = "gridgov+json:"
PREFIX = "gridgov:"
META = "gridgov:meta"
EDGE_KEY = "gridgov:edgekey"
FORMAT_VERSION = 1

_NATIVE = (bool, int, float, str)
# names networkx's GEXF writer or reader treats specially, on nodes and on edges
_GEXF_RESERVED = frozenset(
    {
        "id",
        "label",
        "pid",
        "start",
        "end",
        "viz",
        "parents",
        "spells",
        "slices",
        "weight",
        "type",
        "key",
        "networkx_key",
    }
)
_RESERVED: dict[str, dict[str, frozenset[str]]] = {
    "graphml": {
        "graph": frozenset({"id", "node_default", "edge_default"}),
        "node": frozenset(),
        "edge": frozenset(),
    },
    "gexf": {"graph": frozenset(), "node": _GEXF_RESERVED, "edge": _GEXF_RESERVED},
    "json": {
        "graph": frozenset(),
        "node": frozenset({"id"}),
        "edge": frozenset({"source", "target", "key"}),
    },
}


# -- tagged JSON ------------------------------------------------------------------------------
def _plain(value: Any) -> Any:
    """Enum members as their value, numpy scalars as Python numbers."""
    if isinstance(value, enum.Enum):
        return value.value
    item = getattr(value, "item", None)
    if item is not None and type(value).__module__ == "numpy":
        return item()
    return value


def _tag(value: Any) -> Any:  # noqa: PLR0911  # one return per tag reads best
    """``value`` as JSON-ready data with tags (see the module notes)."""
    value = _plain(value)
    if value is None or isinstance(value, _NATIVE):
        return value
    if isinstance(value, tuple):
        return [_tag(v) for v in value]
    if isinstance(value, list):
        return {"$list": [_tag(v) for v in value]}
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, set | frozenset):
        tag = "$frozenset" if isinstance(value, frozenset) else "$set"
        items = [_tag(v) for v in value]
        return {tag: sorted(items, key=lambda x: json.dumps(x, sort_keys=True))}
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith("$") for k in value):
            return {k: _tag(v) for k, v in value.items()}
        return {"$dict": [[_tag(k), _tag(v)] for k, v in value.items()]}
    raise GraphError(f"cannot export a value of type {type(value).__name__}: {value!r}")


def _untag(data: Any) -> Any:  # noqa: PLR0911  # one return per tag reads best
    """Inverse of :func:`_tag`."""
    if isinstance(data, list):
        return tuple(_untag(v) for v in data)
    if not isinstance(data, dict):
        return data
    if len(data) == 1:
        ((key, inner),) = data.items()
        if key == "$list":
            return [_untag(v) for v in inner]
        if key == "$date":
            return dt.date.fromisoformat(inner)
        if key == "$datetime":
            return dt.datetime.fromisoformat(inner)
        if key == "$set":
            return {_untag(v) for v in inner}
        if key == "$frozenset":
            return frozenset(_untag(v) for v in inner)
        if key == "$dict":
            return {_untag(k): _untag(v) for k, v in inner}
    return {k: _untag(v) for k, v in data.items()}


# characters XML 1.0 cannot hold (besides the C0 controls JSON always escapes)
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


def _dumps(value: Any) -> str:
    """Tagged JSON text that XML can hold (the few characters it cannot are escaped)."""
    text = json.dumps(_tag(value), ensure_ascii=False, separators=(",", ":"))
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _xml_chars(value: str) -> bool:
    """Whether XML holds every character of ``value`` unchanged (no control characters)."""
    return not any(ord(c) < 32 for c in value) and _NOT_XML.search(value) is None


def _safe_str(value: str) -> bool:
    """Whether a string value can be written as it is and read back unchanged."""
    return not value.startswith(MARKER) and _xml_chars(value)


def _native_type(value: Any) -> type | None:
    """The type if ``value`` can be written natively to XML, else ``None``."""
    value = _plain(value)
    t = type(value)
    if t is str:
        return str if _safe_str(value) else None
    if t in (bool, int, float):
        return t
    return None


def _encode_str(value: Any) -> Any:
    """A native value as is; anything else as a marker string."""
    value = _plain(value)
    return value if _native_type(value) is not None else MARKER + _dumps(value)


def _decode_str(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(MARKER):
        try:
            return _untag(json.loads(value[len(MARKER) :]))
        except ValueError as exc:
            raise GraphError(f"cannot decode {value[:60]!r}: {exc}") from None
    return value


def _encode_id(node: Any) -> str:
    node = _plain(node)
    if isinstance(node, str) and _safe_str(node):
        return node
    return MARKER + _dumps(node)


def _escape(name: Any, reserved: frozenset[str]) -> str:
    """The name as written (see the module notes on names).

    Reserved names and ``gridgov:…`` names get the prefix; names XML cannot hold are
    written as the prefix and a marker string.
    """
    if not isinstance(name, str):
        raise GraphError(f"attribute names must be strings, not {name!r}")
    if not _xml_chars(name):
        return PREFIX + MARKER + _dumps(name)
    return PREFIX + name if name in reserved or name.startswith(PREFIX) else name


def _unescape(name: str) -> str:
    if not name.startswith(PREFIX):
        return name
    name = name[len(PREFIX) :]
    decoded = _decode_str(name)
    return decoded if isinstance(decoded, str) else name


def _native_keys(dicts: Iterable[Mapping[str, Any]]) -> set[str]:
    """Names whose values all share one natively writable type."""
    seen: dict[str, type | None] = {}
    for d in dicts:
        for k, v in d.items():
            t = _native_type(v)
            if k not in seen:
                seen[k] = t
            elif seen[k] is not t:
                seen[k] = None
    return {k for k, t in seen.items() if t is not None}


def _encode_attrs(
    data: Mapping[str, Any], native: set[str], reserved: frozenset[str]
) -> dict[str, Any]:
    return {
        _escape(k, reserved): _plain(v) if k in native else MARKER + _dumps(v)
        for k, v in data.items()
    }


def _decode_attrs(data: Mapping[str, Any]) -> dict[str, Any]:
    return {_unescape(k): _decode_str(v) for k, v in data.items() if k != EDGE_KEY}


def _new_graph(directed: bool, multigraph: bool) -> nx.Graph:
    import networkx as nx

    if multigraph:
        return nx.MultiDiGraph() if directed else nx.MultiGraph()
    return nx.DiGraph() if directed else nx.Graph()


def _xml_copy(G: nx.Graph, fmt: str) -> nx.Graph:
    """A copy of ``G`` with ids, names and values encoded for an XML format."""
    reserved = _RESERVED[fmt]
    H = _new_graph(G.is_directed(), G.is_multigraph())
    node_native = _native_keys(d for _, d in G.nodes(data=True))
    nodes = []
    for n, d in G.nodes(data=True):
        attrs = _encode_attrs(d, node_native, reserved["node"])
        label = d.get("label")
        if fmt == "gexf" and isinstance(label, str) and _xml_chars(label):
            attrs["label"] = label  # GEXF's own label, for viewers
        nodes.append((_encode_id(n), attrs))
    H.add_nodes_from(nodes)
    if G.is_multigraph():
        edge_native = _native_keys(d for _, _, d in G.edges(data=True))
        for u, v, k, d in G.edges(keys=True, data=True):
            attrs = _encode_attrs(d, edge_native, reserved["edge"])
            attrs[EDGE_KEY] = _encode_id(k)
            _gexf_weight(fmt, d, attrs)
            H.add_edges_from([(_encode_id(u), _encode_id(v), _encode_id(k), attrs)])
    else:
        edge_native = _native_keys(d for _, _, d in G.edges(data=True))
        edges = []
        for u, v, d in G.edges(data=True):
            attrs = _encode_attrs(d, edge_native, reserved["edge"])
            _gexf_weight(fmt, d, attrs)
            edges.append((_encode_id(u), _encode_id(v), attrs))
        H.add_edges_from(edges)
    return H


def _gexf_weight(fmt: str, data: Mapping[str, Any], attrs: dict[str, Any]) -> None:
    w = _plain(data.get("weight"))
    if fmt == "gexf" and type(w) in (int, float) and math.isfinite(w):
        attrs["weight"] = w  # GEXF's own weight, for viewers


def _meta(G: nx.Graph) -> str:
    return MARKER + _dumps({"version": FORMAT_VERSION, "multigraph": G.is_multigraph()})


def _rebuild(
    R: nx.Graph,
    *,
    directed: bool,
    multigraph: bool,
    graph: Mapping[str, Any],
    drop_node: frozenset[str] = frozenset(),
    drop_edge: frozenset[str] = frozenset(),
) -> nx.Graph:
    """A graph of the original class from a graph read back, ids and attributes decoded."""
    G = _new_graph(directed, multigraph)
    G.graph.update(graph)
    G.add_nodes_from(
        (
            _decode_str(n),
            _decode_attrs({k: v for k, v in d.items() if k not in drop_node}),
        )
        for n, d in R.nodes(data=True)
    )
    edges: Iterable[tuple[Any, ...]] = (
        R.edges(keys=True, data=True) if R.is_multigraph() else R.edges(data=True)
    )
    for e in edges:
        u, v, d = e[0], e[1], e[-1]
        attrs = _decode_attrs({k: x for k, x in d.items() if k not in drop_edge})
        if multigraph:
            G.add_edges_from(
                [(_decode_str(u), _decode_str(v), _decode_str(d.get(EDGE_KEY)), attrs)]
            )
        else:
            G.add_edges_from([(_decode_str(u), _decode_str(v), attrs)])
    return G


# -- files ------------------------------------------------------------------------------------
def _private(G: nx.Graph, privacy: str | Privacy, key: bytes | str | None) -> nx.Graph:
    """``G`` as the privacy level lets it leave (a copy only when something changes)."""
    from gridgov.org.privacy import policy, redact_graph

    level = policy(privacy, key=key)
    people = {"person", "household"} if level.level == "public" else {"person"}
    if level.level == "full" or not any(
        d.get("entity") in people or "phone" in d or "id_number" in d for _, d in G.nodes(data=True)
    ):
        return G
    return redact_graph(G, level)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _atomic_write(path: str | os.PathLike[str], write: Callable[[IO[bytes]], object]) -> Path:
    """Write through a temporary file in the same directory, then :func:`os.replace`."""
    target = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise SaveError(f"{target}: cannot write here: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        mode = target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask()
        Path(tmp).chmod(mode)
        Path(tmp).replace(target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        if isinstance(exc, OSError):
            raise SaveError(f"{target}: write failed, previous file kept: {exc}") from exc
        raise
    return target


def _read(path: str | os.PathLike[str], what: str, read: Callable[[Path], Any]) -> Any:
    source = Path(path)
    if not source.is_file():
        raise DataFileError(f"{source}: no such file")
    try:
        return read(source)
    except (GraphError, DataFileError):
        raise
    except Exception as exc:  # parsers raise many kinds; the message names the file
        raise DataFileError(f"{source}: not a readable {what} file: {exc}") from None


def write_graphml(
    G: nx.Graph,
    path: str | os.PathLike[str],
    *,
    privacy: str | Privacy = "public",
    key: bytes | str | None = None,
) -> Path:
    """Write ``G`` as GraphML (atomically); return the path.

    Parameters
    ----------
    G
        The graph.
    path
        Where to write.
    privacy
        What of people the file may hold (:mod:`gridgov.io.privacy`). Default ``"public"``:
        a graph file is made to be passed on (Gephi, a paper's supplement), so person and
        household nodes are left out; ``"research"`` (with ``key``) keeps person nodes under
        pseudonyms, ``"internal"`` with names, ``"full"`` as they are; or a checked
        :class:`~gridgov.io.privacy.Privacy`.
    key
        The HMAC key for ``privacy="research"``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import networkx as nx
    >>> p = write_graphml(nx.path_graph(["a", "b"]), pathlib.Path(tempfile.mkdtemp()) / "p.graphml")
    >>> sorted(read_graphml(p).edges())
    [('a', 'b')]
    """
    import networkx as nx

    G = _private(G, privacy, key)
    H = _xml_copy(G, "graphml")
    reserved = _RESERVED["graphml"]["graph"]
    native = _native_keys([G.graph])
    H.graph.update(_encode_attrs(G.graph, native, reserved))
    H.graph[META] = _meta(G)
    return _atomic_write(path, lambda fh: nx.write_graphml(H, fh, encoding="utf-8"))


def read_graphml(path: str | os.PathLike[str]) -> nx.Graph:
    """Read a GraphML file written by :func:`write_graphml` (or by another tool)."""
    import networkx as nx

    def read(source: Path) -> nx.Graph:
        R = nx.read_graphml(source, node_type=str, edge_key_type=str, force_multigraph=True)
        raw = dict(R.graph)
        meta = _decode_str(raw.pop(META, None))
        for key in ("node_default", "edge_default"):
            if raw.get(key) == {}:
                raw.pop(key)
        graph = _decode_attrs(raw)
        if isinstance(meta, dict):
            multigraph = bool(meta.get("multigraph"))
        else:
            multigraph = any(R.number_of_edges(u, v) > 1 for u, v in R.edges())
        return _rebuild(R, directed=R.is_directed(), multigraph=multigraph, graph=graph)

    G: nx.Graph = _read(path, "GraphML", read)
    return G


def write_gexf(
    G: nx.Graph,
    path: str | os.PathLike[str],
    *,
    privacy: str | Privacy = "public",
    key: bytes | str | None = None,
) -> Path:
    """Write ``G`` as GEXF 1.2 (atomically); return the path.

    Parameters
    ----------
    G
        The graph.
    path
        Where to write.
    privacy, key
        As for :func:`write_graphml`: ``"public"`` by default.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import networkx as nx
    >>> G = nx.Graph([("a", "b", {"weight": 2, "label": "tie"})])
    >>> H = read_gexf(write_gexf(G, pathlib.Path(tempfile.mkdtemp()) / "g.gexf"))
    >>> H.edges["a", "b"]
    {'weight': 2, 'label': 'tie'}
    """
    from xml.etree.ElementTree import SubElement

    from networkx.readwrite.gexf import GEXFWriter

    G = _private(G, privacy, key)
    H = _xml_copy(G, "gexf")
    if isinstance(G.graph.get("name"), str) and _safe_str(G.graph["name"]):
        H.graph["name"] = G.graph["name"]
    writer = GEXFWriter(encoding="utf-8", prettyprint=True)
    writer.add_graph(H)
    meta = writer.xml.find("meta")
    description = SubElement(meta, "description")
    description.text = MARKER + _dumps(
        {
            "version": FORMAT_VERSION,
            "multigraph": G.is_multigraph(),
            "graph": dict(G.graph),
        }
    )
    return _atomic_write(path, writer.write)


def read_gexf(path: str | os.PathLike[str]) -> nx.Graph:
    """Read a GEXF file written by :func:`write_gexf` (or by another tool)."""
    from networkx.readwrite.gexf import GEXFReader

    def read(source: Path) -> nx.Graph:
        reader = GEXFReader(node_type=None, version="1.2draft")
        R = reader(source)
        meta_xml = reader.xml.find(f"{{{reader.NS_GEXF}}}meta")
        text = None
        if meta_xml is not None:
            desc = meta_xml.find(f"{{{reader.NS_GEXF}}}description")
            text = desc.text if desc is not None else None
        meta = _decode_str(text) if text and text.startswith(MARKER) else None
        if not isinstance(meta, dict):
            return _rebuild(
                R,
                directed=R.is_directed(),
                multigraph=R.is_multigraph(),
                graph=_decode_attrs(R.graph),
            )
        return _rebuild(
            R,
            directed=R.is_directed(),
            multigraph=bool(meta.get("multigraph")),
            graph=dict(meta.get("graph", {})),
            drop_node=frozenset({"label", "pid"}),
            drop_edge=frozenset({"id", "label", "weight"}),
        )

    G: nx.Graph = _read(path, "GEXF", read)
    return G


def to_node_link(
    G: nx.Graph, *, privacy: str | Privacy = "public", key: bytes | str | None = None
) -> dict[str, Any]:
    """``G`` as node-link data (JSON-ready, tagged values; see the module notes).

    Parameters
    ----------
    G
        The graph.
    privacy, key
        As for :func:`write_graphml`: ``"public"`` by default.

    Examples
    --------
    >>> import networkx as nx
    >>> data = to_node_link(nx.Graph([("a", "b", {"span": (1, 2)})]))
    >>> data["edges"]
    [{'source': 'a', 'target': 'b', 'span': [1, 2]}]
    >>> from_node_link(data).edges["a", "b"]["span"]
    (1, 2)
    """
    G = _private(G, privacy, key)
    reserved = _RESERVED["json"]
    nodes = [
        {"id": _tag(n), **{_escape(k, reserved["node"]): _tag(v) for k, v in d.items()}}
        for n, d in G.nodes(data=True)
    ]
    edges: list[dict[str, Any]] = []
    if G.is_multigraph():
        for u, v, k, d in G.edges(keys=True, data=True):
            attrs = {_escape(a, reserved["edge"]): _tag(x) for a, x in d.items()}
            edges.append({"source": _tag(u), "target": _tag(v), "key": _tag(k), **attrs})
    else:
        for u, v, d in G.edges(data=True):
            attrs = {_escape(a, reserved["edge"]): _tag(x) for a, x in d.items()}
            edges.append({"source": _tag(u), "target": _tag(v), **attrs})
    return {
        "gridgov": {"format": "node-link", "version": FORMAT_VERSION},
        "directed": G.is_directed(),
        "multigraph": G.is_multigraph(),
        "graph": {str(k): _tag(v) for k, v in G.graph.items()},
        "nodes": nodes,
        "edges": edges,
    }


def from_node_link(data: Mapping[str, Any]) -> nx.Graph:
    """A graph from node-link data: :func:`to_node_link`'s, or networkx's own."""
    import networkx as nx

    if "gridgov" not in data:
        edges = "edges" if "edges" in data else "links"
        foreign: nx.Graph = nx.node_link_graph(data, edges=edges)
        return foreign
    G = _new_graph(bool(data.get("directed")), bool(data.get("multigraph")))
    G.graph.update({k: _untag(v) for k, v in data.get("graph", {}).items()})
    try:
        for node in data["nodes"]:
            attrs = {_unescape(k): _untag(v) for k, v in node.items() if k != "id"}
            G.add_nodes_from([(_untag(node["id"]), attrs)])
        for edge in data["edges"]:
            attrs = {
                _unescape(k): _untag(v)
                for k, v in edge.items()
                if k not in ("source", "target", "key")
            }
            u, v = _untag(edge["source"]), _untag(edge["target"])
            if G.is_multigraph():
                G.add_edges_from([(u, v, _untag(edge.get("key")), attrs)])
            else:
                G.add_edges_from([(u, v, attrs)])
    except (KeyError, TypeError) as exc:
        raise GraphError(f"not node-link data: missing or bad {exc}") from None
    return G


def write_json(
    G: nx.Graph,
    path: str | os.PathLike[str],
    *,
    indent: int | None = None,
    privacy: str | Privacy = "public",
    key: bytes | str | None = None,
) -> Path:
    """Write ``G`` as node-link JSON (UTF-8, atomically); return the path.

    Parameters
    ----------
    G
        The graph.
    path
        Where to write.
    indent
        JSON indentation (``None``: one line).
    privacy, key
        As for :func:`write_graphml`: ``"public"`` by default.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import networkx as nx
    >>> G = nx.MultiGraph([("a", "b", "k1"), ("a", "b", "k2")])
    >>> H = read_json(write_json(G, pathlib.Path(tempfile.mkdtemp()) / "g.json"))
    >>> sorted(H.edges(keys=True))
    [('a', 'b', 'k1'), ('a', 'b', 'k2')]
    """
    data = to_node_link(G, privacy=privacy, key=key)
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    return _atomic_write(path, lambda fh: fh.write(text.encode("utf-8")))


def read_json(path: str | os.PathLike[str]) -> nx.Graph:
    """Read a node-link JSON file (gridgov's or networkx's)."""

    def read(source: Path) -> nx.Graph:
        data = json.loads(source.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise DataFileError(f"{source}: node-link JSON must be an object")
        return from_node_link(data)

    G: nx.Graph = _read(path, "node-link JSON", read)
    return G
