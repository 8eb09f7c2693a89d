"""gridgov.datasets.questionnaires: synthetic ratings and credit records from latent quality."""

from __future__ import annotations

import polars as pl
import pytest

from gridgov import datasets
from gridgov.assess import RATING_COLUMNS, validate_ratings
from gridgov.errors import UnknownDatasetError
from gridgov.scoring.credit import load_policy


def test_ratings_are_valid_deterministic_and_cover_the_76_companies() -> None:
    r = datasets.ratings("bozhou")
    assert tuple(r.columns) == RATING_COLUMNS
    assert validate_ratings(r).height == r.height
    assert r.get_column("subject").n_unique() == 76  # seed report: 76家物业企业
    assert r.equals(datasets.questionnaires.ratings.__wrapped__("bozhou"))


def test_ratings_follow_latent_quality() -> None:
    mean = datasets.ratings("bozhou").group_by("subject").agg(pl.col("score").mean())
    q = datasets.latent_quality("bozhou")
    rho = (
        mean.join(q, left_on="subject", right_on="organisation")
        .select(pl.corr("score", "quality", method="spearman"))
        .item()
    )
    assert rho > 0.8


def test_credit_records_use_the_policy_kinds() -> None:
    records = datasets.credit_records("bozhou")
    policy = load_policy("shandong_property_services")
    for kind, section, points, serious in (
        records.select("kind", "section", "points", "serious").unique().iter_rows()
    ):
        assert policy.kinds[kind].section == section
        assert policy.kinds[kind].points == points
        assert policy.kinds[kind].serious == serious
    assert records.filter(pl.col("serious")).height > 0


def test_other_examples_have_empty_ratings() -> None:
    assert datasets.ratings("youyi").height == 0
    assert tuple(datasets.ratings("youyi").columns) == RATING_COLUMNS
    with pytest.raises(UnknownDatasetError):
        datasets.ratings("bozou")
