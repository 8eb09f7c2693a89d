"""Built-in scoring methods: a pure numpy function and a thin scorer class for each.

=================  =====================  ==========================  =================
name               class                  function                    higher is better
=================  =====================  ==========================  =================
weighted_sum       :class:`WeightedSum`   :func:`weighted_sum`        yes
topsis             :class:`Topsis`        :func:`topsis`              yes
vikor              :class:`Vikor`         :func:`vikor`               no (Q)
grey_relational    :class:`GreyRelational`  :func:`grey_relational`   yes
promethee_ii       :class:`PrometheeII`   :func:`promethee_ii`        yes
=================  =====================  ==========================  =================
"""

from __future__ import annotations

from gridgov.scoring.methods.grey_relational import GreyRelational, grey_relational
from gridgov.scoring.methods.promethee import PREFERENCE_FUNCTIONS, PrometheeII, promethee_ii
from gridgov.scoring.methods.topsis import Topsis, topsis
from gridgov.scoring.methods.vikor import Vikor, vikor
from gridgov.scoring.methods.weighted_sum import WeightedSum, weighted_sum

__all__ = [
    "PREFERENCE_FUNCTIONS",
    "GreyRelational",
    "PrometheeII",
    "Topsis",
    "Vikor",
    "WeightedSum",
    "grey_relational",
    "promethee_ii",
    "topsis",
    "vikor",
    "weighted_sum",
]
