r"""Brokerage and structural holes: Burt's constraint, hierarchy, effective size, efficiency.

A node spans a structural hole when its contacts are not tied to each other: it brokers
between them. Burt (1992) measures this on each node's ego network with mutual tie
strengths. Let :math:`a_{ij}` be the weight of the tie from *i* to *j* (1 when unweighted,
0 when absent) and the *mutual weight* :math:`z_{ij} = a_{ij} + a_{ji}`; then

.. math::

   p_{ij} = \frac{z_{ij}}{\sum_k z_{ik}}, \qquad
   m_{ij} = \frac{z_{ij}}{\max_k z_{ik}}, \qquad
   c_{ij} = \Big(p_{ij} + \sum_{q \ne i, j} p_{iq} p_{qj}\Big)^2,

   \text{constraint}_i = C_i = \sum_{j \in N(i)} c_{ij}, \qquad
   \text{effective size}_i = \sum_{j \in N(i)} \Big(1 - \sum_{q \ne i, j} p_{iq}
   m_{jq}\Big),

   \text{hierarchy}_i = \frac{\sum_{j \in N(i)} r_{ij} \ln r_{ij}}{n_i \ln n_i}, \qquad
   r_{ij} = \frac{c_{ij}}{C_i / n_i},

with *N(i)* the contacts of *i* and :math:`n_i = |N(i)|`. Efficiency is effective size over
the number of contacts. Hierarchy is the Coleman–Theil disorder index of the contact
constraints (Burt 1992, ch. 2): 0 when every contact constrains *i* equally, 1 when one
contact holds all the constraint. For an unweighted undirected graph the effective size
reduces to :math:`n - 2t/n` (Borgatti 1997), *n* contacts with *t* ties among them.

Agreement with networkx: on graphs without self-loops the values equal
:func:`networkx.constraint` and :func:`networkx.effective_size` (networkx 3.6) except where
networkx is wrong:

- :func:`networkx.effective_size` with ``nodes=None`` (its sparse-matrix path) on a
  *weighted* or *directed* graph divides each mutual weight :math:`z_{jq}` by the maximum of
  row *q* instead of row *j* (``M /= M.max(axis=1).toarray()`` broadcasts over columns), so
  :math:`m_{jq}` is wrong wherever the row maxima differ; unweighted undirected graphs, where
  every maximum is 1, are unaffected;
- with ``nodes`` given (its loop path), networkx gives ``nan`` for a node of a directed graph
  that has only incoming ties (it tests ``len(G[v]) == 0``, the successors);
- both networkx paths count a self-loop as a contact (in the sums, maxima and neighbour sets).

How it is computed: the sums over *q* are entries of the sparse products :math:`PP` and
:math:`PM^\top`, needed only where *i* and *j* are tied; with scipy (the optional ``graph``
extra) they are computed with scipy.sparse in blocks of rows sized so that no block holds more
than a few million two-step paths, so a graph of 10 000 organisations and 100 000 ties takes
seconds and little memory (networkx either loops in Python per node or builds dense
*n × n* arrays). Without scipy the same definition is evaluated from dictionaries of mutual
weights, looping over each wanted node's contacts; the two paths agree to rounding.

Conventions (both paths): self-loops are ignored; parallel edges of a multigraph add up; ties
of weight 0 count as absent; a tie without the weight attribute weighs 1; negative weights
are refused; a node without contacts gets ``nan`` for every measure; a node with one contact
has hierarchy 1 (all its constraint comes from that contact).

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

__all__ = ["burt_hierarchy", "constraint", "effective_size", "efficiency", "structural_holes"]

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
        if weight is not None:  # the same check, and message, as the pure-Python path
            for _, _, value in G.edges(data=weight, default=1.0):
                _weight_value(value, weight)
        A = nx.to_scipy_sparse_array(G, nodelist=self.order, weight=weight, dtype=float)
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


def _hierarchy(indptr: Any, data: Any) -> Any:
    """Coleman–Theil index of each row's contact constraints (csr ``indptr``/``data``).

    ``data`` holds :math:`c_{ij} > 0` for the contacts of each row. Rows without contacts give
    ``nan``, rows with one contact 1.0; rounding is clipped to [0, 1].
    """
    import numpy as np

    counts = np.diff(indptr)
    row_of = np.repeat(np.arange(counts.size), counts)
    totals = np.bincount(row_of, weights=data, minlength=counts.size)
    ratio = data * (counts / np.where(totals > 0, totals, 1.0))[row_of]
    terms = np.where(ratio > 0, ratio * np.log(np.where(ratio > 0, ratio, 1.0)), 0.0)
    numerator = np.bincount(row_of, weights=terms, minlength=counts.size)
    result = np.full(counts.size, math.nan)
    result[counts == 1] = 1.0
    many = counts > 1
    result[many] = np.clip(numerator[many] / (counts[many] * np.log(counts[many])), 0.0, 1.0)
    return result


class _Measures:
    """Burt's measures of the wanted nodes, by scipy.sparse or, without scipy, by dicts."""

    def __init__(self, G: nx.Graph, wanted: list[Any], weight: str | None, *, scipy: bool) -> None:
        self.G, self.wanted, self.weight, self.scipy = G, wanted, weight, scipy
        self._local: tuple[Any, Any] | None = None
        if scipy:
            import numpy as np

            self._sparse = _Mutual(G, weight)
            self._rows = np.array([self._sparse.pos[n] for n in wanted], dtype=np.int64)
            self.contacts: list[int] = self._sparse.degree[self._rows].tolist()
        else:
            self._z = _mutual_dicts(G, weight)
            self.contacts = [len(self._z[n]) for n in wanted]

    def _local_constraints(self) -> tuple[Any, Any]:
        """``c_ij`` for the contacts of each wanted node, as csr ``(indptr, data)`` (cached)."""
        if self._local is None:
            self._local = self._compute_local_constraints()
        return self._local

    def _compute_local_constraints(self) -> tuple[Any, Any]:
        import numpy as np

        if self.scipy:
            mw, rows = self._sparse, self._rows
            local = (mw.P[rows] + mw.masked(rows, mw.P)).tocsr()
            local.eliminate_zeros()  # every true c_ij > 0 (p_ij > 0 on a tie)
            return local.indptr, local.data**2
        z = self._z
        totals = {n: sum(ties.values()) for n, ties in z.items()}
        data: list[float] = []
        indptr = [0]
        for i in self.wanted:
            ties = z[i]
            p_i = {q: w / totals[i] for q, w in ties.items()}
            for j in ties:
                indirect = sum(p_iq * z[q][j] / totals[q] for q, p_iq in p_i.items() if j in z[q])
                data.append((p_i[j] + indirect) ** 2)
            indptr.append(len(data))
        return np.array(indptr, dtype=np.int64), np.array(data, dtype=np.float64)

    def constraint(self) -> list[float]:
        import numpy as np

        indptr, data = self._local_constraints()
        row_of = np.repeat(np.arange(len(self.wanted)), np.diff(indptr))
        totals = np.bincount(row_of, weights=data, minlength=len(self.wanted))
        return [float(t) if d > 0 else math.nan for t, d in zip(totals, self.contacts, strict=True)]

    def hierarchy(self) -> list[float]:
        values: list[float] = _hierarchy(*self._local_constraints()).tolist()
        return values

    def effective_size(self) -> list[float]:
        import numpy as np

        if self.scipy:
            mw, rows = self._sparse, self._rows
            redundancy = np.asarray(mw.masked(rows, mw.M.T).sum(axis=1)).ravel().tolist()
        else:
            z = self._z
            top = {n: max(ties.values(), default=0.0) for n, ties in z.items()}
            redundancy = []
            for i in self.wanted:
                ties = z[i]
                total = sum(ties.values())
                redundancy.append(
                    sum(
                        w_iq / total * z[j][q] / top[j]
                        for j in ties
                        for q, w_iq in ties.items()
                        if q in z[j]
                    )
                )
        return [
            float(d - r) if d > 0 else math.nan
            for r, d in zip(redundancy, self.contacts, strict=True)
        ]


