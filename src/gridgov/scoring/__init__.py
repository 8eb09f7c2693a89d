"""Domain-agnostic multi-criteria scoring: tables, scorers, weights, robustness.

``gridgov.scoring`` imports numpy and nothing of gridgov except :mod:`gridgov.errors`.

Build a :class:`CriteriaTable` (alternatives x criteria, benefit/cost directions, weights), pick
a scorer by name with :func:`get_scorer` (``weighted_sum``, ``topsis``, ``vikor``,
``grey_relational``, ``promethee_ii`` or a plug-in), and read the :class:`ScoreResult`: scores,
competition ranks, the method's intermediates in ``details`` and a per-criterion
:meth:`~ScoreResult.explain`. Every variant (``normalisation``, ``v``, ``rho``, ``preference``)
is an explicit parameter recorded in ``result.params``.

Degenerate data
---------------
Errors (:class:`~gridgov.errors.ScoringError`, a ``ValueError``) — the input cannot be scored:

- a NaN or infinite value (the message names the alternative and criterion), negative weights,
  all-zero weights, zero alternatives or zero criteria, duplicate names (:class:`CriteriaTable`);
- fewer than two alternatives for any built-in method (they compare alternatives);
- an all-zero column under ``vector`` normalisation; a negative benefit or a zero/negative cost
  value under ``sum`` or ``max`` normalisation (they divide by it);
- missing or inconsistent PROMETHEE thresholds; parameters out of range (``v``, ``rho``);
- a score that is not finite. Values and weights near the floating-point limits (1e308,
  1e-308) are rescaled by powers of two before they are summed or squared, so this does not
  happen for finite input to the built-in methods; the check runs inside each method, so its
  function (``topsis(...)``) and its scorer (``Topsis().score(...)``) refuse the same input.

Warnings (subclasses of :class:`ScoringWarning`, a ``UserWarning``) — scored by a documented
convention, never a silent NaN:

- :class:`WeightsNormalisedWarning`: weights not summing to 1 were divided by their sum (they
  are scaled by their maximum first, so weights such as ``[1e308] * 3`` mean equal weights);
- :class:`DegenerateDataWarning`: a constant criterion under ``minmax`` normalisation (set to 1.0)
  or in VIKOR (regret 0); all S or all R equal in VIKOR (that term of Q is 0); all alternatives
  identical (they all tie: TOPSIS closeness 1.0, VIKOR Q 0, grey coefficients 1, flows 0,
  weighted sum equal); an ambiguous maximum-membership grade in :func:`fuzzy_comprehensive`;
- :class:`InconsistentJudgementsWarning`: AHP judgements with a consistency ratio at or above
  the threshold (the message gives CR); the weights are still returned;
- :class:`PluginWarning`: a broken scorer plug-in was skipped.

Examples
--------
>>> from gridgov.scoring import CriteriaTable, get_scorer
>>> table = CriteriaTable(
...     [[0.92, 3.0, 41], [0.85, 1.0, 55], [0.97, 6.0, 38]],
...     alternatives=["G01", "G02", "G03"],
...     criteria=["coverage", "overdue", "visits"],
...     directions=["benefit", "cost", "benefit"],
...     weights=[0.5, 0.3, 0.2],
... )
>>> result = get_scorer("topsis").score(table)
>>> result.ranking
array([2, 1, 3])
>>> result.params
{'normalisation': 'vector'}
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING

from gridgov.scoring._normalise import (
    NORMALISATIONS,
    max_normalise,
    minmax_normalise,
    normalise,
    sum_normalise,
    vector_normalise,
)
from gridgov.scoring._ranking import rank
from gridgov.scoring._registry import (
    PluginWarning,
    Scorer,
    available_scorers,
    get_scorer,
    register_scorer,
    scorer,
    unregister_scorer,
)
from gridgov.scoring._result import Explanation, ScoreResult
from gridgov.scoring._table import (
    CriteriaTable,
    DegenerateDataWarning,
    InconsistentJudgementsWarning,
    ScoringWarning,
    WeightsNormalisedWarning,
)
from gridgov.scoring.fuzzy import FuzzyEvaluation, fuzzy_comprehensive
from gridgov.scoring.methods import (
    GreyRelational,
    PrometheeII,
    Topsis,
    Vikor,
    WeightedSum,
    grey_relational,
    promethee_ii,
    topsis,
    vikor,
    weighted_sum,
)
from gridgov.scoring.sensitivity import (
    MonteCarloResult,
    OneAtATimeResult,
    RankReversal,
    RankReversalReport,
    WeightChange,
    monte_carlo,
    one_at_a_time,
    rank_reversal,
    weight_to_cross,
    weight_to_flip,
)

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    from gridgov.scoring import credit, raters, weights

#: Submodules imported on first attribute access (written alongside this package).
_LAZY_SUBMODULES = ("credit", "raters", "weights")

__all__ = [
    "NORMALISATIONS",
    "CriteriaTable",
    "DegenerateDataWarning",
    "Explanation",
    "FuzzyEvaluation",
    "GreyRelational",
    "InconsistentJudgementsWarning",
    "MonteCarloResult",
    "OneAtATimeResult",
    "PluginWarning",
    "PrometheeII",
    "RankReversal",
    "RankReversalReport",
    "ScoreResult",
    "Scorer",
    "ScoringWarning",
    "Topsis",
    "Vikor",
    "WeightChange",
    "WeightedSum",
    "WeightsNormalisedWarning",
    "available_scorers",
    "credit",
    "fuzzy_comprehensive",
    "get_scorer",
    "grey_relational",
    "max_normalise",
    "minmax_normalise",
    "monte_carlo",
    "normalise",
    "one_at_a_time",
    "promethee_ii",
    "rank",
    "rank_reversal",
    "raters",
    "register_scorer",
    "scorer",
    "sum_normalise",
    "topsis",
    "unregister_scorer",
    "vector_normalise",
    "vikor",
    "weight_to_cross",
    "weight_to_flip",
    "weighted_sum",
    "weights",
]


def __getattr__(name: str) -> ModuleType:
    if name in _LAZY_SUBMODULES:
        module = importlib.import_module(f"gridgov.scoring.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'gridgov.scoring' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
