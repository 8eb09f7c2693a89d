"""Centrality: degree, betweenness, eigenvector and closeness, networkx style.

Each measure is a function of a graph returning ``{node: value}``. The values are
networkx's own (these functions call networkx, or rustworkx for exact betweenness when it is
installed and asked for), so a study's figures can be checked against networkx directly.
Arguments keep one meaning across :mod:`gridgov.graph`: ``G`` the graph, ``nodes`` the
nodes to report (the measure is always computed on the whole graph), ``weight`` the edge
attribute holding tie strength (``None``: every tie counts 1), ``k`` and ``seed`` for
sampling.

:func:`centrality_table` puts the four side by side in a polars frame, with the nodes'
labels and kinds, as community-governance studies report them (e.g. Geng, Wang and Zhang
2017 on Chaoyang district: degree and betweenness of the actors of a co-governance network,
read together with structural holes, :mod:`gridgov.graph.brokerage`).

Examples
--------
>>> import networkx as nx
>>> G = nx.star_graph(3)
>>> degree(G)[0], betweenness(G)[0], round(closeness(G)[1], 3)
(1.0, 1.0, 0.6)
"""

from __future__ import annotations

import importlib.util
from collections.abc import Hashable, Iterable
from typing import TYPE_CHECKING, Any, Literal

from gridgov.errors import GraphError, MissingExtraError
from gridgov.graph._attrs import KIND, LABEL

if TYPE_CHECKING:
    import networkx as nx
    import polars as pl

__all__ = ["betweenness", "centrality_table", "closeness", "degree", "eigenvector"]

Backend = Literal["auto", "networkx", "rustworkx"]


def _only(values: dict[Any, float], nodes: Iterable[Hashable] | None) -> dict[Any, float]:
    if nodes is None:
        return values
    try:
        return {n: values[n] for n in nodes}
    except KeyError as exc:
        raise GraphError(f"node {exc.args[0]!r} is not in the graph") from None


def degree(
    G: nx.Graph,
    nodes: Iterable[Hashable] | None = None,
    *,
    weight: str | None = None,
    normalized: bool = True,
) -> dict[Any, float]:
    """Degree centrality: ties per node, divided by ``n - 1`` when ``normalized``.

    With ``weight=None`` and ``normalized=True`` this is exactly
    :func:`networkx.degree_centrality` (in a directed graph, in- plus out-degree). With a
    ``weight`` it is the node's strength (sum of tie weights), divided by ``n - 1`` when
    ``normalized``.

    Parameters
    ----------
    G
        The graph.
    nodes
        Report only these nodes.
    weight
        Edge attribute to sum instead of counting ties.
    normalized
        Divide by ``n - 1``.

    Returns
    -------
    dict
        ``{node: degree}``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([("a", "b", {"weight": 3}), ("a", "c", {"weight": 1})])
    >>> degree(G)["a"], degree(G, weight="weight", normalized=False)["a"]
    (1.0, 4)
    """
    import networkx as nx

    if weight is None and normalized:
        return _only(nx.degree_centrality(G), nodes)
    scale = 1.0 / (len(G) - 1) if normalized and len(G) > 1 else 1.0
    values = {n: d * scale if normalized else d for n, d in G.degree(weight=weight)}
    return _only(values, nodes)


def _use_rustworkx(backend: Backend, k: int | None, weight: str | None) -> bool:
    if backend == "networkx":
        return False
    available = importlib.util.find_spec("rustworkx") is not None
    if backend == "rustworkx":
        if not available:
            raise MissingExtraError(
                "the rustworkx betweenness backend needs the optional module 'rustworkx' "
                "(not a gridgov dependency): pip install rustworkx"
            )
        if k is not None or weight is not None:
            raise GraphError(
                "the rustworkx backend computes exact, unweighted betweenness: "
                "pass k=None and weight=None, or backend='networkx'"
            )
        return True
    return available and k is None and weight is None