def _weight_value(value: object, weight: str | None) -> float:
    try:
        a = float(value)  # type: ignore[arg-type]  # checked: refused below if not a number
    except (TypeError, ValueError):
        a = math.nan
    if not (math.isfinite(a) and a >= 0):
        raise GraphError(
            f"structural holes need finite non-negative weights ({weight!r}), got {value!r}"
        )
    return a


def _mutual_dicts(G: nx.Graph, weight: str | None) -> dict[Any, dict[Any, float]]:
    """Mutual weights ``z[i][j] > 0`` without scipy: the same rules as :class:`_Mutual`."""
    z: dict[Any, dict[Any, float]] = {n: {} for n in G}
    for u, v, attrs in G.edges(data=True):
        a = 1.0 if weight is None else _weight_value(attrs.get(weight, 1.0), weight)
        if u == v:
            continue
        # an undirected tie is a_uv = a_vu = a with z = A; a directed one adds a to both
        # z_uv and z_vu (z = A + A^T): the same update either way
        z[u][v] = z[u].get(v, 0.0) + a
        z[v][u] = z[v].get(u, 0.0) + a
    return {n: {m: w for m, w in ties.items() if w > 0} for n, ties in z.items()}


def _measures(
    G: nx.Graph, nodes: Iterable[Hashable] | None, weight: str | None, use_scipy: bool | None
) -> _Measures:
    scipy = _has_scipy() if use_scipy is None else use_scipy
    if scipy and not _has_scipy():
        raise GraphError("use_scipy=True, but scipy is not installed (the 'graph' extra)")
    return _Measures(G, _wanted(G, nodes), weight, scipy=scipy)


