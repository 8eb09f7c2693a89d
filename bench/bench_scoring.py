"""Benchmark: entropy weights + TOPSIS on a 100 000 x 8 table, gridgov vs plain numpy.

The baseline, measured in the same run, is the textbook arithmetic a user would write by hand
(the approach of ../shared/bench/bench_scoring.py): entropy weights from column proportions,
vector-normalised TOPSIS with "ideal = max for benefits, min for costs". gridgov adds input
validation (finite values, directions, weights), read-only arrays, direction-aware
normalisation, competition ranking with tie tolerance and a result with explanations.
pymcdm and scikit-criteria are timed too when they are importable.

Run: ``python bench/bench_scoring.py`` (set ``GRIDGOV_PERF_REPS`` to change the 5 repetitions).
"""

from __future__ import annotations

import os
import statistics
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from gridgov.scoring import CriteriaTable, Topsis

M, N = 100_000, 8
REPS = int(os.environ.get("GRIDGOV_PERF_REPS", "5"))
TYPES = np.array([1, 1, -1, 1, -1, 1, 1, -1])  # 1 benefit, -1 cost


def measure(fn: Callable[[], Any], reps: int = REPS) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(reps):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def matrix() -> np.ndarray:
    rng = np.random.default_rng(7)
    return rng.uniform(1.0, 100.0, (M, N)) * rng.uniform(0.5, 2.0, N)


def np_entropy(x: np.ndarray) -> np.ndarray:
    p = x / x.sum(axis=0)
    e = -(p * np.log(p)).sum(axis=0) / np.log(x.shape[0])
    d = 1.0 - e
    return d / d.sum()


def np_topsis(x: np.ndarray, w: np.ndarray, types: np.ndarray) -> np.ndarray:
    v = x / np.sqrt((x * x).sum(axis=0)) * w
    best = np.where(types > 0, v.max(axis=0), v.min(axis=0))
    worst = np.where(types > 0, v.min(axis=0), v.max(axis=0))
    dp = np.sqrt(((v - best) ** 2).sum(axis=1))
    dm = np.sqrt(((v - worst) ** 2).sum(axis=1))
    return dm / (dp + dm)


def row(label: str, seconds: float, baseline: float | None = None, note: str = "") -> None:
    ratio = f"{seconds / baseline:6.2f}x" if baseline else "       "
    print(f"  {label:<58} {seconds * 1000:9.1f} ms  {ratio}  {note}")


def main() -> None:
    x = matrix()
    directions = ["benefit" if t > 0 else "cost" for t in TYPES]
    alternatives = [f"A{i}" for i in range(M)]
    criteria = [f"C{j}" for j in range(N)]
    print(f"scoring benchmark: {M:,} alternatives x {N} criteria, median of {REPS}")

    t_np_entropy, w0 = measure(lambda: np_entropy(x))
    t_np_topsis, s0 = measure(lambda: np_topsis(x, w0, TYPES))
    t_np_both, _ = measure(lambda: np_topsis(x, np_entropy(x), TYPES))
    print("plain numpy (baseline)")
    row("entropy weights", t_np_entropy)
    row("TOPSIS (vector normalisation)", t_np_topsis)
    row("entropy + TOPSIS", t_np_both)

    print("gridgov (ratio = gridgov / baseline)")
    t_table, table = measure(lambda: CriteriaTable(x, alternatives, criteria, directions))
    row("CriteriaTable(...) (validation, copy; once per table)", t_table)
    topsis = Topsis()
    weighted = table.with_weights(w0)
    t_topsis, result = measure(lambda: topsis.score(weighted))
    diff = float(np.abs(result.scores - s0).max())
    row("Topsis().score(table)", t_topsis, t_np_topsis, f"max |diff| = {diff:.1e}")
    try:
        from gridgov.scoring import weights as gw
    except ImportError:
        print("  gridgov.scoring.weights not available: entropy not timed")
    else:
        t_entropy, ws = measure(lambda: gw.entropy(table))
        wdiff = float(np.abs(np.asarray(ws.weights) - w0).max())
        row("weights.entropy(table)", t_entropy, t_np_entropy, f"max |diff| = {wdiff:.1e}")

        def both() -> Any:
            return topsis.score(table.with_weights(gw.entropy(table).weights))

        t_both, _ = measure(both)
        row("entropy + TOPSIS", t_both, t_np_both)
        row("entropy + TOPSIS incl. building the table", t_both + t_table, t_np_both)

    try:
        from pymcdm.methods import TOPSIS
        from pymcdm.normalizations import vector_normalization
        from pymcdm.weights import entropy_weights
    except ImportError:
        print("pymcdm: not installed")
    else:
        print("pymcdm (ratio = pymcdm / baseline)")
        t, _ = measure(lambda: entropy_weights(x))
        row("pymcdm.weights.entropy_weights", t, t_np_entropy)
        pm = TOPSIS(normalization_function=vector_normalization)
        t, _ = measure(lambda: pm(x, w0, TYPES))
        row("pymcdm TOPSIS(vector_normalization)", t, t_np_topsis)

    try:
        import skcriteria
        from skcriteria.agg.similarity import TOPSIS as SK_TOPSIS
        from skcriteria.preprocessing.scalers import VectorScaler
    except ImportError:
        print("scikit-criteria: not installed")
    else:
        print("scikit-criteria (ratio = scikit-criteria / baseline)")
        objectives = [max if t > 0 else min for t in TYPES]

        def sk() -> Any:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                dm = skcriteria.mkdm(x, objectives, weights=w0)
                return SK_TOPSIS().evaluate(VectorScaler(target="matrix").transform(dm))

        t, _ = measure(sk)
        row("mkdm + VectorScaler + TOPSIS().evaluate", t, t_np_topsis)


if __name__ == "__main__":
    main()