def betweenness(
    G: nx.Graph,
    nodes: Iterable[Hashable] | None = None,
    *,
    k: int | None = None,
    seed: int | None = None,
    weight: str | None = None,
    normalized: bool = True,
    endpoints: bool = False,
    backend: Backend = "auto",
) -> dict[Any, float]:
    """Betweenness centrality: the share of shortest paths running through each node.

    Exact betweenness costs O(nm) — minutes for a city's ten thousand organisations — so
    pass ``k`` to estimate it from ``k`` sampled source nodes (Brandes and Pich 2007), with
    ``seed`` for a reproducible sample. Values are those of
    :func:`networkx.betweenness_centrality` with the same arguments.

    Parameters
    ----------
    G
        The graph.
    nodes
        Report only these nodes.
    k
        Number of sampled sources; ``None`` for exact betweenness. ``k >= len(G)`` is exact.
    seed
        Seed of the sample (used only with ``k``).
    weight
        Edge attribute used as *distance* by the shortest paths (``None``: hops). A tie
        strength such as the co-building ``weight`` is not a distance; invert it first if
        you want strong ties to be short.
    normalized, endpoints
        As in networkx.
    backend
        ``"networkx"``; ``"rustworkx"`` (exact, unweighted, multithreaded; needs the
        optional ``rustworkx`` package, not a gridgov dependency); ``"auto"`` (default)
        uses rustworkx when it is installed and the call is exact and unweighted, else
        networkx.

    Returns
    -------
    dict
        ``{node: betweenness}``.

    References
    ----------
    Brandes, U. (2001). A faster algorithm for betweenness centrality. *Journal of
    Mathematical Sociology* 25(2): 163–177. Brandes, U. and Pich, C. (2007). Centrality
    estimation in large networks. *International Journal of Bifurcation and Chaos* 17(7).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.path_graph(["a", "b", "c"])
    >>> betweenness(G, backend="networkx")
    {'a': 0.0, 'b': 1.0, 'c': 0.0}
    >>> betweenness(G, k=2, seed=1)["b"] >= 0
    True
    """
    import networkx as nx

    if k is not None and k >= len(G):
        k = None
    if _use_rustworkx(backend, k, weight):
        values = _rustworkx_betweenness(G, normalized=normalized, endpoints=endpoints)
    else:
        values = nx.betweenness_centrality(
            G, k=k, normalized=normalized, weight=weight, endpoints=endpoints, seed=seed
        )
    return _only(values, nodes)


def _rustworkx_betweenness(G: nx.Graph, *, normalized: bool, endpoints: bool) -> dict[Any, float]:
    rx = importlib.import_module("rustworkx")  # optional, not a gridgov dependency

    order = list(G)
    pos = {n: i for i, n in enumerate(order)}
    R = rx.PyDiGraph() if G.is_directed() else rx.PyGraph()
    R.add_nodes_from(order)
    R.add_edges_from_no_data([(pos[u], pos[v]) for u, v in G.edges()])
    result = rx.betweenness_centrality(R, normalized=normalized, endpoints=endpoints)
    return {order[i]: float(result[i]) for i in range(len(order))}


def eigenvector(
    G: nx.Graph,
    nodes: Iterable[Hashable] | None = None,
    *,
    weight: str | None = None,
    max_iter: int = 1000,
    tol: float = 1e-6,
) -> dict[Any, float]:
    """Eigenvector centrality: ties to well-tied nodes count more.

    Values are those of :func:`networkx.eigenvector_centrality` (power iteration on
    ``A + I``, so it converges on two-mode graphs too); a graph on which it does not
    converge within ``max_iter`` raises :class:`~gridgov.errors.GraphError`.

    Parameters
    ----------
    G
        The graph.
    nodes
        Report only these nodes.
    weight
        Edge attribute holding tie strength.
    max_iter, tol
        As in networkx.

    Returns
    -------
    dict
        ``{node: centrality}``, Euclidean norm 1.

    Examples
    --------
    >>> import networkx as nx
    >>> values = eigenvector(nx.star_graph(4))
    >>> values[0] > values[1]
    True
    """
    import networkx as nx

    if len(G) == 0:
        return {}
    try:
        values = nx.eigenvector_centrality(G, max_iter=max_iter, tol=tol, weight=weight)
    except nx.PowerIterationFailedConvergence:
        raise GraphError(
            f"eigenvector centrality did not converge in {max_iter} iterations; "
            "raise max_iter or tol"
        ) from None
    return _only(values, nodes)


