"""Travel times: the network matrix equals a naive networkx computation; straight-line maths."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gridgov.analysis import StreetNetwork, travel_times, travel_times_xy
from gridgov.org.profiles import load_profile


@st.composite
def networks(draw: st.DrawFn) -> tuple[np.ndarray, list[tuple[int, int, float]]]:
    n = draw(st.integers(2, 12))
    coords = draw(
        st.lists(
            st.tuples(st.integers(0, 1000), st.integers(0, 1000)),
            min_size=n,
            max_size=n,
            unique=True,
        )
    )
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.integers(1, 900)),
            max_size=30,
        )
    )
    edges = [(i, j, float(w)) for i, j, w in pairs if i != j]
    return np.asarray(coords, dtype=float), edges


@settings(max_examples=60, deadline=None)
@given(networks())
def test_network_distances_equal_networkx_shortest_paths(
    net: tuple[np.ndarray, list[tuple[int, int, float]]],
) -> None:
    nodes, edges = net
    g = nx.Graph()
    g.add_nodes_from(range(len(nodes)))
    for i, j, w in edges:  # the shortest of parallel edges counts, as in the network
        if not g.has_edge(i, j) or g[i][j]["length"] > w:
            g.add_edge(i, j, length=w)
    street = StreetNetwork(nodes, edges)
    got = street.distances(nodes, nodes)  # points exactly on nodes: no access stretch
    naive = dict(nx.all_pairs_dijkstra_path_length(g, weight="length"))
    for a in range(len(nodes)):
        for b in range(len(nodes)):
            expected = naive[b].get(a, math.inf)  # row: origin a, column: destination b
            assert got[a, b] == expected or math.isclose(got[a, b], expected)


def test_access_stretch_is_added() -> None:
    street = StreetNetwork(np.array([[0.0, 0.0], [100.0, 0.0]]), [(0, 1, 100.0)])
    # origin 30 m off node 0, destination 40 m off node 1: 30 + 100 + 40
    got = street.distances(np.array([[0.0, 30.0]]), np.array([[100.0, -40.0]]))
    assert got.tolist() == [[170.0]]


def test_straight_line_uses_the_profile_detour_and_speed() -> None:
    prof = load_profile("default")
    t = travel_times_xy(np.zeros((1, 2)), np.array([[600.0, 800.0]]), mode="drive")
    expected = 1000.0 * prof.get("travel.detour_factor") / prof.get("travel.drive_speed_m_per_min")
    assert math.isclose(float(t[0, 0]), expected)


def test_lonlat_distance_matches_geodesic() -> None:
    # 0.01° of longitude at 46.77° N is 763.8 m (111 320 m × cos 46.77°; WGS84 ellipsoid gives
    # 764.5 m, pyproj's geodesic); walking at 60 m/min with detour 1.3
    t = travel_times(np.array([[131.80, 46.77]]), np.array([[131.81, 46.77]]))
    assert abs(float(t[0, 0]) - 764.5 * 1.3 / 60) < 0.05
