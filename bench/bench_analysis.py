"""Benchmark gridgov.analysis against bare solver calls measured in the same run.

1. Report-back assignment, 60 000 members → 4 000 posts (capacity 20 each) in a 20 km town:
   ``solve_assignment_xy`` (25 nearest posts per member) against the same lexicographic LP
   over the 60 nearest posts, built by hand and solved by HiGHS directly
   (``scipy.optimize.linprog``); reports the objective gap and the time ratio.
2. Travel-time matrix, 20 000 buildings × 500 facilities on a 120 × 120 street lattice:
   ``StreetNetwork.distances`` against a bare ``scipy.sparse.csgraph.dijkstra`` call from the
   facilities' nodes.
3. Mobilisation, 1 000 runs on a 1 000 000-household synthetic city (target < 5 minutes).
4. Grid partitioning of the youyi town drawn from scratch: the set-partitioning MILP on HiGHS
   against the Hilbert-order DP (time ratio, objective, size cost against the Jensen bound,
   HiGHS' largest gap).

Run: ``python bench/bench_analysis.py [--only mobilisation] [--skip-city] [--city PATH]
[--runs N] [--profile]`` (``--city /tmp/city.json`` saves the built city there and loads it
next time).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np


def measure(fn: Callable[[], Any], reps: int = 3) -> tuple[float, float, Any]:
    times: list[float] = []
    out: Any = None
    for _ in range(reps):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), max(times) - min(times), out


def bench_assignment() -> None:
    from scipy.optimize import linprog
    from scipy.sparse import coo_matrix, vstack
    from scipy.spatial import cKDTree

    from gridgov.analysis import solve_assignment_xy

    rng = np.random.default_rng(0)
    n, m = 60_000, 4_000
    posts = rng.uniform(0, 20_000, (m, 2))
    members = rng.uniform(0, 20_000, (n, 2))
    _, home = cKDTree(posts).query(members)  # the post of the area each member lives in
    cap = np.full(m, 20)

    def direct() -> float:
        k = 60
        _, near = cKDTree(posts).query(members, k=k)
        rows = np.repeat(np.arange(n), k)
        cols = near.ravel()
        cost = np.hypot(*(members[rows] - posts[cols]).T)
        ah = home[rows] == cols
        a_eq = coo_matrix((np.ones(n * k), (rows, np.arange(n * k))), shape=(n, n * k))
        a_cap = coo_matrix((np.ones(n * k), (cols, np.arange(n * k))), shape=(m, n * k))
        hr = np.flatnonzero(ah)
        a_home = coo_matrix((-np.ones(len(hr)), (cols[hr], hr)), shape=(m, n * k))
        req = np.minimum(cap, np.bincount(home, minlength=m))
        res = linprog(
            cost,
            A_ub=vstack([a_cap, a_home]).tocsr(),
            b_ub=np.concatenate([cap, -req]).astype(float),
            A_eq=a_eq.tocsr(),
            b_eq=np.ones(n),
            bounds=(0, 1),
            method="highs-ds",
        )
        return float(res.fun)

    t_direct, _, optimum = measure(direct, reps=1)
    t_ours, _, sol = measure(
        lambda: solve_assignment_xy(members, posts, home, cap, candidates=25), reps=1
    )
    gap = sol.objective / optimum - 1
    print(
        f"assignment 60k→4k: ours {t_ours:.1f}s, HiGHS direct (60 nearest) {t_direct:.1f}s, "
        f"ratio {t_ours / t_direct:.2f} (target ≤ 1.5); objective gap {gap:.4%} (target ≤ 1 %)"
    )


def bench_partition() -> None:
    from gridgov import datasets
    from gridgov.analysis import partition_grids

    youyi = datasets.load("youyi")

    def run(method: Any) -> Any:
        return partition_grids(youyi, profile="youyi", keep=False, method=method)

    t_dp, s_dp, dp = measure(lambda: run("dp"))
    t_milp, s_milp, milp = measure(lambda: run("milp"))
    sd, sm = dp.summary(), milp.summary()
    gap = sm.get_column("milp_gap").max()
    print(
        f"partition youyi ({len(milp.grids)} grids, {sm.height} communities): MILP {t_milp:.2f}s "
        f"(±{s_milp:.2f}), DP {t_dp:.2f}s (±{s_dp:.2f}), ratio {t_milp / t_dp:.1f}; objective "
        f"MILP {sm.get_column('objective').sum():.3f} vs DP {sd.get_column('objective').sum():.3f}"
        f"; size cost MILP {milp.size_cost:.2f} vs DP {dp.size_cost:.2f}, Jensen bound "
        f"{milp.lower_bound:.2f}; largest HiGHS gap over the candidates {gap}"
    )


def bench_travel() -> None:
    from scipy.sparse.csgraph import dijkstra

    from gridgov.analysis import StreetNetwork

    side = 120
    xs, ys = np.meshgrid(np.arange(side) * 80.0, np.arange(side) * 80.0)
    nodes = np.column_stack([xs.ravel(), ys.ravel()])
    idx = np.arange(side * side).reshape(side, side)
    edges = [
        (int(a), int(b), 80.0) for a, b in zip(idx[:, :-1].ravel(), idx[:, 1:].ravel(), strict=True)
    ]
    edges += [
        (int(a), int(b), 80.0) for a, b in zip(idx[:-1].ravel(), idx[1:].ravel(), strict=True)
    ]
    net = StreetNetwork(nodes, edges)
    rng = np.random.default_rng(1)
    buildings = rng.uniform(0, (side - 1) * 80.0, (20_000, 2))
    facilities = rng.uniform(0, (side - 1) * 80.0, (500, 2))
    b_node, _ = net.snap(buildings)
    f_node, _ = net.snap(facilities)

    def bare() -> Any:
        d = dijkstra(net.graph, directed=False, indices=f_node)
        return d[:, b_node].T

    t_bare, s_bare, _ = measure(bare)
    t_ours, s_ours, _ = measure(lambda: net.distances(buildings, facilities))
    print(
        f"travel 20000×500: ours {t_ours:.2f}s (±{s_ours:.2f}), bare csgraph {t_bare:.2f}s "
        f"(±{s_bare:.2f}), ratio {t_ours / t_bare:.2f} (target ≤ 2)"
    )


def _city(path: str | None) -> Any:
    """The 1 M-household synthetic city: loaded from ``path`` if it exists, else built (and
    saved there when a path is given, so later runs skip the build)."""
    from pathlib import Path

    import gridgov
    from gridgov.datasets import place, synthetic_city

    if path and Path(path).exists():
        return gridgov.load(path)
    city = place(synthetic_city(households=1_000_000, seed=1), centre=(126.6, 45.75), seed=1)
    if path:
        gridgov.save(city, path, tables="parquet")
    return city


def bench_mobilisation(
    city_path: str | None = None, runs: int = 1000, profile: bool = False
) -> None:
    from gridgov.analysis import mobilisation

    load = os.getloadavg()
    t0, c0 = time.perf_counter(), time.process_time()
    city = _city(city_path)
    t_build, c_build = time.perf_counter() - t0, time.process_time() - c0
    prof = None
    if profile:
        import cProfile

        prof = cProfile.Profile()
        prof.enable()
    t0, c0 = time.perf_counter(), time.process_time()
    m = mobilisation(city, runs=runs, seed=0)
    t_run, c_run = time.perf_counter() - t0, time.process_time() - c0
    if prof is not None:
        import pstats

        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(15)
    print(
        f"mobilisation 1M households × {runs} runs: {t_run:.1f}s wall, {c_run:.1f}s CPU over "
        f"{len(m.grids)} grids (target < 300 s); getting the city took {t_build:.0f}s wall "
        f"({c_build:.0f}s CPU); load average before {load[0]:.1f}, after {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} cores"
    )
    _sampler_ratio(city)


def _sampler_ratio(city: Any, fast_runs: int = 100, reference_runs: int = 10) -> None:
    """CPU per run of the sampler against the per-household reference, in the same process
    (a ratio of CPU seconds holds better than wall seconds on a shared machine)."""
    import importlib

    from gridgov.analysis._space import number, profile_of

    mob = importlib.import_module("gridgov.analysis.mobilisation")
    prof = profile_of("default")
    raw: Any = prof.get("mobilisation.hop_minutes")
    hops = {k: (float(raw[k][0]), float(raw[k][1])) for k in mob._HOPS}
    share = number(prof, "mobilisation.unreachable_share")
    c0 = time.process_time()
    model = mob._build(city, prof, (), {})
    c_model = time.process_time() - c0
    mob._reach_fast(model, hops, share, 1, np.random.default_rng(0))  # imports scipy.special
    per_run: dict[str, list[float]] = {"fast": [], "reference": []}
    for rep in range(3):
        for name, fn, n in (
            ("fast", mob._reach_fast, fast_runs),
            ("reference", mob._reach_reference, reference_runs),
        ):
            c0 = time.process_time()
            fn(model, hops, share, n, np.random.default_rng(rep))
            per_run[name].append((time.process_time() - c0) / n)
    fast, ref = (statistics.median(per_run[k]) for k in ("fast", "reference"))
    spread = {k: max(v) / min(v) - 1 for k, v in per_run.items()}
    print(
        f"  cascade sampler CPU per run (median of 3): {fast * 1e3:.1f} ms (spread "
        f"{spread['fast']:.0%}), per-household reference {ref * 1e3:.1f} ms (spread "
        f"{spread['reference']:.0%}): {ref / fast:.1f}x; building the index arrays "
        f"{c_model:.1f}s CPU"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--only",
        action="append",
        choices=["travel", "assignment", "partition", "mobilisation"],
        help="run only these parts (repeatable); default all",
    )
    parser.add_argument("--skip-city", action="store_true", help="leave out mobilisation")
    parser.add_argument("--city", help="mobilisation: load the city from (or save it to) here")
    parser.add_argument("--runs", type=int, default=1000, help="mobilisation runs")
    parser.add_argument("--profile", action="store_true", help="mobilisation under cProfile")
    args = parser.parse_args()
    parts = args.only or ["travel", "assignment", "partition", "mobilisation"]
    if "travel" in parts:
        bench_travel()
    if "assignment" in parts:
        bench_assignment()
    if "partition" in parts:
        bench_partition()
    if "mobilisation" in parts and not args.skip_city:
        bench_mobilisation(args.city, args.runs, args.profile)


if __name__ == "__main__":
    main()
