"""Rendering: Mermaid and Graphviz DOT text for small graphs, and a matplotlib drawing.

:func:`to_mermaid` and :func:`to_dot` write text that GitHub, GitLab and documentation sites
render (Mermaid) or that Graphviz lays out (``dot -Tsvg``); they need nothing beyond gridgov.
Nodes are labelled with their ``LABEL`` and kind, edges with their ``RELATION`` (and
``WEIGHT`` when it is not 1), in English or Chinese. Both refuse graphs larger than
``max_nodes``: a diagram of a city is not readable; draw a subgraph instead
(``G.subgraph(...)``, or a view ``as_of`` a day).

:func:`draw_cobuilding` draws the co-building network with matplotlib (the optional
``plot`` extra): communities as squares, units as circles, node size by degree, edge width by
weight.

Examples
--------
>>> import networkx as nx
>>> G = nx.DiGraph([("S1", "C1", {"relation": "contains"})])
>>> G.nodes["S1"].update(label="桂花桥街道", kind="street", entity="area")
>>> print(to_mermaid(G))
flowchart TD
    n0["桂花桥街道 (street / town)"]
    n1["C1"]
    n0 -->|contains| n1
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING, Any, Literal

from gridgov.errors import GraphError, missing_extra
from gridgov.graph._attrs import BIPARTITE, ENTITY, KIND, LABEL, RELATION, WEIGHT, Entity
from gridgov.graph._names import kind_names, relation_label
from gridgov.org.vocab import Lang

if TYPE_CHECKING:
    import networkx as nx
    from matplotlib.axes import Axes

    from gridgov.org.structure import Structure

__all__ = ["draw_cobuilding", "to_dot", "to_mermaid"]

_MERMAID_SHAPES = {
    Entity.AREA.value: ('["', '"]'),
    Entity.ORGANISATION.value: ('("', '")'),
    Entity.PERSON.value: ('(["', '"])'),
    Entity.HOUSEHOLD.value: ('[/"', '"/]'),
    Entity.JOINT_COMMITTEE.value: ('{{"', '"}}'),
}
_DOT_SHAPES = {
    Entity.AREA.value: "box",
    Entity.ORGANISATION.value: "ellipse",
    Entity.PERSON.value: "plaintext",
    Entity.HOUSEHOLD.value: "note",
    Entity.JOINT_COMMITTEE.value: "hexagon",
}


def _check_size(G: nx.Graph, max_nodes: int, what: str) -> None:
    if len(G) > max_nodes:
        raise GraphError(
            f"{len(G)} nodes is too many for a {what} diagram (max_nodes={max_nodes}); "
            "draw a subgraph, or raise max_nodes"
        )


def _node_text(attrs: Mapping[str, Any], node: Hashable, lang: Lang) -> str:
    name = str(attrs.get(LABEL, node))
    if KIND not in attrs:
        return name
    en, zh = kind_names(attrs)
    kind = zh if lang == "zh" else en
    return name if kind == name else f"{name} ({kind})"


def _edge_text(data: Mapping[str, Any], lang: Lang) -> str:
    text = relation_label(data.get(RELATION), lang)
    weight = data.get(WEIGHT)
    if weight is not None and weight != 1:
        text = f"{text} ×{weight}" if text else f"×{weight}"
    return text


def _mermaid_escape(text: str) -> str:
    return (
        text.replace("&", "#amp;")
        .replace('"', "#quot;")
        .replace("<", "#lt;")
        .replace(">", "#gt;")
        .replace("|", "#124;")
        .replace("\n", " ")
    )


def to_mermaid(
    G: nx.Graph,
    *,
    lang: Lang = "en",
    direction: Literal["TD", "LR", "BT", "RL"] = "TD",
    max_nodes: int = 300,
) -> str:
    """A Mermaid ``flowchart`` of the graph.

    Nodes get Mermaid ids ``n0``, ``n1``… in graph order (gridgov ids may hold characters
    Mermaid does not accept); the shape shows the ``ENTITY``: areas as rectangles,
    organisations rounded, people as stadiums, households as parallelograms, joint
    committees as hexagons.

    Parameters
    ----------
    G
        The graph (directed edges become arrows, undirected ones lines).
    lang
        ``"en"`` or ``"zh"`` for kinds and relations.
    direction
        Flowchart direction: top-down, left-right…
    max_nodes
        Refuse larger graphs (:class:`~gridgov.errors.GraphError`).

    Returns
    -------
    str

    Examples
    --------
    >>> import networkx as nx
    >>> print(to_mermaid(nx.Graph([("a", "b", {"weight": 2})]), direction="LR"))
    flowchart LR
        n0["a"]
        n1["b"]
        n0 ---|×2| n1
    """
    _check_size(G, max_nodes, "Mermaid")
    ids = {n: f"n{i}" for i, n in enumerate(G)}
    lines = [f"flowchart {direction}"]
    for n, attrs in G.nodes(data=True):
        left, right = _MERMAID_SHAPES.get(str(attrs.get(ENTITY, "")), ('["', '"]'))
        lines.append(f"    {ids[n]}{left}{_mermaid_escape(_node_text(attrs, n, lang))}{right}")
    arrow = "-->" if G.is_directed() else "---"
    for u, v, data in G.edges(data=True):
        text = _edge_text(data, lang)
        link = f"{arrow}|{_mermaid_escape(text)}|" if text else arrow
        lines.append(f"    {ids[u]} {link} {ids[v]}")
    return "\n".join(lines)


def _dot_quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def to_dot(
    G: nx.Graph,
    *,
    lang: Lang = "en",
    rankdir: Literal["TB", "LR", "BT", "RL"] = "TB",
    max_nodes: int = 2000,
) -> str:
    r"""Graphviz DOT text of the graph (``dot -Tsvg graph.dot > graph.svg``).

    Node ids are the gridgov ids, quoted; the shape shows the ``ENTITY`` (areas boxes,
    organisations ellipses, joint committees hexagons…), and in a two-mode graph without
    entities the ``BIPARTITE`` side (boxes for side 1).

    Parameters
    ----------
    G
        The graph.
    lang
        ``"en"`` or ``"zh"`` for kinds and relations.
    rankdir
        Graphviz layout direction.
    max_nodes
        Refuse larger graphs (:class:`~gridgov.errors.GraphError`).

    Returns
    -------
    str

    Examples
    --------
    >>> import networkx as nx
    >>> print(to_dot(nx.DiGraph([("a", 'b "x"', {"relation": "leads"})]), lang="zh"))
    digraph {
        graph [rankdir=TB];
        "a";
        "b \"x\"";
        "a" -> "b \"x\"" [label="领导"];
    }
    """
    _check_size(G, max_nodes, "DOT")
    directed = G.is_directed()
    name = str(G.graph.get("name", ""))
    head = ("digraph" if directed else "graph") + (f" {_dot_quote(name)}" if name else "")
    lines = [f"{head} {{", f"    graph [rankdir={rankdir}];"]
    for n, attrs in G.nodes(data=True):
        props: list[str] = []
        text = _node_text(attrs, n, lang)
        if text != str(n):
            props.append(f"label={_dot_quote(text)}")
        shape = _DOT_SHAPES.get(str(attrs.get(ENTITY, "")))
        if shape is None and attrs.get(BIPARTITE) == 1:
            shape = "box"
        if shape is not None:
            props.append(f"shape={shape}")
        suffix = f" [{', '.join(props)}]" if props else ""
        lines.append(f"    {_dot_quote(str(n))}{suffix};")
    arrow = "->" if directed else "--"
    for u, v, data in G.edges(data=True):
        text = _edge_text(data, lang)
        suffix = f" [label={_dot_quote(text)}]" if text else ""
        lines.append(f"    {_dot_quote(str(u))} {arrow} {_dot_quote(str(v))}{suffix};")
    lines.append("}")
    return "\n".join(lines)


_CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
    "Arial Unicode MS",
)


def _cjk_font() -> str | None:
    """A font family installed for matplotlib that has Chinese glyphs, if any."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((f for f in _CJK_FAMILIES if f in installed), None)


