"""gridgov.assess: the shipped schemes end to end, lists, monotonicity, warnings, recovery."""

from __future__ import annotations

import datetime as dt
import json
import warnings

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gridgov import datasets
from gridgov.assess import Assessment, AssessWarning, assess, load_scheme, schemes
from gridgov.errors import AssessError
from gridgov.scoring import DegenerateDataWarning
from gridgov.scoring.credit import load_policy

SCHEME = "bozhou_property_redblack"


def _bozhou(
    events: pl.DataFrame | None = None,
    records: pl.DataFrame | None = None,
    *,
    period: object = 2024,
    ignore: str = "",
) -> Assessment:
    """Assess bozhou; AssessWarnings whose message matches ``ignore`` are ignored."""
    with warnings.catch_warnings():
        # the missing 业委会 is tested by itself below
        warnings.filterwarnings("ignore", ignore or ".*", AssessWarning)
        return assess(
            datasets.load("bozhou"),
            datasets.events("bozhou") if events is None else events,
            datasets.ratings("bozhou"),
            SCHEME,
            period,
            records=datasets.credit_records("bozhou") if records is None else records,
        )


@pytest.fixture(scope="module")
def bozhou() -> Assessment:
    return _bozhou()


def test_shipped_schemes_are_listed_and_valid() -> None:
    assert schemes() == [
        "bozhou_property_redblack",
        "huanan_grid_service",
        "youyi_grid_service",
        "youyi_party_member_points",
    ]
    for name in schemes():
        assert load_scheme(name).name == name


@pytest.mark.parametrize("name", ["youyi", "huanan"])
def test_grid_schemes_run_on_their_example(name: str) -> None:
    # grids with no whistle (or no case due) in the year have no rate: filled with the median
    with pytest.warns(AssessWarning, match="median"):
        a = assess(datasets.load(name), datasets.events(name), None, f"{name}_grid_service", 2024)
    frame = a.to_frame()
    grids = datasets.load(name).rollup("grid").height
    assert frame.height == grids
    assert frame.get_column("score").is_finite().all()
    assert frame.get_column("score").null_count() == 0
    assert set(frame.get_column("grade").to_list()) <= {b.grade for b in a.scheme.bands}
    best = frame.sort("rank").get_column("subject")[0]
    assert "第 1/" in a.explain(best, "zh")


def test_party_member_points_run_on_youyi() -> None:
    structure = datasets.load("youyi")
    a = assess(structure, datasets.events("youyi"), None, "youyi_party_member_points", 2024)
    frame = a.to_frame()
    members = [p.id for p in structure.people if p.party is not None]
    assert sorted(frame.get_column("subject").to_list()) == sorted(members)
    assert frame.get_column("score").null_count() == 0
    # report-back is 0/1; taking orders needs the event log's take events
    assert set(frame.get_column("report_back_registered").to_list()) == {0.0, 1.0}
    takes = datasets.events("youyi").filter(pl.col("activity") == "take").height
    assert 0 < frame.get_column("orders_taken_by_member").sum() <= takes


def test_bozhou_scheme_end_to_end(bozhou: Assessment) -> None:
    frame = bozhou.to_frame()
    assert frame.height == 76  # seed report: 76家物业企业
    for column in (
        "complaint_rate",
        "resolution_rate",
        "satisfaction",
        "rater_score",
        "score",
        "rank",
        "grade",
        "list",
        "robust",
        "movement",
    ):
        assert column in frame.columns
    for column in ("score", "complaint_rate", "satisfaction", "rater_score"):
        assert frame.get_column(column).null_count() == 0
        assert frame.get_column(column).is_finite().all()
    policy = load_policy("shandong_property_services")
    assert set(frame.get_column("grade").to_list()) <= {g.code for g in policy.grades}


def test_red_and_black_lists_are_nonempty_and_explained(bozhou: Assessment) -> None:
    red, black = bozhou.members("red"), bozhou.members("black")
    assert red
    assert black
    assert not set(red) & set(black)
    records = datasets.credit_records("bozhou")
    for company in black:
        serious = records.filter((pl.col("subject") == company) & pl.col("serious"))
        first = min(serious.get_column("effective").to_list())
        assert f"黑榜：严重失信一票否决（{first}）" in bozhou.explain(company, "zh")
        assert f"black list: one-vote veto for 严重失信 on {first}" in bozhou.explain(company, "en")
    for company in red:
        assert "红榜" in bozhou.explain(company, "zh")


def test_explanation_names_the_worst_indicator(bozhou: Assessment) -> None:
    frame = bozhou.to_frame()
    worst = frame.sort("complaint_rate", descending=True).row(0, named=True)
    text = bozhou.explain(worst["subject"], "en")
    assert f"owner complaint rate {worst['complaint_rate']:.3g}" in text
    assert "worst of 76" in text


def test_latent_quality_is_recovered(bozhou: Assessment) -> None:
    q = datasets.latent_quality("bozhou")
    joined = bozhou.to_frame().join(q, left_on="subject", right_on="organisation")
    assert joined.height == 76
    rho = joined.select(pl.corr("score", "quality", method="spearman")).item()
    assert rho >= 0.8


def test_exports(bozhou: Assessment) -> None:
    doc = json.loads(bozhou.to_json())
    assert doc["scheme"] == SCHEME
    assert doc["black"] == bozhou.members("black")
    assert len(doc["subjects"]) == 76
    md = bozhou.to_markdown("zh")
    assert md.index("## 红榜") < md.index("## 黑榜") < md.index("## 排名")


