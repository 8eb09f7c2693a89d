"""Built-in scoring methods: a pure numpy function and a thin scorer class for each.

=================  ============================  =============================  ================
name               class                         function                       higher is better
=================  ============================  =============================  ================
weighted_sum       :class:`WeightedSum`          :func:`weighted_sum`           yes
topsis             :class:`Topsis`               :func:`topsis`                 yes
vikor              :class:`Vikor`                :func:`vikor`                  no (Q)
grey_relational    :class:`GreyRelational`       :func:`grey_relational`        yes
promethee_ii       :class:`PrometheeII`          :func:`promethee_ii`           yes
weighted_product   :class:`WeightedProduct`      :func:`weighted_product`       yes
waspas             :class:`Waspas`               :func:`waspas`                 yes
copras             :class:`Copras`               :func:`copras`                 yes
edas               :class:`Edas`                 :func:`edas`                   yes
codas              :class:`Codas`                :func:`codas`                  yes
aras               :class:`Aras`                 :func:`aras`                   yes
moora              :class:`Moora`                :func:`moora`                  yes
multimoora         :class:`Multimoora`           :func:`multimoora`             yes
mabac              :class:`Mabac`                :func:`mabac`                  yes
cocoso             :class:`Cocoso`               :func:`cocoso`                 yes
marcos             :class:`Marcos`               :func:`marcos`                 yes
spotis             :class:`Spotis`               :func:`spotis`                 no (distance)
comet              :class:`Comet`                :func:`comet`                  yes
todim              :class:`Todim`                :func:`todim`                  yes
electre_i          :class:`ElectreI`             :func:`electre_i`              yes (net count)
electre_iii        :class:`ElectreIII`           :func:`electre_iii`            yes
=================  ============================  =============================  ================
"""

from __future__ import annotations

from gridgov.scoring.methods.aras import Aras, aras
from gridgov.scoring.methods.cocoso import Cocoso, cocoso
from gridgov.scoring.methods.codas import Codas, codas
from gridgov.scoring.methods.comet import Comet, comet
from gridgov.scoring.methods.copras import Copras, copras
from gridgov.scoring.methods.edas import Edas, edas
from gridgov.scoring.methods.electre_i import ElectreI, electre_i
from gridgov.scoring.methods.electre_iii import ElectreIII, electre_iii
from gridgov.scoring.methods.grey_relational import GreyRelational, grey_relational
from gridgov.scoring.methods.mabac import Mabac, mabac
from gridgov.scoring.methods.marcos import Marcos, marcos
from gridgov.scoring.methods.moora import Moora, moora
from gridgov.scoring.methods.multimoora import Multimoora, multimoora
from gridgov.scoring.methods.promethee import PREFERENCE_FUNCTIONS, PrometheeII, promethee_ii
from gridgov.scoring.methods.spotis import Spotis, spotis
from gridgov.scoring.methods.todim import Todim, todim
from gridgov.scoring.methods.topsis import Topsis, topsis
from gridgov.scoring.methods.vikor import Vikor, vikor
from gridgov.scoring.methods.waspas import Waspas, waspas
from gridgov.scoring.methods.weighted_product import WeightedProduct, weighted_product
from gridgov.scoring.methods.weighted_sum import WeightedSum, weighted_sum

__all__ = [
    "PREFERENCE_FUNCTIONS",
    "Aras",
    "Cocoso",
    "Codas",
    "Comet",
    "Copras",
    "Edas",
    "ElectreI",
    "ElectreIII",
    "GreyRelational",
    "Mabac",
    "Marcos",
    "Moora",
    "Multimoora",
    "PrometheeII",
    "Spotis",
    "Todim",
    "Topsis",
    "Vikor",
    "Waspas",
    "WeightedProduct",
    "WeightedSum",
    "aras",
    "cocoso",
    "codas",
    "comet",
    "copras",
    "edas",
    "electre_i",
    "electre_iii",
    "grey_relational",
    "mabac",
    "marcos",
    "moora",
    "multimoora",
    "promethee_ii",
    "spotis",
    "todim",
    "topsis",
    "vikor",
    "waspas",
    "weighted_product",
    "weighted_sum",
]
