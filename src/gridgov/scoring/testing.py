"""Conformance kit for scorer plug-ins: run :func:`check_scorer` in your own tests.

Examples
--------
>>> from gridgov.scoring import Topsis
>>> from gridgov.scoring.testing import check_scorer
>>> check_scorer(Topsis(), monotone=True)
"""

from __future__ import annotations

import warnings

import numpy as np

from gridgov.scoring._ranking import rank
from gridgov.scoring._registry import Scorer
from gridgov.scoring._result import ScoreResult
from gridgov.scoring._table import CriteriaTable

__all__ = ["check_scorer", "conformance_table"]


def conformance_table(seed: int = 0, m: int = 7, n: int = 4) -> CriteriaTable:
    """Return the table :func:`check_scorer` uses by default.

    Positive values in [1, 10) drawn from ``numpy.random.default_rng(seed)``, alternating
    benefit and cost criteria, weights proportional to ``n, n-1, …, 1``.

    Parameters
    ----------
    seed : int, default 0
        Seed of the generator.
    m, n : int, default 7 and 4
        Alternatives and criteria.

    Returns
    -------
    CriteriaTable
    """
    rng = np.random.default_rng(seed)
    values = rng.uniform(1.0, 10.0, size=(m, n)).round(3)
    weights = np.arange(n, 0, -1, dtype=np.float64)
    return CriteriaTable(
        values,
        [f"A{i + 1}" for i in range(m)],
        [f"C{j + 1}" for j in range(n)],
        ["benefit" if j % 2 == 0 else "cost" for j in range(n)],
        weights / weights.sum(),
    )


def _fail(scorer: object, message: str) -> AssertionError:
    label = getattr(scorer, "name", type(scorer).__name__)
    return AssertionError(f"check_scorer({label!r}): {message}")


def _score(scorer: Scorer, table: CriteriaTable) -> ScoreResult:
    try:
        result = scorer.score(table)
    except Exception as exc:
        raise _fail(scorer, f"score(table) raised {type(exc).__name__}: {exc}") from exc
    if not isinstance(result, ScoreResult):
        raise _fail(scorer, f"score(table) returned {type(result).__name__}, not ScoreResult")
    return result


def check_scorer(
    scorer: object,
    *,
    table: CriteriaTable | None = None,
    monotone: bool = False,
    atol: float = 1e-9,
) -> None:
    """Check that ``scorer`` honours the :class:`~gridgov.scoring.Scorer` contract.

    Checks, in order: the protocol (``name: str``, ``higher_is_better: bool``,
    ``score(table)``); that ``score`` returns a :class:`~gridgov.scoring.ScoreResult` for the
    table's alternatives with float scores of shape (m,), all finite; ``higher_is_better`` in
    the result equal to the scorer's; the ranking equal to
    ``rank(scores, higher_is_better)``; identical scores on a second call (determinism);
    scores that follow the alternatives when their order is permuted; and, with
    ``monotone=True``, that improving one alternative on one criterion (raising a benefit,
    lowering a cost) never worsens its rank.

    Parameters
    ----------
    scorer : object
        The scorer instance to check.
    table : CriteriaTable, optional
        Table to score. Default: :func:`conformance_table`.
    monotone : bool, default False
        Also check monotonicity (only for methods that promise it).
    atol : float, default 1e-9
        Absolute tolerance for comparing scores.

    Raises
    ------
    AssertionError
        With a message naming the scorer and the broken rule.
    """
    if not isinstance(scorer, Scorer):
        raise _fail(scorer, "does not follow the Scorer protocol (name, higher_is_better, score)")
    if not isinstance(scorer.name, str) or not scorer.name:
        raise _fail(scorer, f"name must be a non-empty str, got {scorer.name!r}")
    if not isinstance(scorer.higher_is_better, bool):
        raise _fail(scorer, f"higher_is_better must be a bool, got {scorer.higher_is_better!r}")
    t = conformance_table() if table is None else table
    m = len(t.alternatives)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a conformance table must not need a warning
        first = _score(scorer, t)
    scores = first.scores
    if first.alternatives != t.alternatives:
        raise _fail(scorer, "result.alternatives differ from the table's alternatives")
    if scores.shape != (m,) or scores.dtype != np.float64:
        raise _fail(
            scorer, f"scores must be float64 of shape ({m},), got {scores.dtype} {scores.shape}"
        )
    if not np.isfinite(scores).all():
        raise _fail(scorer, f"scores must be finite, got {scores.tolist()}")
    if first.higher_is_better is not scorer.higher_is_better:
        raise _fail(scorer, "result.higher_is_better differs from scorer.higher_is_better")
    expected = rank(scores, first.higher_is_better)
    if first.ranking.shape != (m,) or not np.array_equal(first.ranking, expected):
        raise _fail(
            scorer,
            f"ranking {first.ranking.tolist()} is not the competition ranking "
            f"{expected.tolist()} of its scores",
        )
    again = _score(scorer, t)
    if not np.array_equal(again.scores, scores):
        raise _fail(scorer, "two calls on the same table gave different scores (not deterministic)")
    permutation = np.random.default_rng(12345).permutation(m)
    permuted = CriteriaTable(
        t.values[permutation],
        [t.alternatives[i] for i in permutation],
        t.criteria,
        t.directions,
        t.weights,
    )
    moved = _score(scorer, permuted)
    if not np.allclose(moved.scores, scores[permutation], atol=atol, rtol=1e-9):
        raise _fail(scorer, "scores changed when the alternatives were listed in another order")
    if monotone:
        _check_monotone(scorer, t, first)


def _check_monotone(scorer: Scorer, table: CriteriaTable, base: ScoreResult) -> None:
    values = table.values
    span = values.max(axis=0) - values.min(axis=0)
    step = np.where(span > 0, span, np.abs(values).max(axis=0) + 1.0) * 0.25
    for i, name in enumerate(table.alternatives):
        for j, criterion in enumerate(table.criteria):
            improved = values.copy()
            if table.is_benefit[j]:
                improved[i, j] += step[j]
            else:  # lower the cost; positive columns stay positive (ratio normalisations)
                lowered = improved[i, j] - step[j]
                floor = values[:, j].min() / 2
                improved[i, j] = max(lowered, floor) if floor > 0 else lowered
            changed = CriteriaTable._trusted(
                improved, table.alternatives, table.criteria, table.directions, table.weights
            )
            new_rank = int(_score(scorer, changed).ranking[i])
            old_rank = int(base.ranking[i])
            if new_rank > old_rank:
                raise _fail(
                    scorer,
                    f"not monotone: improving {name!r} on {criterion!r} moved it from rank "
                    f"{old_rank} to {new_rank}",
                )
