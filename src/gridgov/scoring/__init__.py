"""Domain-agnostic multi-criteria scoring: tables, scorers, weights, robustness.

``gridgov.scoring`` imports numpy and nothing of gridgov except :mod:`gridgov.errors`.

Build a :class:`CriteriaTable` (alternatives x criteria, benefit/cost directions, weights), pick
a scorer by name with :func:`get_scorer` (``weighted_sum``, ``topsis``, ``vikor``,
``grey_relational``, ``promethee_ii``, ``waspas``, ``copras``, ``edas``, ``codas``, ``aras``,
``moora``, ``multimoora``, ``mabac``, ``cocoso``, ``marcos``, ``spotis``, ``comet``, ``todim``,
``electre_i``, ``electre_iii`` …, see :mod:`gridgov.scoring.methods`, or a plug-in), and read the
:class:`ScoreResult`: scores, competition ranks, the method's intermediates in ``details`` and a
per-criterion :meth:`~ScoreResult.explain`. Every variant (``normalisation``, ``v``, ``rho``,
``preference`` …) is an explicit parameter recorded in ``result.params``. :func:`compare` ranks
one table by several methods and measures how similar the rankings are; fuzzy ratings go in a
:class:`FuzzyCriteriaTable` for :func:`fuzzy_topsis`.

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
from gridgov.scoring._normalise_extra import (
    identity_normalise,
    log_normalise,
    zavadskas_turskis_normalise,
    zscore_normalise,
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
from gridgov.scoring.fuzzy_tfn import FuzzyCriteriaTable, FuzzyTopsisResult, fuzzy_topsis
from gridgov.scoring.methods import (
    Aras,
    Cocoso,
    Codas,
    Comet,
    Copras,
    Edas,
    ElectreI,
    ElectreIII,
    GreyRelational,
    Mabac,
    Marcos,
    Moora,
    Multimoora,
    PrometheeII,
    Spotis,
    Todim,
    Topsis,
    Vikor,
    Waspas,
    WeightedProduct,
    WeightedSum,
    aras,
    cocoso,
    codas,
    comet,
    copras,
    edas,
    electre_i,
    electre_iii,
    grey_relational,
    mabac,
    marcos,
    moora,
    multimoora,
    promethee_ii,
    spotis,
    todim,
    topsis,
    vikor,
    waspas,
    weighted_product,
    weighted_sum,
)
from gridgov.scoring.rankings import (
    COEFFICIENTS,
    RankingComparison,
    compare,
    goodman_kruskal_gamma,
    kendall_tau,
    plot_comparison,
    spearman,
    weighted_spearman,
    ws_similarity,
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
    "COEFFICIENTS",
    "NORMALISATIONS",
    "Aras",
    "Cocoso",
    "Codas",
    "Comet",
    "Copras",
    "CriteriaTable",
    "DegenerateDataWarning",
    "Edas",
    "ElectreI",
    "ElectreIII",
    "Explanation",
    "FuzzyCriteriaTable",
    "FuzzyEvaluation",
    "FuzzyTopsisResult",
    "GreyRelational",
    "InconsistentJudgementsWarning",
    "Mabac",
    "Marcos",
    "MonteCarloResult",
    "Moora",
    "Multimoora",
    "OneAtATimeResult",
    "PluginWarning",
    "PrometheeII",
    "RankReversal",
    "RankReversalReport",
    "RankingComparison",
    "ScoreResult",
    "Scorer",
    "ScoringWarning",
    "Spotis",
    "Todim",
    "Topsis",
    "Vikor",
    "Waspas",
    "WeightChange",
    "WeightedProduct",
    "WeightedSum",
    "WeightsNormalisedWarning",
    "aras",
    "available_scorers",
    "cocoso",
    "codas",
    "comet",
    "compare",
    "copras",
    "credit",
    "edas",
    "electre_i",
    "electre_iii",
    "fuzzy_comprehensive",
    "fuzzy_topsis",
    "get_scorer",
    "goodman_kruskal_gamma",
    "grey_relational",
    "identity_normalise",
    "kendall_tau",
    "log_normalise",
    "mabac",
    "marcos",
    "max_normalise",
    "minmax_normalise",
    "monte_carlo",
    "moora",
    "multimoora",
    "normalise",
    "one_at_a_time",
    "plot_comparison",
    "promethee_ii",
    "rank",
    "rank_reversal",
    "raters",
    "register_scorer",
    "scorer",
    "spearman",
    "spotis",
    "sum_normalise",
    "todim",
    "topsis",
    "unregister_scorer",
    "vector_normalise",
    "vikor",
    "waspas",
    "weight_to_cross",
    "weight_to_flip",
    "weighted_product",
    "weighted_spearman",
    "weighted_sum",
    "weights",
    "ws_similarity",
    "zavadskas_turskis_normalise",
    "zscore_normalise",
]


def __getattr__(name: str) -> ModuleType:
    if name in _LAZY_SUBMODULES:
        module = importlib.import_module(f"gridgov.scoring.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'gridgov.scoring' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
