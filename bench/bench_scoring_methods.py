"""Benchmark: every method added by issue 16 on one 100 000 x 10 table, against peers and numpy.

For each method three timings are printed, all measured in this run on the same data:

- ``gridgov``: the public numpy function (``gridgov.scoring.waspas(values, weights, ...)``);
- ``numpy``: a plain numpy formulation of the same formula, written here by hand (no input
  checks), the speed a careful user would reach alone;
- each peer library that implements the method (pymcdm, pyrepo-mcda), called without its
  input validation.

Ratios: ``gridgov / numpy`` must stay within 2.0 and ``gridgov / fastest peer`` at most 1.0;
a row that misses either is flagged ``MISS``. Scores are compared as a sanity check
(``max |diff|``). Pairwise methods (TODIM, ELECTRE I and III) are O(m²) by definition and
are timed on 2 000 alternatives (ELECTRE III's distillation, O(m³), on 300). Peers whose
implementation is an O(m²) Python loop (pymcdm's CODAS, pyrepo-mcda's MULTIMOORA ranking)
are timed on 2 000 alternatives too and compared with gridgov on those (``@2000``).

Run: ``python bench/bench_scoring_methods.py`` (``GRIDGOV_PERF_REPS`` repetitions, default 3).
"""

from __future__ import annotations

import os
import statistics
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from gridgov import scoring as gs

M, N = 100_000, 10
M_PAIRWISE = 2_000
REPS = int(os.environ.get("GRIDGOV_PERF_REPS", "3"))
B = np.array([True, True, False, True, False, True, True, False, True, False])
T = np.where(B, 1, -1)


def measure(fn: Callable[[], Any], reps: int = REPS) -> tuple[float, float, Any]:
    times, result = [], None
    for _ in range(reps):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), (max(times) - min(times)), result