def constraint(
    G: nx.Graph,
    nodes: Iterable[Hashable] | None = None,
    *,
    weight: str | None = None,
    use_scipy: bool | None = None,
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
    use_scipy
        ``None`` (default): scipy.sparse when it is installed, else the pure-Python path;
        ``True``/``False`` force one (the results agree to rounding).

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
    m = _measures(G, nodes, weight, use_scipy)
    return dict(zip(m.wanted, m.constraint(), strict=True))


def burt_hierarchy(
    G: nx.Graph,
    nodes: Iterable[Hashable] | None = None,
    *,
    weight: str | None = None,
    use_scipy: bool | None = None,
) -> dict[Any, float]:
    """Burt's hierarchy: how far a node's constraint is concentrated in one contact.

    The Coleman–Theil disorder index of the contact constraints :math:`c_{ij}` (see the
    module notes): 0 when all contacts constrain the node equally, 1 when one contact holds
    all of it. Burt (1992) reads high constraint with high hierarchy as dependence on a
    single contact, high constraint with low hierarchy as a dense clique.

    Parameters
    ----------
    G
        The graph.
    nodes
        Compute and report only these nodes.
    weight
        Edge attribute holding tie strength (``None``: every tie counts 1).
    use_scipy
        ``None`` (default): scipy.sparse when it is installed, else the pure-Python path;
        ``True``/``False`` force one (the results agree to rounding).

    Returns
    -------
    dict
        ``{node: hierarchy}`` in [0, 1]; ``nan`` for a node without contacts, 1.0 for a node
        with one contact.

    References
    ----------
    Burt, R. S. (1992). *Structural Holes*, ch. 2 (hierarchy as the Coleman–Theil
    disorder index of constraint).

    Examples
    --------
    >>> import networkx as nx
    >>> burt_hierarchy(nx.complete_graph(4))[0]  # every contact constrains equally
    0.0
    >>> burt_hierarchy(nx.path_graph(2))  # one contact each: all constraint in it
    {0: 1.0, 1: 1.0}
    """
    m = _measures(G, nodes, weight, use_scipy)
    return dict(zip(m.wanted, m.hierarchy(), strict=True))


def effective_size(
    G: nx.Graph,
    nodes: Iterable[Hashable] | None = None,
    *,
    weight: str | None = None,
    use_scipy: bool | None = None,
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
    use_scipy
        ``None`` (default): scipy.sparse when it is installed, else the pure-Python path;
        ``True``/``False`` force one (the results agree to rounding).

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
    m = _measures(G, nodes, weight, use_scipy)
    return dict(zip(m.wanted, m.effective_size(), strict=True))


def efficiency(
    G: nx.Graph,
    nodes: Iterable[Hashable] | None = None,
    *,
    weight: str | None = None,
    use_scipy: bool | None = None,
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
    use_scipy
        ``None`` (default): scipy.sparse when it is installed, else the pure-Python path;
        ``True``/``False`` force one (the results agree to rounding).

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
    m = _measures(G, nodes, weight, use_scipy)
    return {
        n: s / d if d else math.nan
        for n, s, d in zip(m.wanted, m.effective_size(), m.contacts, strict=True)
    }


def structural_holes(
    G: nx.Graph,
    nodes: Iterable[Hashable] | None = None,
    *,
    weight: str | None = None,
    use_scipy: bool | None = None,
) -> pl.DataFrame:
    """Contacts, effective size, efficiency, constraint and hierarchy per node, brokers first.

    Parameters
    ----------
    G
        The graph.
    nodes
        Compute and report only these nodes.
    weight
        Edge attribute holding tie strength (``None``: every tie counts 1).
    use_scipy
        ``None`` (default): scipy.sparse when it is installed, else the pure-Python path;
        ``True``/``False`` force one (the results agree to rounding).

    Returns
    -------
    polars.DataFrame
        Columns ``node``, ``label``, ``kind``, ``contacts``, ``effective_size``,
        ``efficiency``, ``constraint``, ``hierarchy``, sorted by constraint (lowest first);
        the measures are null for a node without contacts, and such nodes come last.

    Examples
    --------
    >>> import networkx as nx
    >>> structural_holes(nx.star_graph(2)).get_column("node").to_list()
    ['0', '1', '2']
    """
    import polars as pl

    m = _measures(G, nodes, weight, use_scipy)
    wanted, contacts = m.wanted, m.contacts
    size = m.effective_size()
    attrs = G.nodes
    frame = pl.DataFrame(
        {
            "node": [str(n) for n in wanted],
            "label": [str(attrs[n].get(LABEL, n)) for n in wanted],
            "kind": [str(attrs[n].get(KIND, "")) for n in wanted],
            "contacts": contacts,
            "effective_size": size,
            "efficiency": [s / d if d else None for s, d in zip(size, contacts, strict=True)],
            "constraint": m.constraint(),
            "hierarchy": m.hierarchy(),
        },
        schema={
            "node": pl.String,
            "label": pl.String,
            "kind": pl.String,
            "contacts": pl.Int64,
            "effective_size": pl.Float64,
            "efficiency": pl.Float64,
            "constraint": pl.Float64,
            "hierarchy": pl.Float64,
        },
    )
    return frame.with_columns(pl.col(pl.Float64).fill_nan(None)).sort(
        ["constraint", "node"], nulls_last=True
    )
