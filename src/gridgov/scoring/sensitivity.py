"""How robust is a ranking? Weight perturbation, break-even weights and rank-reversal checks.

Every function takes a :class:`~gridgov.scoring.CriteriaTable` and a scorer (anything following
:class:`~gridgov.scoring.Scorer`). When the weight of one criterion changes, the others are
rescaled proportionally so the weights still sum to 1 (if the others are all zero, the rest is
shared equally).

- :func:`one_at_a_time` — shift one weight at a time by fixed amounts.
- :func:`monte_carlo` — draw weights from a Dirichlet distribution centred on the current
  weights (seeded ``numpy.random.default_rng``): rank stability per alternative, Spearman and
  Kendall correlation with the base ranking, top-k / bottom-k membership shares.
- :func:`weight_to_flip` — smallest change of one weight that reverses a pair's order.
- :func:`weight_to_cross` — smallest change of one weight that moves an alternative's score
  across a band edge (e.g. a credit-grade threshold).
- :func:`rank_reversal` — remove an alternative, or add a clone of one, and report which pairs
  of the others swap order.

For :class:`~gridgov.scoring.WeightedSum` the break-even weights are exact (scores are linear in
the changed weight) and Monte-Carlo scores are computed in one matrix product; for other scorers
the break-even search scans a grid and refines by bisection.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from gridgov.errors import ScoringError
from gridgov.scoring._normalise import _normalise
from gridgov.scoring._ranking import rank
from gridgov.scoring._registry import Scorer
from gridgov.scoring._table import CriteriaTable, DegenerateDataWarning, warn
from gridgov.scoring.methods.weighted_sum import WeightedSum

__all__ = [
    "MonteCarloResult",
    "OneAtATimeResult",
    "RankReversal",
    "RankReversalReport",
    "WeightChange",
    "monte_carlo",
    "one_at_a_time",
    "rank_reversal",
    "weight_to_cross",
    "weight_to_flip",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


# ------------------------------------------------------------------------------ helpers


def _criterion_index(table: CriteriaTable, criterion: str) -> int:
    if criterion not in table.criteria:
        raise ScoringError(
            f"unknown criterion {criterion!r}; available: {', '.join(table.criteria)}"
        )
    return table.criteria.index(criterion)


def _alternative_index(table: CriteriaTable, alternative: str) -> int:
    if alternative not in table.alternatives:
        raise ScoringError(
            f"unknown alternative {alternative!r}; available: {', '.join(table.alternatives)}"
        )
    return table.alternatives.index(alternative)


def shifted_weights(weights: FloatArray, j: int, new_weight: float) -> FloatArray:
    """Return ``weights`` with ``weights[j] = new_weight`` and the others rescaled to sum to 1.

    Parameters
    ----------
    weights : numpy.ndarray
        Current weights (summing to 1).
    j : int
        Index of the changed criterion.
    new_weight : float
        New weight in [0, 1].

    Returns
    -------
    numpy.ndarray
    """
    n = weights.size
    if n < 2:
        raise ScoringError("changing one weight needs at least two criteria")
    if not 0.0 <= new_weight <= 1.0:
        raise ScoringError(f"a weight must be in [0, 1], got {new_weight}")
    others = weights.copy()
    others[j] = 0.0
    rest = float(others.sum())
    if rest > 0:
        out = others * ((1.0 - new_weight) / rest)
    else:
        out = np.full(n, (1.0 - new_weight) / (n - 1))
    out[j] = new_weight
    return out


def _table_with(table: CriteriaTable, weights: FloatArray) -> CriteriaTable:
    clean = np.clip(weights, 0.0, None)
    return CriteriaTable._trusted(
        table.values, table.alternatives, table.criteria, table.directions, clean / clean.sum()
    )


def _oriented(scores: FloatArray, higher_is_better: bool) -> FloatArray:
    return scores if higher_is_better else -scores


def _spearman(a: FloatArray, b: FloatArray) -> float:
    da, db = a - a.mean(), b - b.mean()
    denominator = float(np.sqrt((da * da).sum() * (db * db).sum()))
    return float((da * db).sum() / denominator) if denominator > 0 else float("nan")


def _kendall(base_sign: npt.NDArray[np.int8], ranks: IntArray) -> float:
    sign = np.sign(ranks[:, None] - ranks[None, :]).astype(np.int8)
    upper = np.triu_indices(ranks.size, k=1)
    s1, s2 = base_sign[upper].astype(np.int64), sign[upper].astype(np.int64)
    concordance = float((s1 * s2).sum())
    denominator = float(np.sqrt(np.count_nonzero(s1) * np.count_nonzero(s2)))
    return concordance / denominator if denominator > 0 else float("nan")


# ------------------------------------------------------------------------------ one at a time


@dataclass(frozen=True, eq=False)
class OneAtATimeResult:
    """Rankings after shifting one criterion weight at a time.

    Attributes
    ----------
    criteria : tuple of str
        Criteria whose weight was shifted (first axis).
    deltas : numpy.ndarray
        Requested shifts (second axis).
    weights : numpy.ndarray
        Weight actually given to the shifted criterion, shape (c, d); requested values outside
        [0, 1] are clipped and flagged in ``feasible``.
    feasible : numpy.ndarray of bool
        ``True`` where ``old weight + delta`` was within [0, 1], shape (c, d).
    rankings : numpy.ndarray of int
        Competition ranks, shape (c, d, m).
    base_ranking : numpy.ndarray of int
        Ranks at the current weights, shape (m,).
    changed : numpy.ndarray of int
        Number of alternatives whose rank differs from the base, shape (c, d).
    spearman : numpy.ndarray
        Spearman correlation with the base ranking, shape (c, d).
    alternatives : tuple of str
        Alternative names (last axis of ``rankings``).
    """

    criteria: tuple[str, ...]
    deltas: FloatArray
    weights: FloatArray
    feasible: npt.NDArray[np.bool_]
    rankings: IntArray
    base_ranking: IntArray
    changed: IntArray
    spearman: FloatArray
    alternatives: tuple[str, ...]

    def to_rows(self) -> list[dict[str, Any]]:
        """Return one dict per (criterion, delta).

        Returns
        -------
        list of dict
            Keys ``criterion``, ``delta``, ``weight``, ``feasible``, ``changed``, ``spearman``.
        """
        return [
            {
                "criterion": c,
                "delta": float(self.deltas[k]),
                "weight": float(self.weights[i, k]),
                "feasible": bool(self.feasible[i, k]),
                "changed": int(self.changed[i, k]),
                "spearman": float(self.spearman[i, k]),
            }
            for i, c in enumerate(self.criteria)
            for k in range(self.deltas.size)
        ]


def one_at_a_time(
    table: CriteriaTable,
    scorer: Scorer,
    *,
    deltas: Sequence[float] = (-0.2, -0.1, -0.05, 0.05, 0.1, 0.2),
    criteria: Iterable[str] | None = None,
) -> OneAtATimeResult:
    """Shift each criterion's weight by each delta (others rescaled) and re-rank.

    Parameters
    ----------
    table : CriteriaTable
        The decision matrix with its current weights.
    scorer : Scorer
        Any scorer.
    deltas : sequence of float, default (-0.2, -0.1, -0.05, 0.05, 0.1, 0.2)
        Absolute weight shifts; results outside [0, 1] are clipped and flagged.
    criteria : iterable of str, optional
        Criteria to shift. Default: all.

    Returns
    -------
    OneAtATimeResult

    Examples
    --------
    >>> from gridgov.scoring import CriteriaTable, WeightedSum, one_at_a_time
    >>> t = CriteriaTable([[1, 0], [0, 1], [0.4, 0.4]], ["A", "B", "C"], ["x", "y"],
    ...                   "benefit", [0.6, 0.4])
    >>> res = one_at_a_time(t, WeightedSum(), deltas=[-0.2, 0.2])
    >>> res.base_ranking.tolist(), res.rankings[0, 0].tolist(), res.changed.tolist()
    ([1, 2, 2], [2, 1, 2], [[2, 1], [1, 2]])
    """
    names = tuple(table.criteria if criteria is None else criteria)
    indices = [_criterion_index(table, c) for c in names]
    d = np.asarray(deltas, dtype=np.float64)
    if d.ndim != 1 or not np.isfinite(d).all():
        raise ScoringError("deltas must be a 1-D sequence of finite numbers")
    m = len(table.alternatives)
    base = scorer.score(table)
    base_avg = rank(base.scores, base.higher_is_better, "average")
    weights = np.empty((len(indices), d.size))
    feasible = np.empty((len(indices), d.size), dtype=bool)
    rankings = np.empty((len(indices), d.size, m), dtype=np.int64)
    spearman = np.empty((len(indices), d.size))
    for a, j in enumerate(indices):
        for k, delta in enumerate(d):
            target = float(table.weights[j] + delta)
            feasible[a, k] = 0.0 <= target <= 1.0
            weights[a, k] = min(max(target, 0.0), 1.0)
            result = scorer.score(
                _table_with(table, shifted_weights(table.weights, j, weights[a, k]))
            )
            rankings[a, k] = result.ranking
            spearman[a, k] = _spearman(
                base_avg, rank(result.scores, result.higher_is_better, "average")
            )
    changed = (rankings != base.ranking).sum(axis=2)
    return OneAtATimeResult(
        criteria=names,
        deltas=d,
        weights=weights,
        feasible=feasible,
        rankings=rankings,
        base_ranking=base.ranking,
        changed=changed,
        spearman=spearman,
        alternatives=table.alternatives,
    )


# ------------------------------------------------------------------------------ Monte Carlo


@dataclass(frozen=True, eq=False)
class MonteCarloResult:
    """Rank statistics over weight vectors drawn around the current weights.

    Attributes
    ----------
    alternatives : tuple of str
        Alternative names.
    weights : numpy.ndarray
        Drawn weight vectors, shape (draws, n).
    rankings : numpy.ndarray of int
        Competition ranks per draw, shape (draws, m).
    base_ranking : numpy.ndarray of int
        Ranks at the current weights, shape (m,).
    rank_stability : numpy.ndarray
        Per alternative, the share of draws that keep its base rank.
    mean_rank : numpy.ndarray
        Per alternative, the mean rank over the draws.
    spearman : numpy.ndarray
        Spearman rank correlation of each draw with the base ranking, shape (draws,).
    kendall : numpy.ndarray or None
        Kendall tau-b of each draw with the base ranking, or ``None`` when not computed.
    top_k, bottom_k : int or None
        List sizes used.
    in_top_k, in_bottom_k : numpy.ndarray or None
        Per alternative, the share of draws in which it is in the top-k (bottom-k) list.
    top_k_kept, bottom_k_kept : float or None
        Share of draws whose top-k (bottom-k) list equals the base list.
    """

    alternatives: tuple[str, ...]
    weights: FloatArray
    rankings: IntArray
    base_ranking: IntArray
    rank_stability: FloatArray
    mean_rank: FloatArray
    spearman: FloatArray
    kendall: FloatArray | None
    top_k: int | None
    bottom_k: int | None
    in_top_k: FloatArray | None
    in_bottom_k: FloatArray | None
    top_k_kept: float | None
    bottom_k_kept: float | None

    def rank_interval(self, coverage: float = 0.9) -> npt.NDArray[np.float64]:
        """Return the central ``coverage`` interval of each alternative's rank, shape (m, 2).

        Parameters
        ----------
        coverage : float, default 0.9
            Share of draws inside the interval.

        Returns
        -------
        numpy.ndarray
        """
        if not 0 < coverage <= 1:
            raise ScoringError(f"coverage must be in (0, 1], got {coverage}")
        tail = (1 - coverage) / 2
        return np.quantile(self.rankings, [tail, 1 - tail], axis=0).T

    def to_rows(self) -> list[dict[str, Any]]:
        """Return one dict per alternative with its base rank and stability shares.

        Returns
        -------
        list of dict
        """
        rows = []
        for i, name in enumerate(self.alternatives):
            row: dict[str, Any] = {
                "alternative": name,
                "base_rank": int(self.base_ranking[i]),
                "rank_stability": float(self.rank_stability[i]),
                "mean_rank": float(self.mean_rank[i]),
            }
            if self.in_top_k is not None:
                row["in_top_k"] = float(self.in_top_k[i])
            if self.in_bottom_k is not None:
                row["in_bottom_k"] = float(self.in_bottom_k[i])
            rows.append(row)
        return rows


def _draw_weights(
    weights: FloatArray, draws: int, concentration: float, seed: int | np.random.Generator | None
) -> FloatArray:
    rng = np.random.default_rng(seed)
    positive = weights > 0
    out = np.zeros((draws, weights.size))
    out[:, positive] = rng.dirichlet(concentration * weights[positive], size=draws)
    return out


def monte_carlo(
    table: CriteriaTable,
    scorer: Scorer,
    *,
    draws: int = 1000,
    concentration: float = 100.0,
    seed: int | np.random.Generator | None = None,
    top_k: int | None = None,
    bottom_k: int | None = None,
    kendall: bool = True,
) -> MonteCarloResult:
    """Perturb the weights by Dirichlet draws and summarise how stable the ranking is.

    Weights are drawn from ``Dirichlet(concentration * w)`` over the positively weighted
    criteria (zero weights stay zero): the mean is ``w`` and the standard deviation of weight
    ``w_j`` is ``sqrt(w_j (1 - w_j) / (concentration + 1))`` — about 0.04 for ``w_j = 0.25`` at
    the default concentration of 100.

    Parameters
    ----------
    table : CriteriaTable
        The decision matrix with its current weights.
    scorer : Scorer
        Any scorer; a :class:`~gridgov.scoring.WeightedSum` is evaluated for all draws in one
        matrix product.
    draws : int, default 1000
        Number of weight vectors.
    concentration : float, default 100.0
        Dirichlet concentration; larger means smaller perturbations.
    seed : int or numpy.random.Generator, optional
        Seed for ``numpy.random.default_rng``; pass one for reproducible results.
    top_k, bottom_k : int, optional
        Sizes of the best and worst lists whose membership is tracked (e.g. a red list and a
        black list). Default ``None``: not tracked.
    kendall : bool, default True
        Compute Kendall's tau-b per draw (costs O(m^2) per draw).

    Returns
    -------
    MonteCarloResult

    Raises
    ------
    gridgov.errors.ScoringError
        On invalid sizes, or when every alternative ties at the base weights (correlations
        with the base ranking are undefined).

    Warns
    -----
    DegenerateDataWarning
        Draws in which every alternative ties (their correlations are NaN).

    References
    ----------
    .. [1] Butler, J., Jia, J., Dyer, J. (1997). Simulation techniques for the sensitivity
       analysis of multi-criteria decision models. *European Journal of Operational Research*
       103(3), 531-546.

    Examples
    --------
    >>> from gridgov.scoring import CriteriaTable, Topsis, monte_carlo
    >>> t = CriteriaTable([[9, 1], [1, 9], [5, 5.5]], ["A", "B", "C"], ["x", "y"], "benefit")
    >>> res = monte_carlo(t, Topsis(), draws=200, seed=1, top_k=1)
    >>> res.base_ranking.tolist(), float(res.in_top_k.sum())  # one top-1 per draw
    ([2, 3, 1], 1.0)
    """
    m = len(table.alternatives)
    if draws < 1:
        raise ScoringError(f"draws must be >= 1, got {draws}")
    if not concentration > 0:
        raise ScoringError(f"concentration must be > 0, got {concentration}")
    for label, k in (("top_k", top_k), ("bottom_k", bottom_k)):
        if k is not None and not 1 <= k <= m:
            raise ScoringError(f"{label} must be between 1 and {m}, got {k}")
    base = scorer.score(table)
    hib = base.higher_is_better
    if base.ranking.max() == 1:
        raise ScoringError(
            "every alternative ties at the base weights; rank stability is undefined"
        )
    w = _draw_weights(table.weights, draws, concentration, seed)
    if isinstance(scorer, WeightedSum):
        r, _ = _normalise(
            table.values, table.is_benefit, scorer.params["normalisation"], table.criteria
        )
        all_scores = w @ r.T
    else:
        all_scores = np.stack([scorer.score(_table_with(table, wk)).scores for wk in w])
    rankings = np.stack([rank(s, hib) for s in all_scores])
    base_avg = rank(base.scores, hib, "average")
    spearman = np.array([_spearman(base_avg, rank(s, hib, "average")) for s in all_scores])
    kendall_values: FloatArray | None = None
    if kendall:
        base_sign = np.sign(base.ranking[:, None] - base.ranking[None, :]).astype(np.int8)
        kendall_values = np.array([_kendall(base_sign, r_) for r_ in rankings])
    tied_draws = int(np.isnan(spearman).sum())
    if tied_draws:
        warn(
            f"{tied_draws} of {draws} draws tie every alternative; their rank correlations are NaN",
            DegenerateDataWarning,
        )

    def membership(k: int | None, lists: IntArray, base_ranks: IntArray) -> tuple[Any, Any]:
        if k is None:
            return None, None
        inside = lists <= k
        base_inside = base_ranks <= k
        return inside.mean(axis=0), float((inside == base_inside).all(axis=1).mean())

    reverse = np.stack([rank(s, not hib) for s in all_scores])
    in_top, top_kept = membership(top_k, rankings, base.ranking)
    in_bottom, bottom_kept = membership(bottom_k, reverse, rank(base.scores, not hib))
    return MonteCarloResult(
        alternatives=table.alternatives,
        weights=w,
        rankings=rankings,
        base_ranking=base.ranking,
        rank_stability=(rankings == base.ranking).mean(axis=0),
        mean_rank=rankings.mean(axis=0),
        spearman=spearman,
        kendall=kendall_values,
        top_k=top_k,
        bottom_k=bottom_k,
        in_top_k=in_top,
        in_bottom_k=in_bottom,
        top_k_kept=top_kept,
        bottom_k_kept=bottom_kept,
    )


# ------------------------------------------------------------------------------ break-even


@dataclass(frozen=True)
class WeightChange:
    """The smallest change of one weight that changes an outcome.

    Attributes
    ----------
    criterion : str
        The criterion whose weight changes.
    old_weight, new_weight : float
        Its weight before and at the break-even point.
    delta : float
        ``new_weight - old_weight``.
    weights : tuple of float
        Every weight at the break-even point (others rescaled proportionally).
    exact : bool
        ``True`` when computed in closed form (weighted sum), ``False`` when found by grid
        scan and bisection.
    """

    criterion: str
    old_weight: float
    new_weight: float
    delta: float
    weights: tuple[float, ...]
    exact: bool


def _linear_root(f0: float, f1: float) -> float | None:
    """Root in [0, 1] of the line through (0, f0) and (1, f1)."""
    if f0 == f1:
        return None
    t = f0 / (f0 - f1)
    return t if 0.0 <= t <= 1.0 else None


def _search(
    objective: Callable[[float], float], start: float, steps: int, tol: float
) -> float | None:
    f_start = objective(start)
    best: float | None = None
    for end in (1.0, 0.0):
        if end == start:
            continue
        previous = start
        for k in range(1, steps + 1):
            t = start + (end - start) * k / steps
            if np.sign(objective(t)) != np.sign(f_start):
                lo, hi = previous, t
                while abs(hi - lo) > tol:
                    mid = (lo + hi) / 2
                    if np.sign(objective(mid)) != np.sign(f_start):
                        hi = mid
                    else:
                        lo = mid
                if best is None or abs(hi - start) < abs(best - start):
                    best = hi
                break
            previous = t
    return best


def _break_even(
    table: CriteriaTable,
    scorer: Scorer,
    criterion: str,
    *,
    linear: Callable[[FloatArray], float] | None,
    objective: Callable[[CriteriaTable], float],
    steps: int,
    tol: float,
) -> WeightChange | None:
    j = _criterion_index(table, criterion)
    start = float(table.weights[j])

    def at(t: float) -> float:
        return objective(_table_with(table, shifted_weights(table.weights, j, t)))

    if objective(table) == 0.0:
        raise ScoringError("the outcome is already on its break-even point at the current weights")
    exact = False
    if isinstance(scorer, WeightedSum) and linear is not None:
        exact = True
        r, _ = _normalise(
            table.values, table.is_benefit, scorer.params["normalisation"], table.criteria
        )
        f0 = linear(r @ shifted_weights(table.weights, j, 0.0))
        f1 = linear(r @ shifted_weights(table.weights, j, 1.0))
        root = _linear_root(f0, f1)
    else:
        root = _search(at, start, steps, tol)
    if root is None:
        return None
    weights = shifted_weights(table.weights, j, root)
    return WeightChange(
        criterion=criterion,
        old_weight=start,
        new_weight=root,
        delta=root - start,
        weights=tuple(float(x) for x in weights),
        exact=exact,
    )


def weight_to_flip(
    table: CriteriaTable,
    scorer: Scorer,
    criterion: str,
    first: str,
    second: str,
    *,
    steps: int = 100,
    tol: float = 1e-10,
) -> WeightChange | None:
    """Smallest change of ``criterion``'s weight at which ``first`` and ``second`` swap order.

    Parameters
    ----------
    table : CriteriaTable
        The decision matrix with its current weights.
    scorer : Scorer
        Any scorer.
    criterion : str
        The criterion whose weight changes (the others are rescaled proportionally).
    first, second : str
        Two alternatives that do not tie at the current weights.
    steps : int, default 100
        Grid points scanned in each direction for non-linear scorers; a reversal that happens
        and undoes itself between two grid points can be missed.
    tol : float, default 1e-10
        Bisection tolerance on the weight.

    Returns
    -------
    WeightChange or None
        The break-even weight (the two tie there and swap just beyond it), or ``None`` if no
        weight in [0, 1] reverses them.

    Raises
    ------
    gridgov.errors.ScoringError
        If a name is unknown or the two alternatives tie at the current weights.

    Examples
    --------
    >>> from gridgov.scoring import CriteriaTable, WeightedSum, weight_to_flip
    >>> t = CriteriaTable([[1, 0], [0, 1]], ["A", "B"], ["x", "y"], "benefit", [0.7, 0.3])
    >>> change = weight_to_flip(t, WeightedSum(), "x", "A", "B")
    >>> round(change.new_weight, 6), round(change.delta, 6), change.exact
    (0.5, -0.2, True)
    """
    a = _alternative_index(table, first)
    b = _alternative_index(table, second)
    if a == b:
        raise ScoringError("first and second must be different alternatives")
    higher = scorer.higher_is_better
    base = scorer.score(table)
    if base.ranking[a] == base.ranking[b]:
        raise ScoringError(f"{first!r} and {second!r} tie at the current weights")

    def objective(t: CriteriaTable) -> float:
        s = scorer.score(t).scores
        return float(_oriented(s, higher)[a] - _oriented(s, higher)[b])

    def linear(scores: FloatArray) -> float:
        return float(_oriented(scores, higher)[a] - _oriented(scores, higher)[b])

    return _break_even(
        table, scorer, criterion, linear=linear, objective=objective, steps=steps, tol=tol
    )


def weight_to_cross(
    table: CriteriaTable,
    scorer: Scorer,
    criterion: str,
    alternative: str,
    edge: float,
    *,
    steps: int = 100,
    tol: float = 1e-10,
) -> WeightChange | None:
    """Smallest change of ``criterion``'s weight that moves a score across ``edge``.

    Parameters
    ----------
    table : CriteriaTable
        The decision matrix with its current weights.
    scorer : Scorer
        Any scorer.
    criterion : str
        The criterion whose weight changes (the others are rescaled proportionally).
    alternative : str
        Whose score is watched.
    edge : float
        A band edge on the scorer's scale (e.g. a grade threshold).
    steps : int, default 100
        Grid points scanned in each direction for non-linear scorers.
    tol : float, default 1e-10
        Bisection tolerance on the weight.

    Returns
    -------
    WeightChange or None
        The weight at which the score equals ``edge``, or ``None`` if no weight in [0, 1]
        reaches it.

    Examples
    --------
    >>> from gridgov.scoring import CriteriaTable, WeightedSum, weight_to_cross
    >>> t = CriteriaTable([[1, 0], [0, 1]], ["A", "B"], ["x", "y"], "benefit", [0.7, 0.3])
    >>> round(weight_to_cross(t, WeightedSum(), "x", "A", 0.9).new_weight, 6)
    0.9
    """
    i = _alternative_index(table, alternative)

    def objective(t: CriteriaTable) -> float:
        return float(scorer.score(t).scores[i] - edge)

    def linear(scores: FloatArray) -> float:
        return float(scores[i] - edge)

    return _break_even(
        table, scorer, criterion, linear=linear, objective=objective, steps=steps, tol=tol
    )


# ------------------------------------------------------------------------------ rank reversal


@dataclass(frozen=True)
class RankReversal:
    """Pairs that swapped order in one rank-reversal test.

    Attributes
    ----------
    test : {"remove", "clone"}
        Whether ``alternative`` was removed or a copy of it added.
    alternative : str
        The alternative removed or cloned.
    pairs : tuple of (str, str)
        ``(x, y)``: ``x`` was ranked strictly above ``y`` before and strictly below after.
    """

    test: Literal["remove", "clone"]
    alternative: str
    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class RankReversalReport:
    """All rank-reversal tests run by :func:`rank_reversal`.

    Attributes
    ----------
    method : str
        Scorer name.
    tests : tuple of RankReversal
        One entry per test, including those without reversals.
    """

    method: str
    tests: tuple[RankReversal, ...]

    @property
    def reversals(self) -> tuple[RankReversal, ...]:
        """Tests in which at least one pair reversed."""
        return tuple(t for t in self.tests if t.pairs)

    @property
    def has_reversal(self) -> bool:
        """Whether any test reversed a pair."""
        return bool(self.reversals)


def _reversed_pairs(
    names: Sequence[str], before: IntArray, after: IntArray
) -> tuple[tuple[str, str], ...]:
    above = before[:, None] < before[None, :]
    below = after[:, None] > after[None, :]
    xs, ys = np.nonzero(above & below)
    return tuple((names[int(x)], names[int(y)]) for x, y in zip(xs, ys, strict=True))


def rank_reversal(
    table: CriteriaTable,
    scorer: Scorer,
    *,
    remove: bool = True,
    clone: bool = True,
    alternatives: Iterable[str] | None = None,
) -> RankReversalReport:
    """Check whether removing an alternative, or adding a clone of one, reorders the others.

    Parameters
    ----------
    table : CriteriaTable
        The decision matrix.
    scorer : Scorer
        Any scorer.
    remove : bool, default True
        Run the removal test for each alternative (needs at least three alternatives).
    clone : bool, default True
        Run the clone test (append an exact copy) for each alternative.
    alternatives : iterable of str, optional
        Alternatives to remove or clone. Default: all (m + m scorings).

    Returns
    -------
    RankReversalReport

    References
    ----------
    .. [1] Wang, Y.-M., Luo, Y. (2009). On rank reversal in decision analysis. *Mathematical
       and Computer Modelling* 49(5-6), 1221-1229.

    Examples
    --------
    >>> from gridgov.scoring import CriteriaTable, WeightedSum, rank_reversal
    >>> t = CriteriaTable([[1, 0], [0, 1], [0.5, 0.5]], ["A", "B", "C"], ["x", "y"],
    ...                   "benefit", [0.5, 0.5])
    >>> rank_reversal(t, WeightedSum(normalisation="max")).has_reversal
    False
    """
    names = table.alternatives
    chosen = tuple(names if alternatives is None else alternatives)
    for name in chosen:
        _alternative_index(table, name)
    if remove and len(names) < 3:
        raise ScoringError("the removal test needs at least three alternatives")
    base = scorer.score(table)
    tests: list[RankReversal] = []
    for name in chosen:
        i = names.index(name)
        keep = np.array([k for k in range(len(names)) if k != i])
        if remove:
            after = scorer.score(table.drop(name)).ranking
            before = rank(base.scores[keep], base.higher_is_better)
            pairs = _reversed_pairs([names[k] for k in keep], before, after)
            tests.append(RankReversal("remove", name, pairs))
        if clone:
            clone_name = f"{name} (clone)"
            while clone_name in names:
                clone_name += "'"
            result = scorer.score(table.append(clone_name, table.values[i]))
            pairs = _reversed_pairs(
                names, base.ranking, rank(result.scores[:-1], result.higher_is_better)
            )
            tests.append(RankReversal("clone", name, pairs))
    return RankReversalReport(method=base.method, tests=tuple(tests))