def draw_cobuilding(
    structure_or_graph: Structure | nx.Graph,
    ax: Axes | None = None,
    *,
    seed: int = 0,
    labels: Literal["communities", "all", "none"] = "communities",
    lang: Lang = "en",
) -> Axes:
    """Draw the co-building network: communities as squares, units as circles.

    Node size grows with degree and edge width with ``WEIGHT``. Names are shown when a
    Chinese-capable font (Noto Sans CJK, WenQuanYi, SimHei, Microsoft YaHei, PingFang…) is
    installed for matplotlib; otherwise node ids are shown instead of names that contain
    Chinese characters, rather than empty boxes.

    Parameters
    ----------
    structure_or_graph
        A structure (its :func:`~gridgov.graph.cobuilding` view is drawn) or such a graph.
    ax
        Axes to draw on; a new figure is made when ``None``.
    seed
        Seed of the spring layout, for a reproducible picture.
    labels
        Which nodes to name.
    lang
        Language of the title and legend.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    gridgov.errors.MissingExtraError
        Without matplotlib (``pip install 'gridgov[plot]'``), or without scipy for a graph
        of 500 nodes or more (networkx lays those out with scipy).
    """
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise missing_extra("matplotlib", "plot", "drawings") from None
    import networkx as nx

    from gridgov.graph.views import cobuilding

    G = structure_or_graph if isinstance(structure_or_graph, nx.Graph) else None
    if G is None:
        G = cobuilding(structure_or_graph)
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 8))
    try:
        pos = nx.spring_layout(G, seed=seed, weight=WEIGHT)
    except ImportError:
        raise missing_extra("scipy", "graph", "layouts of 500 nodes or more") from None
    side = dict(G.nodes(data=BIPARTITE))
    communities = [n for n in G if side.get(n) == 1]
    units = [n for n in G if side.get(n) != 1]
    degree = dict(G.degree())
    font = _cjk_font()

    def size(nodes: list[Any], base: float) -> list[float]:
        return [base + 30.0 * degree[n] for n in nodes]

    weights = [float(d.get(WEIGHT, 1)) for _, _, d in G.edges(data=True)]
    top = max(weights, default=1.0) or 1.0
    nx.draw_networkx_edges(G, pos, ax=ax, width=[0.5 + 2.5 * w / top for w in weights], alpha=0.4)
    zh = lang == "zh"
    nx.draw_networkx_nodes(
        G,
        pos,
        nodelist=units,
        ax=ax,
        node_shape="o",
        node_color="tab:orange",
        node_size=size(units, 20.0),
        label="共建单位" if zh and font else "co-building units",
    )
    nx.draw_networkx_nodes(
        G,
        pos,
        nodelist=communities,
        ax=ax,
        node_shape="s",
        node_color="tab:blue",
        node_size=size(communities, 60.0),
        label="社区" if zh and font else "communities",
    )
    named = {"communities": communities, "all": list(G), "none": []}[labels]
    if named:
        text = {}
        for n in named:
            name = str(G.nodes[n].get(LABEL, n))
            text[n] = name if font or name.isascii() else str(n)
        nx.draw_networkx_labels(
            G, pos, labels=text, ax=ax, font_size=8, font_family=font or "sans-serif"
        )
    title = str(G.graph.get("name", ""))
    if not (font or title.isascii()):
        title = ""
    if zh and font:
        ax.set_title(f"{title} 共建网络".strip(), fontfamily=font)
        ax.legend(loc="best", prop={"family": font})
    else:
        ax.set_title(f"{title} co-building network".strip(), fontfamily=font or "sans-serif")
        ax.legend(loc="best")
    ax.set_axis_off()
    return ax
