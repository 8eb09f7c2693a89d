"""Community detection: groups of nodes more tied to each other than to the rest.

"Community" here is the network-science term — a cluster of the graph — not a residential
community (社区), which is an area in gridgov. On a co-building network the clusters are
sets of communities and units that work together; on an appointments network, circles of
organisations sharing people.

Two methods from networkx: Louvain (Blondel et al. 2008; randomised, pass ``seed`` for a
reproducible result) and greedy modularity maximisation (Clauset, Newman and Moore 2004;
deterministic). Both maximise modularity (Newman 2006), reported by :func:`modularity`.

Examples
--------
>>> import networkx as nx
>>> G = nx.barbell_graph(4, 0)
>>> [sorted(c) for c in detect_communities(G, seed=1)]
[[0, 1, 2, 3], [4, 5, 6, 7]]
>>> round(modularity(G, detect_communities(G, method="greedy")), 3)
0.423
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable
from typing import TYPE_CHECKING, Any, Literal

from gridgov.errors import GraphError
from gridgov.graph._attrs import WEIGHT

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["detect_communities", "modularity"]

Method = Literal["louvain", "greedy"]


def detect_communities(
    G: nx.Graph,
    *,
    method: Method = "louvain",
    weight: str | None = WEIGHT,
    resolution: float = 1.0,
    seed: int | None = None,
) -> list[frozenset[Any]]:
    """Partition the nodes into clusters that maximise modularity.

    Parameters
    ----------
    G
        The graph (edges without the ``weight`` attribute count 1).
    method
        ``"louvain"`` (:func:`networkx.community.louvain_communities`) or ``"greedy"``
        (:func:`networkx.community.greedy_modularity_communities`).
    weight
        Edge attribute holding tie strength; ``None`` for unweighted.
    resolution
        Above 1 favours smaller clusters, below 1 larger ones.
    seed
        Seed of Louvain's random node order (ignored by ``"greedy"``).

    Returns
    -------
    list of frozenset
        The clusters, largest first (ties: by graph order of their first node); together
        they cover every node once.

    References
    ----------
    Blondel, V. D., Guillaume, J.-L., Lambiotte, R. and Lefebvre, E. (2008). Fast unfolding of
    communities in large networks. *J. Stat. Mech.* P10008. Clauset, A., Newman, M. E. J. and
    Moore, C. (2004). Finding community structure in very large networks. *Phys. Rev. E* 70.
    """
    import networkx as nx

    if len(G) == 0:
        return []
    if method == "louvain":
        found = nx.community.louvain_communities(G, weight=weight, resolution=resolution, seed=seed)
    elif method == "greedy":
        found = nx.community.greedy_modularity_communities(G, weight=weight, resolution=resolution)
    else:
        raise GraphError(f"unknown method {method!r}; available: 'greedy', 'louvain'")
    order = {n: i for i, n in enumerate(G)}
    parts = [frozenset(c) for c in found]
    return sorted(parts, key=lambda c: (-len(c), min(order[n] for n in c)))


def modularity(
    G: nx.Graph,
    parts: Iterable[Collection[Hashable]],
    *,
    weight: str | None = WEIGHT,
    resolution: float = 1.0,
) -> float:
    """Newman's modularity of a partition (:func:`networkx.community.modularity`).

    Raises :class:`~gridgov.errors.GraphError` if ``parts`` is not a partition of the nodes,
    or if the graph has no tie (modularity is then undefined).

    References
    ----------
    Newman, M. E. J. (2006). Modularity and community structure in networks. *PNAS* 103(23).
    """
    import networkx as nx

    groups = [set(p) for p in parts]
    if not nx.community.is_partition(G, groups):
        raise GraphError("parts must cover every node of the graph exactly once")
    if G.size(weight=weight) == 0:
        raise GraphError("modularity is undefined for a graph without ties")
    return float(nx.community.modularity(G, groups, weight=weight, resolution=resolution))
