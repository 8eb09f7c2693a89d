"""A year of cases for each bundled example, calibrated to the seed's counts and cached.

:func:`events` runs :func:`~gridgov.datasets.mechanism.synthetic_events` over the bundled
structure (:func:`~gridgov.datasets.load`) with a fixed seed. Where the seed report gives a
count, the *arrival rate* is calibrated to it — the target divided by the structure's
households is each household's yearly rate — and the cases are then sampled (Poisson), so the
realised counts scatter around the targets as a real year would; nothing is typed in and
counted back. Where it gives none, the rate is assumed and says so (:data:`ACTIVITY`).

=========  ==================================================================================
example    what its year holds (targets are expected cases in 2024)
=========  ==================================================================================
youyi      四单 (``four_lists:youyi``: 群众点单、社区派单、志愿者接单、群众评单) by kind: policy
           talks 246, health 41, safety checks 81, relief 53, performances 20 (「累计开展政策
           宣传246次、健康科普41次、安全检查81次、扶贫帮困53次、文艺汇演20次」; the report's
           counts are cumulative, read here as one year); 街岗吹哨 whistles (assumed).
huanan     社区点单、组织派单、部门接单 (``four_lists:huanan``) solving 736 problems a year
           (「已解决实际问题730余件」, as the bundled structure's projects do); 网格吹哨、多方报到
           whistles (assumed).
bozhou     residents' requests and complaints to the 76 property companies through
           ``hotline_12345`` (the company hosts, 主办): repair requests handled in a median 2
           working hours (docs/sources.md §5: a leak fixed within half a day), complaints whose rate
           falls with each company's latent quality (assumed volumes).
=========  ==================================================================================

Generating a year takes about a second after the structure is built (the structures
themselves take a few seconds on first use); each is generated once per process, so nothing
large ships with the package.

Examples
--------
>>> log = events("youyi")
>>> sorted(log.get_column("template").unique().to_list())
['four_lists:youyi', 'whistle:youyi']
>>> latent_quality("bozhou").columns
['organisation', 'quality']
"""

from __future__ import annotations

import difflib
from functools import cache
from typing import TYPE_CHECKING, Any, Final

from gridgov.errors import UnknownDatasetError

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

    from gridgov.datasets.mechanism import SyntheticEvents

__all__ = ["ACTIVITY", "YEAR", "events", "latent_quality", "synthetic_year"]

#: The year of the bundled examples' activity.
YEAR: Final = 2024

#: Per example: the generator's seed, the expected cases per year by template and kind
#: (``targets``), the source of each target, and per-kind medians of the closing step.
ACTIVITY: Final[dict[str, dict[str, Any]]] = {
    "youyi": {
        "seed": 7601,
        "targets": {
            "four_lists:youyi": {
                "policy_talk": 246,
                "health": 41,
                "safety_check": 81,
                "relief": 53,
                "performance": 20,
            },
            "whistle:youyi": {"governance": 60, "emergency": 12},
        },
        "sources": {
            "four_lists:youyi": "seed report, 友谊县: 「累计开展政策宣传246次、健康科普41次、"
            "安全检查81次、扶贫帮困53次、文艺汇演20次」 (verified; cumulative, read as one year)",
            "whistle:youyi": "assumed: about one whistle per grid a year (the seed gives none)",
        },
        "handling": {},
    },
    "huanan": {
        "seed": 25201,
        "targets": {
            "four_lists:huanan": {"problem": 736},
            "whistle:huanan": {"governance": 250, "emergency": 30},
        },
        "sources": {
            "four_lists:huanan": "seed report, 桦南县: 「已解决实际问题730余件」 (verified; 736, "
            "the bundled structure's projects' total)",
            "whistle:huanan": "assumed: about one whistle per grid a year (the seed gives none)",
        },
        "handling": {},
    },
    "bozhou": {
        "seed": 6901,
        "targets": {
            "hotline_12345": {"help": 3600, "complaint": 900, "consultation": 1200},
        },
        "sources": {
            "hotline_12345": "assumed volumes (about 0.16 requests per household a year); "
            "docs/sources.md §5: requests to a property company (a leak fixed within half a day) "
            "and complaints",
        },
        "handling": {"hotline_12345": {"help": 2.0}},
    },
}


def _check(name: str) -> None:
    if not isinstance(name, str) or name not in ACTIVITY:
        names = sorted(ACTIVITY)
        close = difflib.get_close_matches(str(name), names, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise UnknownDatasetError(f"unknown dataset {name!r}{hint}; available: {', '.join(names)}")


@cache
def synthetic_year(name: str) -> SyntheticEvents:
    """The generated year of example ``name``: events, latent quality and calibrated rates.

    Raises
    ------
    UnknownDatasetError
        For a name that is not a bundled example.

    Examples
    --------
    >>> year = synthetic_year("huanan")
    >>> year.rates.filter(kind="problem").item(0, "expected")
    736.0
    """
    _check(name)
    from gridgov.datasets.bundled import load
    from gridgov.datasets.mechanism import synthetic_events

    spec = ACTIVITY[name]
    structure = load(name)
    households = structure.households.frame.height
    # calibration: the target count over the households is each household's yearly rate
    rates = {
        template: {kind: count / households for kind, count in kinds.items()}
        for template, kinds in spec["targets"].items()
    }
    return synthetic_events(
        structure, year=YEAR, seed=spec["seed"], rates=rates, handling=spec["handling"]
    )


def events(name: str) -> pl.DataFrame:
    """The bundled example's year of cases: an event log (:mod:`gridgov.service.schema`).

    Deterministic and cached: every call returns the same frame.

    Raises
    ------
    UnknownDatasetError
        For a name that is not a bundled example; the message lists the available ones.

    Examples
    --------
    >>> events("youyi") is events("youyi")
    True
    >>> events("bozou")
    Traceback (most recent call last):
    ...
    gridgov.errors.UnknownDatasetError: unknown dataset 'bozou' (did you mean 'bozhou'?); \
available: bozhou, huanan, youyi
    """
    return synthetic_year(name).events


def latent_quality(name: str) -> pl.DataFrame:
    """The hidden service quality of each organisation handling the example's cases.

    ``organisation``, ``quality`` (a standard normal draw, higher is better): the truth an
    assessment of the example's log should recover.
    """
    return synthetic_year(name).quality
