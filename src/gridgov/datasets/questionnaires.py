"""Synthetic ratings and credit records for the bundled examples, from the same latent quality.

:func:`ratings` draws, for 播州区's property companies, year-end questionnaires from the
seed's six rater groups (行业党委, 部门, 街道党工委, 社区党组织, 业委会, 居民): each score is
``75 + 8 q + noise`` clipped to ``[0, 100]`` for the company's latent quality ``q``
(:func:`~gridgov.datasets.latent_quality`, the quality behind :func:`~gridgov.datasets.events`),
with the group's own noise. A company with no owners' committee (``P_NO_OWNERS_COMMITTEE``)
has no 业委会 rating, so the multi-rater rule for a missing group is exercised.
:func:`credit_records` draws credit records (kinds of the ``shandong_property_services``
policy): commendations and party-building projects more often for good companies, verified
complaints, rectification orders and serious dishonesty (严重失信, the one-vote veto) more
often for bad ones. All volumes and coefficients are assumptions; the seed gives none.

The frames follow :data:`gridgov.assess.RATING_COLUMNS` and the record columns of
:func:`gridgov.scoring.credit.evaluate`; examples other than 播州区 have no ratings (an empty
frame with the columns).

Examples
--------
>>> r = ratings("bozhou")
>>> sorted(r.get_column("rater_group").unique().to_list())[:3]
['community_party_organisation', 'department', 'industry_party_committee']
>>> r.get_column("subject").n_unique()
76
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import TYPE_CHECKING, Final

import numpy as np

from gridgov.datasets.activity import YEAR, _check, latent_quality
from gridgov.datasets.bundled import load

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

__all__ = ["GROUPS", "credit_records", "ratings"]

#: Rater groups: (name, raters per company, noise sd) — assumed.
GROUPS: Final = (
    ("industry_party_committee", 1, 6.0),
    ("department", 3, 8.0),
    ("street_working_committee", 1, 7.0),
    ("community_party_organisation", 2, 7.0),
    ("owners_committee", 1, 9.0),
    ("residents", 20, 14.0),
)
P_NO_OWNERS_COMMITTEE: Final = 0.15
_SEED: Final = 4242

#: Credit record kinds of ``shandong_property_services``: (kind, section, points, serious).
_KINDS: Final = {
    "award_city": ("bonus", 10.0, False),
    "party_building": ("bonus", 5.0, False),
    "complaint_verified": ("penalty", 2.0, False),
    "rectification_order": ("penalty", 5.0, False),
    "serious_dishonesty": ("penalty", 20.0, True),
}


def _empty() -> pl.DataFrame:
    import polars as pl

    return pl.DataFrame(
        schema={
            "rater_group": pl.String,
            "rater_id": pl.String,
            "subject": pl.String,
            "date": pl.Date,
            "item": pl.String,
            "score": pl.Float64,
        }
    )


def _companies(name: str) -> pl.DataFrame:
    """``organisation``, ``quality`` of the example's property companies, sorted."""
    import polars as pl

    ids = [o.id for o in load(name).organisations if o.kind.value == "property_company"]
    return latent_quality(name).filter(pl.col("organisation").is_in(ids)).sort("organisation")


@cache
def ratings(name: str) -> pl.DataFrame:
    """The example's year-end questionnaires (item ``overall``, scores 0-100); deterministic."""
    import polars as pl

    _check(name)
    if name != "bozhou":
        return _empty()
    q = _companies(name)
    rng = np.random.default_rng(_SEED)
    orgs = q.get_column("organisation").to_list()
    quality = q.get_column("quality").to_numpy()
    no_oc = rng.random(len(orgs)) < P_NO_OWNERS_COMMITTEE
    cols: dict[str, list[object]] = {
        k: [] for k in ("rater_group", "rater_id", "subject", "date", "score")
    }
    for group, per, sd in GROUPS:
        for i, org in enumerate(orgs):
            if group == "owners_committee" and no_oc[i]:
                continue
            s = np.clip(75 + 8 * quality[i] + rng.normal(0, sd, per), 0, 100).round(1)
            cols["rater_group"] += [group] * per
            cols["rater_id"] += [f"{group}-{org}-{k + 1:02d}" for k in range(per)]
            cols["subject"] += [org] * per
            cols["date"] += [dt.date(YEAR, 12, 15)] * per
            cols["score"] += s.tolist()
    frame = pl.DataFrame(cols).with_columns(item=pl.lit("overall"))
    return frame.select(
        "rater_group", "rater_id", "subject", "date", "item", pl.col("score").cast(pl.Float64)
    )


@cache
def credit_records(name: str) -> pl.DataFrame:
    """The example's credit records in the year; deterministic.

    Columns ``subject``, ``kind``, ``section``, ``points``, ``effective``, ``serious``.
    """
    import polars as pl

    _check(name)
    rows: list[tuple[str, str, str, float, dt.date, bool]] = []
    if name == "bozhou":
        q = _companies(name)
        rng = np.random.default_rng(_SEED + 1)
        for org, qi in q.iter_rows():
            rates = {
                "award_city": 0.5 / (1 + np.exp(-3 * (qi - 0.8))),
                "party_building": 0.8 / (1 + np.exp(-2 * qi)),
                "complaint_verified": 1.5 * np.exp(-0.8 * qi),
                "rectification_order": 0.6 / (1 + np.exp(3 * (qi + 0.8))),
                "serious_dishonesty": 0.9 / (1 + np.exp(6 * (qi + 1.6))),
            }
            for kind, lam in rates.items():
                for _ in range(int(rng.poisson(lam))):
                    section, points, serious = _KINDS[kind]
                    day = dt.date(YEAR, 1, 1) + dt.timedelta(days=int(rng.integers(0, 350)))
                    rows.append((org, kind, section, points, day, serious))
    return pl.DataFrame(
        rows,
        schema={
            "subject": pl.String,
            "kind": pl.String,
            "section": pl.String,
            "points": pl.Float64,
            "effective": pl.Date,
            "serious": pl.Boolean,
        },
        orient="row",
    ).sort("subject", "effective")
