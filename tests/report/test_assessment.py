"""Tests for the assessment part of a report: model, build, text, Markdown, JSON and HTML.

The assessment is the bundled bozhou example under ``bozhou_property_redblack`` (76 property
companies, 3 on the red list, 4 on the black list: the example's own credit records); expected
values are read from the :class:`~gridgov.assess.Assessment` itself, never typed in.
"""

from __future__ import annotations

import datetime as dt
import json
import warnings

import pytest

from gridgov import datasets
from gridgov.assess import Assessment, AssessWarning, assess
from gridgov.org import Structure
from gridgov.report import AssessmentRow, AssessmentSummary, Report, build_report, render


@pytest.fixture(scope="module")
def assessment() -> Assessment:
    with warnings.catch_warnings():
        # the example has subjects without one rater group (documented, and said in the notes)
        warnings.simplefilter("ignore", AssessWarning)
        return assess(
            datasets.load("bozhou"),
            datasets.events("bozhou"),
            datasets.ratings("bozhou"),
            "bozhou_property_redblack",
            None,
            records=datasets.credit_records("bozhou"),
        )


@pytest.fixture(scope="module")
def report(assessment: Assessment) -> Report:
    return build_report(datasets.load("bozhou"), "default", assessment=assessment)


def test_summary_holds_every_subject_in_rank_order(report: Report, assessment: Assessment) -> None:
    a = report.assessment
    assert a is not None
    frame = assessment.to_frame()
    assert a.scheme == "bozhou_property_redblack"
    assert (a.label_en, a.label_zh) == (assessment.scheme.label_en, assessment.scheme.label_zh)
    assert a.period == assessment.period
    assert [r.id for r in a.rows] == frame.sort("rank").get_column("subject").to_list()
    assert [r.id for r in a.listed("red")] == assessment.members("red")
    assert [r.id for r in a.listed("black")] == assessment.members("black")
    assert assessment.members("red")
    assert assessment.members("black")


def test_reason_is_the_list_line_of_explain_in_both_languages(
    report: Report, assessment: Assessment
) -> None:
    a = report.assessment
    assert a is not None
    for row in a.rows:
        if row.list is None:
            assert row.reason("en") == row.reason("zh") == ""
            continue
        assert row.reason("en") == assessment.explain(row.id, "en").splitlines()[1]
        assert row.reason("zh") == assessment.explain(row.id, "zh").splitlines()[1]
    black = a.listed("black")[0]
    assert "one-vote veto" in black.reason("en")
    assert "一票否决" in black.reason("zh")


def test_report_without_assessment_has_none(town: Structure) -> None:
    r = build_report(town, "default")
    assert r.assessment is None
    assert "Assessment" not in render(r, "text")
    assert 'id="assessment"' not in render(r, "html")


def test_json_round_trips_and_is_language_neutral(report: Report) -> None:
    text = render(report, "json")
    assert Report.model_validate_json(text) == report
    doc = json.loads(text)["assessment"]
    black = next(r for r in doc["rows"] if r["list"] == "black")
    assert {"reason_en", "reason_zh"} <= set(black)


@pytest.mark.parametrize("fmt", ["text", "md"])
def test_lists_come_before_the_ranking_en_and_zh(report: Report, fmt: str) -> None:
    a = report.assessment
    assert a is not None
    first_black = a.listed("black")[0].id
    start = "\n### " if fmt == "md" else "\n"  # a sub-heading: Markdown ###, text underlined
    for lang, red, black, ranking in (
        ("en", "red list", "black list", "Ranking"),
        ("zh", "红榜", "黑榜", "排名"),
    ):
        out = render(report, fmt, lang)  # type: ignore[arg-type]
        part = out[out.index(a.label(lang)) :]  # type: ignore[arg-type]
        heads = [part.index(start + h) for h in (red, black, ranking)]
        assert heads == sorted(heads)
        assert first_black in part[heads[1] : heads[2]]
        assert a.listed("black")[0].reason(lang) in part  # type: ignore[arg-type]


def test_ranking_is_capped_like_the_rollups(report: Report) -> None:
    a = report.assessment
    assert a is not None
    out = render(report, "text", max_rows=5)
    ranking = out[out.index("\nRanking") :]
    assert f"… and {len(a.rows) - 5} more" in ranking
    assert a.rows[5].id not in ranking
    assert a.rows[len(a.rows) - 1].id in render(report, "text", max_rows=None).split("Ranking")[1]


def test_html_section_chart_colours_and_escaping() -> None:
    a = AssessmentSummary(
        scheme="s",
        label_en="<i>scheme</i>",
        label_zh="<i>方案</i>",
        period=(dt.date(2024, 1, 1), dt.date(2025, 1, 1)),
        rows=(
            AssessmentRow(id="A", name="<b>甲&乙</b>", score=90.0, rank=1, list="red"),
            AssessmentRow(id="B", name="丙", score=50.0, rank=2),
            AssessmentRow(id="C", name='"丁"', score=10.0, rank=3, list="black"),
        ),
    )
    r = Report(title="t", reference_date="2024-06-30", profile="default", summary={}, assessment=a)
    for lang in ("en", "zh"):
        page = render(r, "html", lang)  # type: ignore[arg-type]
        section = page[page.index('<section id="assessment">') :]
        assert "<b>甲" not in page
        assert "<i>" not in page
        assert "&lt;b&gt;甲&amp;乙&lt;/b&gt;" in section
        label = "&lt;i&gt;方案&lt;/i&gt;" if lang == "zh" else "&lt;i&gt;scheme&lt;/i&gt;"
        assert label in section
        assert "&quot;丁&quot;" in section
        chart = section[section.index("<svg") : section.index("</svg>")]
        assert chart.count('fill="#C62828"') == 1  # the red-listed subject's bar
        assert chart.count('fill="#111111"') == 1  # the black-listed one's
    assert 'href="#assessment"' in render(r, "html")


def test_html_chart_draws_every_listed_subject(report: Report) -> None:
    a = report.assessment
    assert a is not None
    page = render(report, "html")
    section = page[page.index('<section id="assessment">') :]
    chart = section[section.index("<svg") : section.index("</svg>")]
    assert chart.count('fill="#C62828"') == len(a.listed("red"))
    assert chart.count('fill="#111111"') == len(a.listed("black"))
    assert f"of {len(a.rows)}." in section  # the note saying the chart is a selection
