"""Tests for gridgov.report.render: text, Markdown and JSON, in English and Chinese."""

from __future__ import annotations

import json

import pytest

from gridgov.org import Structure
from gridgov.report import Report, build_report, render
from gridgov.report.render import _width


@pytest.fixture
def report(town: Structure) -> Report:
    return build_report(town, "bozhou")


@pytest.mark.parametrize("fmt", ["text", "md"])
def test_english_and_chinese_headings(report: Report, fmt: str) -> None:
    en = render(report, fmt, "en")
    zh = render(report, fmt, "zh")
    for heading in (
        "gridgov report: 演示县",
        "Summary",
        "Findings",
        "Roll-up by grid",
        "Cross-appointments (2)",
        "Coverage",
    ):
        assert heading in en
    for heading in (
        "gridgov 报告：演示县",
        "概况",
        "问题清单",
        "按网格汇总",
        "交叉任职（2）",
        "覆盖情况",
    ):
        assert heading in zh
    assert "概况" not in en
    assert "Summary" not in zh


def test_findings_print_in_the_language(report: Report) -> None:
    en, zh = render(report, lang="en"), render(report, lang="zh")
    for f in report.findings:
        assert f.message in en
        assert f.message_zh in zh


def test_rule_results_say_pass_or_fail(report: Report) -> None:
    text = render(report)
    passed = sum(r.passed for r in report.rules)
    assert f"Rules of profile bozhou: {passed} of {len(report.rules)} passed" in text
    assert "FAIL: 1 finding(s)" in text
    assert "未通过：" in render(report, lang="zh")


def test_json_is_the_report(report: Report) -> None:
    text = render(report, "json", "zh")
    assert Report.model_validate_json(text) == report
    assert json.loads(text)["summary"]["grids"] == 2


def test_no_personal_field_in_any_rendering(report: Report) -> None:
    for fmt in ("text", "md", "json", "html"):
        for lang in ("en", "zh"):
            out = render(report, fmt, lang)  # type: ignore[arg-type]  # looping over literals
            assert "13800000000" not in out
            assert "SYN-000042" not in out


def test_long_tables_are_cut_with_a_note(town: Structure) -> None:
    report = build_report(town)
    text = render(report, max_rows=1)
    assert "… and 1 more" in text
    assert "……另有 1 条" in render(report, lang="zh", max_rows=1)
    assert "and 1 more" not in render(report, max_rows=None)


def test_text_tables_align_chinese_by_display_width(report: Report) -> None:
    lines = render(report, lang="zh").splitlines()
    at = lines.index(next(line for line in lines if line.startswith("  编号")))
    end = lines.index("", at)
    header, rule, *rows = lines[at:end]
    assert rows
    assert _width(header) <= _width(rule)
    assert {_width(row) for row in rows} == {_width(rule)}


def test_markdown_tables(report: Report) -> None:
    md = render(report, "md")
    assert "| id | name | households |" in md
    assert "|---|---|---:|" in md
    assert "company\\_party\\_building" in md


def test_bad_arguments(report: Report) -> None:
    with pytest.raises(
        ValueError, match="unknown format 'pdf'; choose one of text, md, json, html"
    ):
        render(report, "pdf")  # type: ignore[arg-type]  # deliberately wrong
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        render(report, lang="fr")  # type: ignore[arg-type]  # deliberately wrong
