"""The one composition point: structure + cases + ratings → indicators → scores → Assessment.

:func:`assess` computes a scheme's indicators (:func:`indicators`, data in
``indicators.toml``) for every subject at once, adds the rater groups' aggregate, scores the
:class:`~gridgov.scoring.CriteriaTable`, grades each subject by the scheme's credit policy
(one-vote veto, red and black lists) or bands, flags ranks that flip under ±10 % weight
changes, and explains each result in Chinese and English. Schemes are data
(:func:`schemes`); the 播州区 property companies' red/black list is
``bozhou_property_redblack``.

Examples
--------
>>> import warnings
>>> from gridgov import datasets
>>> from gridgov.assess import assess
>>> with warnings.catch_warnings():
...     warnings.simplefilter("ignore")
...     a = assess(datasets.load("bozhou"), datasets.events("bozhou"), datasets.ratings("bozhou"),
...                "bozhou_property_redblack", 2024, records=datasets.credit_records("bozhou"))
>>> a.to_frame().height
76
>>> len(a.members("black")) > 0 and len(a.members("red")) > 0
True
"""

from gridgov.assess._assess import Assessment, AssessWarning, assess
from gridgov.assess.indicators import (
    Indicator,
    IndicatorContext,
    compute_indicators,
    indicator_function,
    indicators,
    load_indicators,
)
from gridgov.assess.ratings import RATING_COLUMNS, Rating, read_ratings, validate_ratings
from gridgov.assess.schemes import Scheme, load_scheme, schemes

__all__ = [
    "RATING_COLUMNS",
    "AssessWarning",
    "Assessment",
    "Indicator",
    "IndicatorContext",
    "Rating",
    "Scheme",
    "assess",
    "compute_indicators",
    "indicator_function",
    "indicators",
    "load_indicators",
    "load_scheme",
    "read_ratings",
    "schemes",
    "validate_ratings",
]
