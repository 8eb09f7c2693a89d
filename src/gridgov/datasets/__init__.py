"""Synthetic data: a seeded city generator and bundled examples calibrated to the seed reports.

:func:`synthetic_city` builds a deterministic, validated structure of any size;
:func:`load` returns one of the bundled examples (:func:`available` lists them), and
:func:`events` its year of service cases (:func:`latent_quality` the hidden truth behind them);
:func:`synthetic_events` generates such a year for any structure. All people, names and places
are invented; no real identity or phone numbers are produced.

Examples
--------
>>> from gridgov import datasets
>>> datasets.available()
['bozhou', 'huanan', 'youyi']
>>> len(datasets.synthetic_city(households=800, seed=2).households)
800
"""

from gridgov.datasets.activity import events, latent_quality
from gridgov.datasets.bundled import available, load
from gridgov.datasets.geography import SEATS, place
from gridgov.datasets.mechanism import Mechanism, SyntheticEvents, synthetic_events
from gridgov.datasets.questionnaires import credit_records, ratings
from gridgov.datasets.synthetic import CityParams, synthetic_city

__all__ = [
    "SEATS",
    "CityParams",
    "Mechanism",
    "SyntheticEvents",
    "available",
    "credit_records",
    "events",
    "latent_quality",
    "load",
    "place",
    "ratings",
    "synthetic_city",
    "synthetic_events",
]