def test_movement_against_previous(bozhou: Assessment) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AssessWarning)
        later = assess(
            datasets.load("bozhou"),
            datasets.events("bozhou"),
            datasets.ratings("bozhou"),
            SCHEME,
            2024,
            records=datasets.credit_records("bozhou"),
            previous=bozhou,
        )
    assert later.to_frame().get_column("movement").to_list() == [0] * 76


# -- monotonicity --------------------------------------------------------------------------
def _with_complaints(company: str, extra: int) -> pl.DataFrame:
    """The bozhou log plus ``extra`` unrated complaints about ``company`` (copies of one)."""
    log = datasets.events("bozhou")
    if extra == 0:
        return log
    complaints = log.filter(pl.col("kind") == "complaint")
    case = complaints.filter(pl.col("case_id") == complaints.get_column("case_id")[0])
    assert case.get_column("rating").null_count() == case.height
    copies = pl.concat(
        case.with_columns(
            case_id=pl.col("case_id") + f"-x{k}",
            event_id=pl.col("event_id") + f"-x{k}",
            target=pl.when(pl.col("target").is_not_null()).then(pl.lit(company)),
        )
        for k in range(extra)
    )
    return pl.concat([log, copies])


_COMPANIES = [f"O-PM{k:03d}" for k in range(1, 77)]


@settings(max_examples=8)
@given(company=st.sampled_from(_COMPANIES), extra=st.integers(1, 40))
def test_more_complaints_never_raise_score_rank_or_grade(company: str, extra: int) -> None:
    before = _bozhou().to_frame().filter(pl.col("subject") == company).row(0, named=True)
    after = _bozhou(_with_complaints(company, extra)).to_frame()
    row = after.filter(pl.col("subject") == company).row(0, named=True)
    assert row["complaint_rate"] > before["complaint_rate"]
    assert row["score"] <= before["score"] + 1e-9
    assert row["rank"] >= before["rank"]
    order = [g.code for g in load_policy("shandong_property_services").grades]
    assert order.index(row["grade"]) >= order.index(before["grade"])


@settings(max_examples=8)
@given(company=st.sampled_from(_COMPANIES), day=st.integers(0, 364))
def test_a_veto_always_lands_on_the_black_list(company: str, day: int) -> None:
    records = datasets.credit_records("bozhou")
    veto = pl.DataFrame(
        {
            "subject": [company],
            "kind": ["serious_dishonesty"],
            "section": ["penalty"],
            "points": [20.0],
            "effective": [dt.date(2024, 1, 1) + dt.timedelta(days=day)],
            "serious": [True],
        },
        schema=records.schema,
    )
    a = _bozhou(records=pl.concat([records, veto]))
    assert company in a.members("black")
    assert "一票否决" in a.explain(company, "zh")


# -- degenerate data: warned or refused, never a silent NaN --------------------------------
def test_missing_rater_group_warns_and_redistributes() -> None:
    with pytest.warns(AssessWarning, match="lack a rater group"):
        a = assess(
            datasets.load("bozhou"),
            datasets.events("bozhou"),
            datasets.ratings("bozhou"),
            SCHEME,
            2024,
            records=datasets.credit_records("bozhou"),
        )
    rated = set(
        datasets.ratings("bozhou")
        .filter(pl.col("rater_group") == "owners_committee")
        .get_column("subject")
        .to_list()
    )
    lacking = sorted(set(_COMPANIES) - rated)
    assert lacking
    assert "owners_committee" in "\n".join(a.notes[lacking[0]])
    assert a.to_frame().get_column("rater_score").null_count() == 0


def test_subject_with_no_events_warns_and_is_filled_with_the_worst() -> None:
    company = "O-PM010"
    log = datasets.events("bozhou")
    cases = log.filter(pl.col("target") == company).get_column("case_id").unique()
    log = log.filter(~pl.col("case_id").is_in(cases.implode()))
    with pytest.warns(AssessWarning, match=f"no value for {company}"):
        a = _bozhou(log, ignore=".*lack a rater group")
    row = a.to_frame().filter(pl.col("subject") == company).row(0, named=True)
    assert row["cases"] == 0
    assert row["complaint_rate"] == 0.0
    assert row["satisfaction"] is None  # the raw value stays missing ...
    assert row["norm_satisfaction"] == 0.0  # ... and is scored as the worst observed
    assert "no data" in a.explain(company, "en")


def test_constant_indicator_warns() -> None:
    log = datasets.events("bozhou").with_columns(
        rating=pl.when(pl.col("rating").is_not_null()).then(pl.lit(4, pl.Int8))
    )
    with pytest.warns(DegenerateDataWarning, match="satisfaction"):
        a = _bozhou(log)
    assert a.to_frame().get_column("score").is_finite().all()


def test_no_ratings_for_a_rater_scheme_is_an_error() -> None:
    with pytest.raises(AssessError, match="no ratings"):
        assess(datasets.load("bozhou"), datasets.events("bozhou"), None, SCHEME, 2024)


def test_bad_period_and_empty_period() -> None:
    with pytest.raises(AssessError, match="period"):
        _bozhou(period="last year")
    with pytest.raises(AssessError, match="no value for any subject"):
        _bozhou(period=2023)


def test_scores_are_finite_numbers(bozhou: Assessment) -> None:
    assert np.isfinite(bozhou.to_frame().get_column("score").to_numpy()).all()
