"""Travel times between many origins and many destinations, walking or driving.

Two ways to get a time, both many-to-many without a Python loop per pair:

* **straight line × detour**: metric distance in a local azimuthal equidistant projection
  (pyproj) times the profile's ``travel.detour_factor``, divided by the mode's speed
  (``travel.walk_speed_m_per_min``, ``travel.drive_speed_m_per_min``);
* **a street network** the user already has (:class:`StreetNetwork`, read from GraphML — e.g.
  saved by osmnx — or OSM XML with :func:`read_street_network`; nothing is downloaded):
  points snap to their nearest node (scipy ``cKDTree``), the straight stretch to the node is
  added, and shortest paths come from one ``scipy.sparse.csgraph.dijkstra`` call over the
  distinct destination nodes.

Examples
--------
>>> import numpy as np
>>> net = StreetNetwork(np.array([[0.0, 0.0], [100.0, 0.0], [100.0, 100.0]]),
...                     [(0, 1, 100.0), (1, 2, 100.0)])
>>> net.distances(np.array([[0.0, 0.0]]), np.array([[100.0, 100.0]])).tolist()
[[200.0]]
>>> t = travel_times_xy(np.array([[0.0, 0.0]]), np.array([[300.0, 400.0]]), mode="walk")
>>> t.round(2).tolist()
[[10.83]]
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from gridgov.analysis._space import number, profile_of, project
from gridgov.errors import GridgovError, Problem, TableError

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from gridgov.org.profiles import Profile, ProfileRef

__all__ = ["Mode", "StreetNetwork", "read_street_network", "travel_times", "travel_times_xy"]

Mode = Literal["walk", "drive"]
_SPEED_KEY = {"walk": "travel.walk_speed_m_per_min", "drive": "travel.drive_speed_m_per_min"}


def _speed(profile: Profile, mode: str) -> float:
    if mode not in _SPEED_KEY:
        raise GridgovError(f"unknown mode {mode!r}; available: drive, walk (未知的出行方式)")
    return number(profile, _SPEED_KEY[mode])


class StreetNetwork:
    """A street network in metres: node coordinates and undirected edges with lengths.

    Parameters
    ----------
    nodes : array of shape (n, 2)
        Node coordinates in metres (a local metric projection).
    edges : sequence of (i, j, length)
        Node positions and the edge's length in metres.
    """

    def __init__(self, nodes: NDArray[np.float64], edges: Sequence[tuple[int, int, float]]) -> None:
        from scipy.sparse import csr_matrix

        self.nodes = np.asarray(nodes, dtype=float).reshape(-1, 2)
        n = len(self.nodes)
        arr = np.asarray(edges, dtype=float).reshape(-1, 3)
        i, j, w = arr[:, 0].astype(np.int64), arr[:, 1].astype(np.int64), arr[:, 2]
        bad = (i < 0) | (i >= n) | (j < 0) | (j >= n) | ~np.isfinite(w) | (w < 0)
        if bad.any():
            rows = np.flatnonzero(bad)[:20].tolist()
            raise TableError(
                [
                    Problem("bad-edge", f"edges row {r}", "node out of range or bad length")
                    for r in rows
                ],
                table="street network",
            )
        # keep the shortest of parallel edges; csgraph treats explicit zeros as absent, so
        # zero-length edges get a tiny positive length
        w = np.maximum(w, 1e-9)
        order = np.lexsort((w, j, i))
        i, j, w = i[order], j[order], w[order]
        first = np.ones(len(i), dtype=bool)
        first[1:] = (i[1:] != i[:-1]) | (j[1:] != j[:-1])
        self.graph = csr_matrix((w[first], (i[first], j[first])), shape=(n, n))
        self._tree: Any = None

    def snap(self, points: NDArray[np.float64]) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
        """Nearest node of each point and the straight distance to it (metres)."""
        from scipy.spatial import cKDTree

        if self._tree is None:
            self._tree = cKDTree(self.nodes)
        dist, idx = self._tree.query(np.asarray(points, dtype=float).reshape(-1, 2))
        return np.asarray(idx, dtype=np.int64), np.asarray(dist, dtype=float)

    def distances(
        self, origins: NDArray[np.float64], destinations: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        """Shortest walking distance (metres), origins × destinations, via the network."""
        from scipy.sparse.csgraph import dijkstra

        o_node, o_access = self.snap(origins)
        d_node, d_access = self.snap(destinations)
        unique, inverse = np.unique(d_node, return_inverse=True)
        net = dijkstra(self.graph, directed=False, indices=unique)  # (n_unique, n_nodes)
        out = net[inverse][:, o_node].T
        return np.asarray(out + o_access[:, None] + d_access[None, :], dtype=float)

    @classmethod
    def from_networkx(
        cls, graph: Any, *, centre: tuple[float, float] | None = None
    ) -> StreetNetwork:
        """From a networkx graph whose nodes carry ``x`` (lon) and ``y`` (lat), as osmnx writes.

        Edge ``length`` (metres) is used when present, else the projected straight length.
        """
        keys = list(graph.nodes)
        pos = {k: i for i, k in enumerate(keys)}
        try:
            lon = np.array([float(graph.nodes[k]["x"]) for k in keys])
            lat = np.array([float(graph.nodes[k]["y"]) for k in keys])
        except (KeyError, TypeError, ValueError):
            raise TableError(
                [Problem("missing-column", "street network nodes", "every node needs x and y")],
                table="street network",
            ) from None
        if centre is None:
            centre = (float(np.median(lon)), float(np.median(lat)))
        x, y = project(lon, lat, centre)
        xy = np.column_stack([x, y])
        edges: list[tuple[int, int, float]] = []
        for u, v, data in graph.edges(data=True):
            a, b = pos[u], pos[v]
            length = data.get("length")
            w = float(length) if length is not None else float(np.hypot(*(xy[a] - xy[b])))
            edges.append((a, b, w))
        net = cls(xy, edges)
        net.centre = centre
        return net

    centre: tuple[float, float] | None = None


def read_street_network(path: str | Path) -> StreetNetwork:
    """Read a street network file the user has: GraphML (``.graphml``) or OSM XML (``.osm``).

    Nothing is downloaded. For OSM XML, ways with a ``highway`` tag become edges between
    consecutive nodes.
    """
    import networkx as nx

    p = Path(path)
    if p.suffix.lower() == ".graphml":
        return StreetNetwork.from_networkx(nx.read_graphml(p))
    if p.suffix.lower() in {".osm", ".xml"}:
        import xml.etree.ElementTree as ET

        g: Any = nx.Graph()
        coords: dict[str, tuple[float, float]] = {}
        for _, el in ET.iterparse(p, events=("end",)):  # noqa: S314  # the user's own file; expat refuses external entities and limits expansion
            if el.tag == "node":
                coords[el.attrib["id"]] = (float(el.attrib["lon"]), float(el.attrib["lat"]))
            elif el.tag == "way":
                if any(t.attrib.get("k") == "highway" for t in el.findall("tag")):
                    refs = [
                        nd.attrib["ref"] for nd in el.findall("nd") if nd.attrib["ref"] in coords
                    ]
                    for a, b in itertools.pairwise(refs):
                        g.add_edge(a, b)
                el.clear()
        for n in g.nodes:
            g.nodes[n]["x"], g.nodes[n]["y"] = coords[n]
        return StreetNetwork.from_networkx(g)
    raise GridgovError(f"{p}: unknown street network format; use .graphml or .osm (未知的路网格式)")


def travel_times_xy(
    origins: NDArray[np.float64],
    destinations: NDArray[np.float64],
    *,
    mode: Mode = "walk",
    profile: ProfileRef | Profile = "default",
    network: StreetNetwork | None = None,
) -> NDArray[np.float64]:
    """Minutes from each origin to each destination, points in metres (``(n, 2)`` arrays)."""
    prof = profile_of(profile)
    speed = _speed(prof, mode)
    o = np.asarray(origins, dtype=float).reshape(-1, 2)
    d = np.asarray(destinations, dtype=float).reshape(-1, 2)
    if network is not None:
        return network.distances(o, d) / speed
    from scipy.spatial.distance import cdist

    detour = number(prof, "travel.detour_factor")
    return np.asarray(cdist(o, d) * detour / speed, dtype=float)


def travel_times(
    origins: NDArray[np.float64],
    destinations: NDArray[np.float64],
    *,
    mode: Mode = "walk",
    profile: ProfileRef | Profile = "default",
    network: StreetNetwork | None = None,
) -> NDArray[np.float64]:
    """Minutes from each origin to each destination, points as WGS84 ``(lon, lat)`` rows.

    Parameters
    ----------
    origins, destinations : arrays of shape (n, 2) and (m, 2)
        Longitude and latitude in degrees.
    mode : "walk" or "drive"
        Which speed of the profile to use.
    profile : str or Profile
        Where speeds and the detour factor come from (``travel.*`` values).
    network : StreetNetwork, optional
        A street network (projected about its own centre); else straight line × detour.

    Returns
    -------
    numpy.ndarray of shape (n, m)

    Examples
    --------
    >>> t = travel_times(np.array([[131.80, 46.77]]), np.array([[131.81, 46.77]]))
    >>> round(float(t[0, 0]), 1)  # 763 m × 1.3 / 60 m per minute
    16.5
    """
    o = np.asarray(origins, dtype=float).reshape(-1, 2)
    d = np.asarray(destinations, dtype=float).reshape(-1, 2)
    if network is not None and network.centre is not None:
        centre = network.centre
    else:
        both = np.vstack([o, d])
        centre = (float(np.median(both[:, 0])), float(np.median(both[:, 1])))
    ox, oy = project(o[:, 0], o[:, 1], centre)
    dx, dy = project(d[:, 0], d[:, 1], centre)
    return travel_times_xy(
        np.column_stack([ox, oy]),
        np.column_stack([dx, dy]),
        mode=mode,
        profile=profile,
        network=network,
    )
