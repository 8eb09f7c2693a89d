"""Components, bridges and articulation points — and what they mean for governance.

:func:`connected_components`, :func:`bridges` and :func:`articulation_points` are the
graph facts (directed graphs are read as undirected: a tie is a tie whichever way it
points). :func:`governance_facts` turns them into sentences in English and Chinese that a
report can print: "co-building unit 县医院 is the only tie between 光明社区 and …", "the
community 和平社区 has no tie in this network".

A *pendant* tie — a node with a single contact — is a bridge too, and its contact an
articulation point; in a co-building network most units have one partner, so those facts
are many and dull. They are left out unless ``include_pendant=True``.

Examples
--------
>>> import networkx as nx
>>> G = nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "e"), ("e", "f"),
...               ("f", "d")])
>>> articulation_points(G), bridges(G)
(['c', 'd'], [('c', 'd')])
>>> facts = governance_facts(G)
>>> [(f.kind, f.subject) for f in facts]
[('articulation_point', ('c',)), ('articulation_point', ('d',)), ('bridge', ('c', 'd'))]
>>> print(facts[0].message)
Node c is the only tie between the group of 3 nodes (d, e, f) and the group of 2 nodes (a, b).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from gridgov.graph._names import describe, join, who
from gridgov.org.vocab import Lang

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "GovernanceFact",
    "articulation_points",
    "bridges",
    "connected_components",
    "governance_facts",
]

FactKind = Literal["isolate", "component", "bridge", "articulation_point", "pendant"]


@dataclass(frozen=True, slots=True)
class GovernanceFact:
    """One structural fact about a network, in English and Chinese.

    Attributes
    ----------
    kind
        ``"isolate"`` (a node with no tie), ``"component"`` (a group cut off from the
        largest one), ``"articulation_point"`` (a node whose removal splits its group),
        ``"bridge"`` (a tie whose removal splits its group) or ``"pendant"`` (a node tied to
        the rest through one contact only).
    subject
        The node (isolate, articulation point, pendant node), the two ends of the tie
        (bridge) or the group's nodes (component).
    parts
        The groups that the subject separates (empty for isolates and components).
    message, message_zh
        The fact as a sentence.
    """

    kind: FactKind
    subject: tuple[Hashable, ...]
    parts: tuple[tuple[Hashable, ...], ...]
    message: str
    message_zh: str

    def text(self, lang: Lang = "en") -> str:
        """The sentence in ``lang``."""
        return self.message_zh if lang == "zh" else self.message


def _undirected(G: nx.Graph) -> nx.Graph:
    return G.to_undirected(as_view=True) if G.is_directed() else G


def _order(G: nx.Graph) -> dict[Hashable, int]:
    return {n: i for i, n in enumerate(G)}


def connected_components(G: nx.Graph) -> list[set[Any]]:
    """The connected components (weak ones for a directed graph), largest first.

    Ties in size are broken by the graph order of their first node.

    Examples
    --------
    >>> import networkx as nx
    >>> connected_components(nx.Graph([(1, 2), (3, 4), (4, 5)]))
    [{3, 4, 5}, {1, 2}]
    """
    import networkx as nx

    order = _order(G)
    parts = list(nx.connected_components(_undirected(G)))
    return sorted(parts, key=lambda p: (-len(p), min(order[n] for n in p)))


def bridges(G: nx.Graph) -> list[tuple[Any, Any]]:
    """Ties whose removal splits their component, in graph order.

    Examples
    --------
    >>> import networkx as nx
    >>> bridges(nx.path_graph(3))
    [(0, 1), (1, 2)]
    """
    import networkx as nx

    order = _order(G)
    found = [(u, v) if order[u] <= order[v] else (v, u) for u, v in nx.bridges(_undirected(G))]
    return sorted(found, key=lambda e: (order[e[0]], order[e[1]]))


def articulation_points(G: nx.Graph) -> list[Any]:
    """Nodes whose removal splits their component, in graph order.

    Examples
    --------
    >>> import networkx as nx
    >>> articulation_points(nx.path_graph(3))
    [1]
    """
    import networkx as nx

    order = _order(G)
    return sorted(set(nx.articulation_points(_undirected(G))), key=order.__getitem__)


def _parts_without(U: nx.Graph, cut: Hashable, order: dict[Hashable, int]) -> list[tuple[Any, ...]]:
    """The groups the neighbours of ``cut`` fall into once ``cut`` is removed."""
    import networkx as nx

    view = nx.restricted_view(U, [cut], [])
    seen: set[Any] = set()
    parts: list[tuple[Any, ...]] = []
    for nbr in U[cut]:
        if nbr in seen or nbr == cut:
            continue
        part = nx.node_connected_component(view, nbr)
        seen |= part
        parts.append(tuple(sorted(part, key=order.__getitem__)))
    return parts


def _side(U: nx.Graph, u: Hashable, v: Hashable, order: dict[Hashable, int]) -> tuple[Any, ...]:
    """The nodes still reachable from ``u`` once the tie ``u``–``v`` is removed."""
    import networkx as nx

    view = nx.restricted_view(U, [], [(u, v), (v, u)])
    return tuple(sorted(nx.node_connected_component(view, u), key=order.__getitem__))


def governance_facts(
    G: nx.Graph, *, include_pendant: bool = False, listed: int = 3
) -> list[GovernanceFact]:
    """Isolates, separate groups, articulation points and bridges, as sentences.

    Facts come in this order: isolates, separate components (all but the largest),
    articulation points, bridges, and with ``include_pendant`` the pendant ties. Nodes are
    named by their ``KIND`` and ``LABEL`` attributes (see :mod:`gridgov.graph._attrs`);
    groups by their size, kinds and up to ``listed`` names, best-connected first.

    Cost: one search of the component per articulation point and per bridge, so
    O((a + b)·n) — fine for the thousands of nodes of a district, slow for a city's
    co-building network with ``include_pendant=True``.

    Parameters
    ----------
    G
        The graph (directed graphs are read as undirected).
    include_pendant
        Also report nodes tied to the rest through a single contact, and count such nodes
        as parts separated by an articulation point.
    listed
        How many names to list per group.

    Returns
    -------
    list of GovernanceFact

    Examples
    --------
    >>> from gridgov.graph import cobuilding
    >>> from gridgov.graph._demo import demo_structure
    >>> facts = governance_facts(cobuilding(demo_structure()))
    >>> [(f.kind, f.message) for f in facts]
    [('isolate', 'Community 和平社区 has no tie in this network.')]
    >>> facts[0].message_zh
    '社区和平社区在该网络中没有任何联系。'
    """
    U = _undirected(G)
    nodes = G.nodes
    order = _order(G)
    degree = dict(U.degree())
    facts: list[GovernanceFact] = []

    def group(part: tuple[Any, ...], lang: Lang) -> str:
        return describe(nodes, part, lang, listed=listed, rank=degree)

    components = connected_components(U)
    for comp in components:
        if len(comp) == 1:
            (n,) = comp
            facts.append(
                GovernanceFact(
                    "isolate",
                    (n,),
                    (),
                    f"{who(nodes[n], n, 'en')} has no tie in this network.",
                    f"{who(nodes[n], n, 'zh')}在该网络中没有任何联系。",
                )
            )
    for comp in components[1:]:
        if len(comp) > 1:
            part = tuple(n for n in G if n in comp)
            facts.append(
                GovernanceFact(
                    "component",
                    part,
                    (),
                    f"{group(part, 'en')} is cut off from the rest of the network.",
                    f"{group(part, 'zh')}自成一组，与网络其他部分没有联系。",
                )
            )
    for cut in articulation_points(U):
        parts = _parts_without(U, cut, order)
        if not include_pendant:
            parts = [p for p in parts if len(p) > 1]
        if len(parts) < 2:
            continue
        parts.sort(key=len, reverse=True)
        en = join([group(p, "en") for p in parts], "en")
        zh = join([group(p, "zh") for p in parts], "zh")
        facts.append(
            GovernanceFact(
                "articulation_point",
                (cut,),
                tuple(parts),
                f"{who(nodes[cut], cut, 'en')} is the only tie between {en}.",
                f"{who(nodes[cut], cut, 'zh')}是{zh}之间的唯一联系。",
            )
        )
    pendants: list[GovernanceFact] = []
    for u, v in bridges(U):
        if degree[u] == 1 or degree[v] == 1:
            if include_pendant:
                leaf, hub = (u, v) if degree[u] == 1 else (v, u)
                pendants.append(
                    GovernanceFact(
                        "pendant",
                        (leaf,),
                        ((leaf,), (hub,)),
                        f"{who(nodes[leaf], leaf, 'en')} is tied to the rest of the network "
                        f"only through {who(nodes[hub], hub, 'en')}.",
                        f"{who(nodes[leaf], leaf, 'zh')}仅通过{who(nodes[hub], hub, 'zh')}"
                        "与网络其他部分相连。",
                    )
                )
            continue
        side_u = _side(U, u, v, order)
        side_v = _side(U, v, u, order)
        facts.append(
            GovernanceFact(
                "bridge",
                (u, v),
                (side_u, side_v),
                f"The tie between {who(nodes[u], u, 'en')} and {who(nodes[v], v, 'en')} is the "
                f"only link between {group(side_u, 'en')} and {group(side_v, 'en')}.",
                f"{who(nodes[u], u, 'zh')}与{who(nodes[v], v, 'zh')}之间的联系是"
                f"{group(side_u, 'zh')}与{group(side_v, 'zh')}之间的唯一纽带。",
            )
        )
    return [_capitalised(f) for f in facts + pendants]


def _capitalised(fact: GovernanceFact) -> GovernanceFact:
    m = fact.message
    if m[:1].islower():
        m = m[0].upper() + m[1:]
    return GovernanceFact(fact.kind, fact.subject, fact.parts, m, fact.message_zh)
