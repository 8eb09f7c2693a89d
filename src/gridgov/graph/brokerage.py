r"""Brokerage and structural holes: Burt's constraint, effective size and efficiency.

A node spans a structural hole when its contacts are not tied to each other: it brokers
between them. Burt (1992) measures this on each node's ego network with mutual tie
strengths. Let :math:`a_{ij}` be the weight of the tie from *i* to *j* (1 when unweighted,
0 when absent) and the *mutual weight* :math:`z_{ij} = a_{ij} + a_{ji}`; then

.. math::

   p_{ij} = \frac{z_{ij}}{\sum_k z_{ik}}, \qquad
   m_{ij} = \frac{z_{ij}}{\max_k z_{ik}},

   \text{constraint}_i = \sum_{j \in N(i)} \Big(p_{ij} + \sum_{q \ne i, j} p_{iq}
   p_{qj}\Big)^2, \qquad
   \text{effective size}_i = \sum_{j \in N(i)} \Big(1 - \sum_{q \ne i, j} p_{iq}
   m_{jq}\Big),

and efficiency is effective size over the number of contacts. For an unweighted undirected
graph the effective size reduces to :math:`n - 2t/n` (Borgatti 1997), *n* contacts with *t*
ties among them. The values equal :func:`networkx.constraint` and
:func:`networkx.effective_size`.

How it is computed: the sums over *q* are entries of the sparse products :math:`PP` and
:math:`PM^\top`, needed only where *i* and *j* are tied; they are computed with scipy.sparse
in blocks of rows sized so that no block holds more than a few million two-step paths, so a
graph of 10 000 organisations and 100 000 ties takes seconds and little memory (networkx
either loops in Python per node or builds dense *n × n* arrays). Without scipy (the optional
``graph`` extra) the functions fall back to networkx's own loops.

Conventions: self-loops are ignored; parallel edges of a multigraph add up; ties of weight
0 count as absent; negative weights are refused; a node without contacts gets ``nan``.

References
----------
Burt, R. S. (1992). *Structural Holes: The Social Structure of Competition*. Cambridge,
MA: Harvard University Press.
Borgatti, S. P. (1997). Structural holes: unpacking Burt's redundancy measures.
*Connections* 20(1): 35–38.

Examples
--------
>>> import networkx as nx
>>> G = nx.Graph([("ego", "a"), ("ego", "b"), ("ego", "c"), ("a", "b")])
>>> round(effective_size(G)["ego"], 4)  # 3 contacts, 1 tie among them: 3 - 2/3
2.3333
>>> constraint(G, ["c"])
{'c': 1.0}
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable
from typing import TYPE_CHECKING, Any

from gridgov.errors import GraphError
from gridgov.graph._attrs import KIND, LABEL

if TYPE_CHECKING:
    import networkx as nx
    import polars as pl

__all__ = ["constraint", "effective_size", "efficiency", "structural_holes"]

#: Upper bound on the two-step paths materialised per block of rows.
_BLOCK_PATHS = 4_000_000


def _has_scipy() -> bool:
    try:
        import scipy.sparse  # noqa: F401
    except ImportError:
        return False
    return True


def _wanted(G: nx.Graph, nodes: Iterable[Hashable] | None) -> list[Any]:
    if nodes is None:
        return list(G)
    wanted = list(nodes)
    for n in wanted:
        if n not in G:
            raise GraphError(f"node {n!r} is not in the graph")
    return wanted


class _Mutual:
    """Mutual-weight matrices of a graph: pattern ``B``, proportions ``P``, ``M`` by max."""

    def __init__(self, G: nx.Graph, weight: str | None) -> None:
        import networkx as nx
        import numpy as np
        import scipy.sparse as sp

        self.order = list(G)
        self.pos = {n: i for i, n in enumerate(self.order)}
        n = len(self.order)
        A = nx.to_scipy_sparse_array(G, nodelist=self.order, weight=weight, dtype=float)
        if A.nnz and float(A.data.min()) < 0:
            raise GraphError(f"structural holes need non-negative weights ({weight!r})")
        Z = (A + A.T).tocoo() if G.is_directed() else A.tocoo()
        keep = (Z.row != Z.col) & (Z.data > 0)
        Z = sp.csr_array((Z.data[keep], (Z.row[keep], Z.col[keep])), shape=(n, n))
        Z.sum_duplicates()
        self.B = sp.csr_array((np.ones(Z.nnz), Z.indices, Z.indptr), shape=(n, n))
        self.degree = np.diff(Z.indptr)
        total = np.asarray(Z.sum(axis=1)).ravel()
        top = Z.max(axis=1).toarray().ravel() if n else np.zeros(0)
        self.P = sp.diags_array(_inverse(total)) @ Z
        self.M = sp.diags_array(_inverse(top)) @ Z

    def masked(self, rows: Any, Y: Any) -> Any:
        """``(P @ Y)`` restricted to the tied pairs of ``rows`` (a csr block per row set)."""
        import numpy as np
        import scipy.sparse as sp

        Y = sp.csr_array(Y)
        per_row = self.B[rows] @ np.diff(Y.indptr).astype(np.float64)
        blocks = []
        start = 0
        cum = np.cumsum(per_row)
        while start < len(rows):
            base = cum[start - 1] if start else 0.0
            stop = int(np.searchsorted(cum, base + _BLOCK_PATHS, side="right"))
            stop = max(stop, start + 1)
            sel = rows[start:stop]
            product = self.P[sel] @ Y
            blocks.append(sp.csr_array(product.multiply(self.B[sel])))
            start = stop
        if not blocks:
            return sp.csr_array((0, len(self.order)))
        return sp.vstack(blocks, format="csr")


def _inverse(values: Any) -> Any:
    import numpy as np

    out = np.zeros_like(values, dtype=float)
    np.divide(1.0, values, out=out, where=values > 0)
    return out


def constraint(
    G: nx.Graph, nodes: Iterable[Hashable] | None = None, *, weight: str | None = None
) -> dict[Any, float]:
    """Burt's constraint: how much a node's contacts are tied to each other (low = broker).

    Parameters
    ----------
    G
        The graph (directed graphs are read through mutual weights, see the module notes).
    nodes
        Compute and report only these nodes.
    weight
        Edge attribute holding tie strength (``None``: every tie counts 1).

    Returns
    -------
    dict
        ``{node: constraint}``; ``nan`` for a node without contacts.

    Examples
    --------
    >>> import networkx as nx
    >>> constraint(nx.star_graph(2))  # the centre spans a hole; each leaf has one tie
    {0: 0.5, 1: 1.0, 2: 1.0}
    """
    wanted = _wanted(G, nodes)
    if not _has_scipy():
        import networkx as nx

        values: dict[Any, float] = nx.constraint(G, nodes=wanted, weight=weight)
        return values
    import numpy as np

    mw = _Mutual(G, weight)
    rows = np.array([mw.pos[n] for n in wanted], dtype=np.int64)
    indirect = mw.masked(rows, mw.P)
    local = mw.P[rows] + indirect
    totals = np.asarray(local.power(2).sum(axis=1)).ravel()
    return {
        n: float(t) if d > 0 else math.nan
        for n, t, d in zip(wanted, totals, mw.degree[rows], strict=True)
    }


def _contacts(G: nx.Graph, n: Any) -> int:
    import networkx as nx

    return len(set(nx.all_neighbors(G, n)) - {n})


def _sizes(
    G: nx.Graph, wanted: list[Any], weight: str | None
) -> tuple[dict[Any, float], dict[Any, int]]:
    """Effective size and number of contacts of each wanted node."""
    if not _has_scipy():
        import networkx as nx

        values: dict[Any, float] = nx.effective_size(G, nodes=wanted, weight=weight)
        return values, {n: _contacts(G, n) for n in wanted}
    import numpy as np

    mw = _Mutual(G, weight)
    rows = np.array([mw.pos[n] for n in wanted], dtype=np.int64)
    redundancy = np.asarray(mw.masked(rows, mw.M.T).sum(axis=1)).ravel()
    degree = mw.degree[rows].tolist()
    sizes = {
        n: float(d - r) if d > 0 else math.nan
        for n, r, d in zip(wanted, redundancy.tolist(), degree, strict=True)
    }
    return sizes, dict(zip(wanted, degree, strict=True))


def effective_size(
    G: nx.Graph, nodes: Iterable[Hashable] | None = None, *, weight: str | None = None
) -> dict[Any, float]:
    """Burt's effective size: the number of contacts, less their redundancy.

    Parameters
    ----------
    G
        The graph.
    nodes
        Compute and report only these nodes.
    weight
        Edge attribute holding tie strength (``None``: every tie counts 1).

    Returns
    -------
    dict
        ``{node: effective size}``; ``nan`` for a node without contacts.

    Examples
    --------
    >>> import networkx as nx
    >>> effective_size(nx.complete_graph(3))  # each has 2 contacts, tied to each other
    {0: 1.0, 1: 1.0, 2: 1.0}
    """
    return _sizes(G, _wanted(G, nodes), weight)[0]


def efficiency(
    G: nx.Graph, nodes: Iterable[Hashable] | None = None, *, weight: str | None = None
) -> dict[Any, float]:
    """Burt's efficiency: effective size divided by the number of contacts (0–1].

    Parameters
    ----------
    G
        The graph.
    nodes
        Compute and report only these nodes.
    weight
        Edge attribute holding tie strength (``None``: every tie counts 1).

    Returns
    -------
    dict
        ``{node: efficiency}``; ``nan`` for a node without contacts.

    Examples
    --------
    >>> import networkx as nx
    >>> efficiency(nx.star_graph(3))[0]
    1.0
    """
    sizes, contacts = _sizes(G, _wanted(G, nodes), weight)
    return {n: s / contacts[n] if contacts[n] else math.nan for n, s in sizes.items()}


def structural_holes(
    G: nx.Graph, nodes: Iterable[Hashable] | None = None, *, weight: str | None = None
) -> pl.DataFrame:
    """Contacts, effective size, efficiency and constraint per node, brokers first.

    Returns
    -------
    polars.DataFrame
        Columns ``node``, ``label``, ``kind``, ``contacts``, ``effective_size``,
        ``efficiency``, ``constraint``, sorted by constraint (lowest first); the measures are
        null for a node without contacts, and such nodes come last.

    Examples
    --------
    >>> import networkx as nx
    >>> structural_holes(nx.star_graph(2)).get_column("node").to_list()
    ['0', '1', '2']
    """
    import polars as pl

    wanted = _wanted(G, nodes)
    size, contacts = _sizes(G, wanted, weight)
    con = constraint(G, wanted, weight=weight)
    attrs = G.nodes

    frame = pl.DataFrame(
        {
            "node": [str(n) for n in wanted],
            "label": [str(attrs[n].get(LABEL, n)) for n in wanted],
            "kind": [str(attrs[n].get(KIND, "")) for n in wanted],
            "contacts": [contacts[n] for n in wanted],
            "effective_size": [size[n] for n in wanted],
            "efficiency": [size[n] / contacts[n] if contacts[n] else None for n in wanted],
            "constraint": [con[n] for n in wanted],
        },
        schema={
            "node": pl.String,
            "label": pl.String,
            "kind": pl.String,
            "contacts": pl.Int64,
            "effective_size": pl.Float64,
            "efficiency": pl.Float64,
            "constraint": pl.Float64,
        },
    )
    return frame.with_columns(pl.col(pl.Float64).fill_nan(None)).sort(
        ["constraint", "node"], nulls_last=True
    )