def closeness(
    G: nx.Graph,
    nodes: Iterable[Hashable] | None = None,
    *,
    distance: str | None = None,
    wf_improved: bool = True,
) -> dict[Any, float]:
    """Closeness centrality: how near a node is to every node it can reach.

    Values are those of :func:`networkx.closeness_centrality`; with ``wf_improved`` (the
    default) they are scaled by the share of the graph a node reaches (Wasserman and Faust
    1994), so nodes in small components do not look central.

    Parameters
    ----------
    G
        The graph.
    nodes
        Report only these nodes.
    distance
        Edge attribute used as distance (``None``: hops). Named as in networkx because it
        is not a tie strength.
    wf_improved
        Wasserman–Faust scaling for disconnected graphs.

    Returns
    -------
    dict
        ``{node: closeness}``.

    Examples
    --------
    >>> import networkx as nx
    >>> closeness(nx.path_graph(3), [1])
    {1: 1.0}
    """
    import networkx as nx

    if nodes is not None:
        wanted = list(nodes)
        missing = [n for n in wanted if n not in G]
        if missing:
            raise GraphError(f"node {missing[0]!r} is not in the graph")
        return {
            n: nx.closeness_centrality(G, u=n, distance=distance, wf_improved=wf_improved)
            for n in wanted
        }
    values: dict[Any, float] = nx.closeness_centrality(
        G, distance=distance, wf_improved=wf_improved
    )
    return values


def centrality_table(
    G: nx.Graph,
    nodes: Iterable[Hashable] | None = None,
    *,
    k: int | None = None,
    seed: int | None = None,
    weight: str | None = None,
) -> pl.DataFrame:
    """Degree, betweenness, eigenvector and closeness side by side, most between first.

    Parameters
    ----------
    G
        The graph.
    nodes
        Report only these nodes.
    k, seed
        Sample betweenness from ``k`` sources (see :func:`betweenness`).
    weight
        Tie strength for degree (as strength, not normalised) and eigenvector centrality.
        Betweenness and closeness always count hops here: pass them a distance yourself.

    Returns
    -------
    polars.DataFrame
        Columns ``node``, ``label``, ``kind``, ``degree``, ``betweenness``, ``eigenvector``,
        ``closeness``; ``label`` and ``kind`` come from the node attributes ``LABEL`` and
        ``KIND`` (the node id and ``""`` when absent).

    Examples
    --------
    >>> import networkx as nx
    >>> centrality_table(nx.star_graph(2)).row(0)[:2]
    ('0', '0')
    """
    import polars as pl

    order = list(G) if nodes is None else list(nodes)
    deg = degree(G, order, weight=weight, normalized=weight is None)
    btw = betweenness(G, order, k=k, seed=seed)
    eig = eigenvector(G, order, weight=weight)
    clo = closeness(G) if nodes is None else closeness(G, order)
    attrs = G.nodes
    frame = pl.DataFrame(
        {
            "node": [str(n) for n in order],
            "label": [str(attrs[n].get(LABEL, n)) for n in order],
            "kind": [str(attrs[n].get(KIND, "")) for n in order],
            "degree": [float(deg[n]) for n in order],
            "betweenness": [float(btw[n]) for n in order],
            "eigenvector": [float(eig[n]) for n in order],
            "closeness": [float(clo[n]) for n in order],
        },
        schema={
            "node": pl.String,
            "label": pl.String,
            "kind": pl.String,
            "degree": pl.Float64,
            "betweenness": pl.Float64,
            "eigenvector": pl.Float64,
            "closeness": pl.Float64,
        },
    )
    return frame.sort(["betweenness", "degree", "node"], descending=[True, True, False])