def data(m: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(16)
    x = rng.uniform(1.0, 100.0, (m, N)) * rng.uniform(0.5, 2.0, N)
    w = rng.uniform(0.5, 1.5, N)
    return x, w / w.sum()


# --------------------------------------------------------------------------- plain numpy


def np_max_norm(x: np.ndarray) -> np.ndarray:
    return np.where(B, x / x.max(axis=0), x.min(axis=0) / x)


def np_minmax(x: np.ndarray) -> np.ndarray:
    lo, hi = x.min(axis=0), x.max(axis=0)
    return np.where(B, x - lo, hi - x) / (hi - lo)


def np_sum_norm(x: np.ndarray) -> np.ndarray:
    y = np.where(B, x, 1.0 / x)
    return y / y.sum(axis=0)


def np_wpm(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    return np.prod(np_sum_norm(x) ** w, axis=1)


def np_waspas(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    r = np_max_norm(x)
    return 0.5 * (r @ w) + 0.5 * np.prod(r**w, axis=1)


def np_copras(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    d = x / x.sum(axis=0) * w
    sp, sm = d[:, B].sum(axis=1), d[:, ~B].sum(axis=1)
    q = sp + sm.sum() / (sm * (1 / sm).sum())
    return q / q.max()


def np_edas(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    av = x.mean(axis=0)
    g = np.where(B, x - av, av - x) / av
    sp, sn = np.maximum(g, 0) @ w, np.maximum(-g, 0) @ w
    return (sp / sp.max() + 1 - sn / sn.max()) / 2


def np_codas_pairwise(x: np.ndarray, w: np.ndarray, tau: float = 0.02) -> np.ndarray:
    v = np_max_norm(x) * w
    g = v - v.min(axis=0)
    e, t = np.sqrt((g * g).sum(axis=1)), g.sum(axis=1)
    de = e[:, None] - e[None, :]
    return (de + (np.abs(de) >= tau) * (t[:, None] - t[None, :])).sum(axis=1)


def np_aras(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    ext = np.vstack((np.where(B, x.max(axis=0), x.min(axis=0)), x))
    s = np_sum_norm(ext) @ w
    return s[1:] / s[0]


def np_moora(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    r = x / np.sqrt((x * x).sum(axis=0))
    return r @ np.where(B, w, -w)


def np_mabac(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    v = w * (np_minmax(x) + 1)
    return (v - np.exp(np.log(v).mean(axis=0))).sum(axis=1)


def np_cocoso(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    r = np_minmax(x)
    s, p = r @ w, (r**w).sum(axis=1)
    ka = (s + p) / (s + p).sum()
    kb = s / s.min() + p / p.min()
    kc = (0.5 * s + 0.5 * p) / (0.5 * s.max() + 0.5 * p.max())
    return np.cbrt(ka * kb * kc) + (ka + kb + kc) / 3


def np_marcos(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    ideal = np.where(B, x.max(axis=0), x.min(axis=0))
    anti = np.where(B, x.min(axis=0), x.max(axis=0))
    s = np.where(B, x / ideal, ideal / x) @ w
    s_anti = np.where(B, anti / ideal, ideal / anti) @ w
    kp, km = s, s / s_anti
    fp, fm = km / (kp + km), kp / (kp + km)
    return (kp + km) / (1 + (1 - fp) / fp + (1 - fm) / fm)


def np_spotis(x: np.ndarray, w: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    isp = np.where(B, bounds[:, 1], bounds[:, 0])
    return (np.abs(x - isp) / (bounds[:, 1] - bounds[:, 0])) @ w


def np_todim(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    r = np_sum_norm(x)
    wr = w / w.max()
    d = r[:, None, :] - r[None, :, :]
    phi = np.sqrt(np.maximum(d, 0) * wr / wr.sum()) - np.sqrt(np.maximum(-d, 0) * wr.sum() / wr)
    delta = phi.sum(axis=(1, 2))
    return (delta - delta.min()) / (delta.max() - delta.min())


def np_electre_i(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    g = np.where(B, x, -x)
    diff = g[:, None, :] - g[None, :, :]
    c = (diff >= 0) @ w
    d = (np.maximum(-diff, 0) / np.ptp(g, axis=0)).max(axis=2)
    s = (c >= 0.7) & (d <= 0.3)
    np.fill_diagonal(s, False)
    return (s.sum(axis=1) - s.sum(axis=0)).astype(float)


def np_electre_iii_net(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    g = np.where(B, x, -x)
    diff = g[None, :, :] - g[:, None, :]
    q, p = 5.0, 20.0
    c = np.clip((p - diff) / (p - q), 0, 1) @ w
    np.fill_diagonal(c, 1.0)
    return c.sum(axis=1) - c.sum(axis=0)


# --------------------------------------------------------------------------- table


def row(
    label: str,
    t: float,
    spread: float,
    numpy_t: float | None,
    peer_t: float | None,
    diff: float | None,
    note: str = "",
) -> None:
    r_np = t / numpy_t if numpy_t else None
    r_peer = t / peer_t if peer_t else None
    miss = (r_np is not None and r_np > 2.0) or (r_peer is not None and r_peer > 1.0)
    cells = [
        f"{label:<26}",
        f"{t * 1000:9.1f} ms ±{spread * 1000:6.1f}",
        f"numpy {r_np:5.2f}x" if r_np is not None else "numpy   -   ",
        f"peer {r_peer:6.3f}x" if r_peer is not None else "peer    -    ",
        f"|diff| {diff:.1e}" if diff is not None else "             ",
        "MISS" if miss else "ok  ",
        note,
    ]
    print("  ".join(cells))


def peer_time(fn: Callable[[], Any], reps: int = REPS) -> tuple[float | None, Any, str]:
    """Median time of a peer call, or None and the error it raised (e.g. under numpy 2)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            t, _, out = measure(fn, reps=reps)
        except Exception as exc:  # a peer's own failure is reported, not fatal
            return None, None, f"{type(exc).__name__}: {str(exc)[:40]}"
    return t, np.asarray(out, dtype=float), ""


def run_peers(
    peers: dict[str, Callable[[], Any]], reps: int = REPS
) -> tuple[float | None, dict[str, Any], str]:
    best: float | None = None
    outputs: dict[str, Any] = {}
    notes = []
    for name, fn in peers.items():
        pt, out, error = peer_time(fn, reps)
        if pt is None:
            notes.append(f"{name} failed ({error})")
            continue
        outputs[name] = out
        best = pt if best is None else min(best, pt)
        notes.append(f"{name} {pt * 1000:.0f} ms")
    return best, outputs, " ".join(notes)


def main() -> None:
    from pymcdm import methods as pm
    from pymcdm.methods.comet_tools import MethodExpert
    from pyrepo_mcda import mcda_methods as pr

    x, w = data(M)
    xs, ws_ = data(M_PAIRWISE)
    bounds = np.column_stack((x.min(axis=0) - 1, x.max(axis=0) + 1))
    print(
        f"scoring methods: {M:,} x {N} (pairwise methods {M_PAIRWISE:,} x {N}), median of "
        f"{REPS}; ratios gridgov/numpy (<= 2) and gridgov/fastest peer (<= 1)"
    )

    cases: list[
        tuple[str, Callable[[], Any], Callable[[], Any] | None, dict[str, Callable[[], Any]], str]
    ] = [
        (
            "weighted_product",
            lambda: gs.weighted_product(x, w, B),
            lambda: np_wpm(x, w),
            {"pymcdm": lambda: pm.WPM()(x, w, T, validation=False)},
            "",
        ),
        (
            "waspas",
            lambda: gs.waspas(x, w, B),
            lambda: np_waspas(x, w),
            {
                "pymcdm": lambda: pm.WASPAS()(x, w, T, validation=False),
                "pyrepo": lambda: pr.WASPAS()(x, w, T),
            },
            "",
        ),
        (
            "copras",
            lambda: gs.copras(x, w, B),
            lambda: np_copras(x, w),
            {"pyrepo": lambda: pr.COPRAS()(x, w, T)},
            "",
        ),
        (
            "edas",
            lambda: gs.edas(x, w, B),
            lambda: np_edas(x, w),
            {
                "pymcdm": lambda: pm.EDAS()(x, w, T, validation=False),
                "pyrepo": lambda: pr.EDAS()(x, w, T),
            },
            "",
        ),
        (
            "aras",
            lambda: gs.aras(x, w, B),
            lambda: np_aras(x, w),
            {
                "pymcdm": lambda: pm.ARAS()(x, w, T, validation=False),
                "pyrepo": lambda: pr.ARAS()(x, w, T),
            },
            "",
        ),
        (
            "moora",
            lambda: gs.moora(x, w, B),
            lambda: np_moora(x, w),
            {"pymcdm": lambda: pm.MOORA()(x, w, T, validation=False)},
            "",
        ),
        ("multimoora", lambda: gs.multimoora(x, w, B), None, {}, "no plain formula (3 ranks)"),
        (
            "mabac",
            lambda: gs.mabac(x, w, B),
            lambda: np_mabac(x, w),
            {
                "pymcdm": lambda: pm.MABAC()(x, w, T, validation=False),
                "pyrepo": lambda: pr.MABAC()(x, w, T),
            },
            "",
        ),
        (
            "cocoso",
            lambda: gs.cocoso(x, w, B),
            lambda: np_cocoso(x, w),
            {
                "pymcdm": lambda: pm.COCOSO()(x, w, T, validation=False),
                "pyrepo": lambda: pr.COCOSO()(x, w, T),
            },
            "",
        ),
        (
            "marcos",
            lambda: gs.marcos(x, w, B),
            lambda: np_marcos(x, w),
            {
                "pymcdm": lambda: pm.MARCOS()(x, w, T, validation=False),
                "pyrepo": lambda: pr.MARCOS()(x, w, T),
            },
            "",
        ),
        (
            "spotis",
            lambda: gs.spotis(x, w, B, bounds=bounds),
            lambda: np_spotis(x, w, bounds),
            {
                "pymcdm": lambda: pm.SPOTIS(bounds)(x, w, T, validation=False),
                "pyrepo": lambda: pr.SPOTIS()(x, w, T, bounds.T),
            },
            "",
        ),
        (
            "comet (2^10 COs)",
            lambda: gs.comet(x, w, B, expert_params={"normalisation": "minmax"}),
            None,
            {
                "pymcdm": lambda: pm.COMET(
                    np.column_stack((x.min(axis=0), x.max(axis=0))), MethodExpert(pm.TOPSIS(), w, T)
                )(x)
            },
            "no plain formula (rule base)",
        ),
    ]
    for label, ours, plain, peers, note in cases:
        t, spread, out = measure(ours)
        numpy_t = None
        diff = None
        if plain is not None:
            numpy_t, _, ref = measure(plain)
            diff = float(np.abs(np.asarray(ref) - out).max())
        peer_best, outputs, peer_note = run_peers(peers)
        if diff is None and "pymcdm" in outputs and outputs["pymcdm"].shape == out.shape:
            diff = float(np.abs(outputs["pymcdm"] - out).max())
        row(label, t, spread, numpy_t, peer_best, diff, f"{note} {peer_note}".strip())

    # O(m^2) peers and pairwise methods, on 2 000 alternatives
    t, spread, out = measure(lambda: gs.codas(x, w, B))
    row("codas", t, spread, None, None, None, "O(m log m); pairwise numpy and peer @2000 below")
    small: list[
        tuple[str, Callable[[], Any], Callable[[], Any] | None, dict[str, Callable[[], Any]]]
    ] = [
        (
            "codas @2000",
            lambda: gs.codas(xs, ws_, B),
            lambda: np_codas_pairwise(xs, ws_),
            {
                "pymcdm": lambda: pm.CODAS()(xs, ws_, T, validation=False),
                "pyrepo": lambda: pr.CODAS()(xs, ws_, T),
            },
        ),
        (
            "multimoora @2000",
            lambda: gs.multimoora(xs, ws_, B),
            None,
            {"pyrepo": lambda: pr.MULTIMOORA()(xs, ws_, T)},
        ),
        ("todim @2000", lambda: gs.todim(xs, ws_, B), lambda: np_todim(xs, ws_), {}),
        ("electre_i @2000", lambda: gs.electre_i(xs, ws_, B), lambda: np_electre_i(xs, ws_), {}),
        (
            "electre_iii net @2000",
            lambda: gs.electre_iii(xs, ws_, B, q=5.0, p=20.0, exploitation="net_flow"),
            lambda: np_electre_iii_net(xs, ws_),
            {},
        ),
        (
            "electre_iii distil @300",
            lambda: gs.electre_iii(xs[:300], ws_, B, q=5.0, p=20.0),
            None,
            {},
        ),
    ]
    for label, ours, plain, peers in small:
        t, spread, out = measure(ours)
        numpy_t, diff = None, None
        if plain is not None:
            numpy_t, _, ref = measure(plain)
            diff = float(np.abs(np.asarray(ref) - out).max())
        peer_best, _, peer_note = run_peers(peers, reps=1)
        row(label, t, spread, numpy_t, peer_best, diff, peer_note)


if __name__ == "__main__":
    main()
